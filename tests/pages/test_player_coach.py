"""The camera coach in the player's page: offered, off by default, its tables carried."""

from __future__ import annotations

import json
import re

from supine.library.models import Exercise


def player_html(client, patient) -> str:
    client.force_login(patient.user)
    response = client.get("/session/")
    assert response.status_code == 200
    return response.content.decode()


def coach_data(html: str) -> dict:
    found = re.search(r'<script id="coach-data" type="application/json">(.*?)</script>', html)
    assert found, "the page carries the coach's tables"
    return json.loads(found.group(1))


def test_the_page_carries_each_planned_exercises_coach_table(client, patient):
    html = player_html(client, patient)
    data = coach_data(html)
    plan = json.loads(
        re.search(r'<script id="plan-data" type="application/json">(.*?)</script>', html).group(1)
    )
    planned = {s["exercise"] for s in plan["steps"] if s.get("exercise")}
    assert set(data) == planned
    for slug, table in data.items():
        assert table == Exercise.objects.get(slug=slug).coach
    assert any(t.get("timer_only") for t in data.values()) or all(
        "measure" in t for t in data.values()
    )


def test_the_coach_is_a_choice_with_a_consent_that_says_the_video_stays_on_the_phone(
    client, patient
):
    html = player_html(client, patient)
    assert 'data-action="coach-on"' in html
    assert "Use the camera coach" in html
    assert "The video never leaves this phone." in html
    assert "about 2 m away" in html
    # The panel and the consent are shut until the patient asks.
    assert re.search(r'<aside class="coach" data-slot="coach"[^>]*hidden>', html)
    assert re.search(r'<dialog class="sheet" data-slot="coach-consent"', html)


def test_the_pose_model_is_not_loaded_unless_the_coach_is_turned_on(client, patient):
    html = player_html(client, patient)
    # Named for the service worker and the dynamic import, never as a script or preload.
    assert 'data-pose-module="/static/supine/coach/pose.mjs"' in html or re.search(
        r'data-pose-module="/static/supine/coach/pose\.[0-9a-f]+\.mjs"', html
    )
    assert not re.search(r"<(script|link)[^>]+coach/pose", html)
    assert not re.search(r"<(script|link)[^>]+coach/coach", html)
    assert "/coach/assets/" not in html


def test_no_coach_table_no_coach_choice(client, patient):
    Exercise.objects.update(coach={})
    html = player_html(client, patient)
    assert 'data-action="coach-on"' not in html
    assert 'id="coach-data"' not in html
