"""The player page: what it says and carries for the device's own stop rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from supine.clinic.models import Clinic
from supine.safety.stop_rules import STOP_REASON_LABELS, StopReason


def player_html(client, patient) -> str:
    client.force_login(patient.user)
    response = client.get("/session/")
    assert response.status_code == 200
    return response.content.decode()


def page_plan(html: str) -> dict:
    found = re.search(r'<script id="plan-data" type="application/json">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(("region", "number"), [("us", "911"), ("uk", "999"), ("eu", "112")])
def test_the_note_box_says_when_the_clinic_reads_it_and_the_emergency_number(
    client, patient, region, number
):
    Clinic.objects.filter(pk=patient.clinic_id).update(region=region)
    html = player_html(client, patient)
    assert (
        "Your clinic reads this at their next check, not straight away. For new symptoms, "
        "tap ‘I have new symptoms’. In an emergency, call "
        f'<a href="tel:{number}">{number}</a>.'
    ) in html
    assert 'aria-describedby="session-note-hint"' in html


def test_stop_offers_every_reason_in_plain_words(client, patient):
    html = player_html(client, patient)
    for reason in StopReason:
        label = STOP_REASON_LABELS[reason]
        assert f'value="{reason.value}"><span>{label}</span>' in html, reason
    assert 'value="numbness"' not in html  # the old reason is only read, never offered


def test_the_pain_scales_are_radio_groups(client, patient):
    html = player_html(client, patient)
    for name in ("before", "after", "stop"):
        assert len(re.findall(rf'<input type="radio" name="pain-{name}" value="\d+">', html)) == 11


def test_the_page_carries_the_limits_the_advice_and_the_flare_plan(client, patient):
    html = player_html(client, patient)
    plan = page_plan(html)
    assert set(plan["limits"]) >= {"ceiling", "flare_at", "rise"}
    assert set(plan["advice"]) >= {"too_painful", "leg_symptoms", "dizziness", "flare"}
    assert "Most flare-ups settle within days to a few weeks." in html
    assert 'href="/safety/symptoms/?form=short"' in html
    assert 'data-emergency-questions="/safety/symptoms/?form=emergency"' in html
    assert 'data-help-sw="/help/sw.js"' in html


def test_the_player_has_no_inline_script(client, patient):
    html = player_html(client, patient)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_page_names_every_module_the_player_loads(client, patient):
    # The service worker caches what the page names (sw.js reads its links): a module
    # imported but not named there would be missing offline, on the floor.
    folder = Path(__file__).resolve().parents[2] / "src/supine/static/supine/player"
    imported, todo = set(), ["player.js"]
    while todo:
        name = todo.pop()
        source = (folder / name).read_text()
        for found in re.findall(r'^import [^;]*? from "\./([\w-]+\.js)";', source, re.M | re.S):
            if found not in imported:
                imported.add(found)
                todo.append(found)
    assert len(imported) >= 10
    html = player_html(client, patient)
    preloaded = set(
        re.findall(r'<link rel="modulepreload" href="/static/supine/player/([\w-]+\.js)">', html)
    )
    assert preloaded == imported
    assert 'src="/static/supine/player/player.js"' in html
