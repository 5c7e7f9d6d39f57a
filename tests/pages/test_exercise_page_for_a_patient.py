"""A signed-in patient's exercise page: their dose, what to feel, common mistakes, their
own precautions, and the way back to Today and to start. The page only reads."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supine.programs.models import DoseChange, DoseChangeKind, PrescribedExercise
from supine.programs.services import todays_items
from supine.sessions.models import ExerciseSession
from tests.api.helpers import bearer_client, post_json
from tests.factories import make_patient, screen
from tests.sessions.helpers import T0, send, start, whole_session_events

PAGE = "/exercises/deep-abdominal-strengthening/"


def page(client, url: str = PAGE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_patient_sees_todays_dose_at_the_bottom_of_the_range(client, patient):
    client.force_login(patient.user)
    shown = text(page(client))
    assert "Your dose today 5 reps, hold 5 s" in shown
    assert "Usual range: 5–10 reps, hold 5 s" in shown


def test_a_patient_sees_the_dose_last_decided_for_them(client, patient):
    # As the decision taken when the facts arrived stores it on the prescribed exercise.
    PrescribedExercise.objects.filter(
        prescription__patient=patient, exercise__slug="deep-abdominal-strengthening"
    ).update(
        dose_reps=7, dose_hold_seconds=5, dose_sets=1, dose_change=DoseChangeKind.PROGRESS,
        dose_reason="One more rep today.",
    )  # fmt: skip
    client.force_login(patient.user)
    shown = text(page(client))
    assert "Your dose today 7 reps, hold 5 s" in shown
    assert "One more rep today." in shown


def test_a_paused_exercise_says_so(client, patient):
    PrescribedExercise.objects.filter(
        prescription__patient=patient, exercise__slug="bridge"
    ).update(paused_at=timezone.now())
    client.force_login(patient.user)
    shown = text(page(client, "/exercises/bridge/"))
    assert "Paused" in shown
    assert "Your dose today" not in shown


def test_a_per_side_dose_says_each_side(client, clinic):
    from supine.library.models import Exercise
    from supine.programs.services import prescribe

    patient = make_patient(clinic, program=False)
    prescribe(patient=patient, exercises=[Exercise.objects.get(slug="bird-dog")])
    client.force_login(patient.user)
    assert "5 reps each side, hold 5 s" in text(page(client, "/exercises/bird-dog/"))


def test_the_page_shows_what_to_feel_and_the_common_mistakes(client, patient):
    client.force_login(patient.user)
    html = page(client)
    assert "What you should feel" in html
    assert "A gentle tightening low in your tummy" in html
    assert "Common mistakes" in html
    assert "Flattening or tilting your lower back" in html


def test_the_page_reads_and_never_writes_even_with_a_session_not_yet_judged(client, clinic):
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        patient = make_patient(clinic)
        api = bearer_client(patient.user)
        session_id = start(api)
        plan = ExerciseSession.objects.get(id=session_id).plan
        send(api, session_id, whole_session_events(plan))
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        # The next morning's check-in: the last fact the dose decision waits for.
        post_json(api, "/api/v1/me/pain", {"score": 2, "moment": "morning"})
        decisions = DoseChange.objects.count()
        client.force_login(patient.user)
        with CaptureQueriesContext(connection) as queries:
            page(client)
        writes = [
            q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]  # fmt: skip
        assert writes == []
        assert DoseChange.objects.count() == decisions
        # There was a decision to take (when the check-in arrived, or when today's plan is
        # built): the page had something it could have written, and did not.
        todays_items(patient)
        assert DoseChange.objects.filter(item__prescription__patient=patient).exists()


def test_a_patient_sees_their_own_precautions_in_plain_words(client, clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("weak_bones",))
    client.force_login(patient.user)
    shown = text(page(client, "/exercises/knee-rolls/"))
    assert "Take care: for you" in shown
    assert "Because you told us about osteoporosis (weak bones): Keep the roll small." in shown
    # A condition Supine was never told about stays visible, under the others.
    assert "Other precautions" in shown
    assert "A hip replacement: Keep the roll small and your knees together" in shown


def test_a_hip_replacement_brings_the_surgeons_limits_on_every_exercise(client, clinic):
    patient = make_patient(clinic, screened=False)
    screen(patient, yes=("hip_replacement",))
    client.force_login(patient.user)
    shown = text(page(client, "/exercises/bridge/"))
    assert "don't bend your hip past a right angle" in shown


def test_a_patient_without_known_conditions_sees_every_precaution_as_if_you_have(client, patient):
    client.force_login(patient.user)
    shown = text(page(client, "/exercises/knee-rolls/"))
    assert "Take care: for you" not in shown
    assert "Take extra care if you have" in shown
    assert "Osteoporosis (weak bones): Keep the roll small." in shown


def test_the_prone_press_up_says_it_follows_an_assessment(client, patient):
    client.force_login(patient.user)
    shown = text(page(client, "/exercises/prone-press-up/"))
    assert "Only do this exercise if a clinician has assessed your back" in shown


def test_before_the_morning_question_start_goes_to_today(client, patient):
    client.force_login(patient.user)
    html = page(client)
    assert "Answer the morning question, then start" in html
    assert 'href="/session/"' not in html
    assert "Back to Today" in html


def test_after_the_morning_question_start_goes_to_the_session(client, patient):
    client.force_login(patient.user)
    client.post("/today/checkin", {"score": "3"})
    html = page(client)
    assert re.search(r'<a class="button primary" href="/session/">Start today', html)
    assert 'href="/today/">Back to Today' in html


def test_no_start_while_sessions_are_on_hold(client, clinic):
    patient = make_patient(clinic, screened=False)
    client.force_login(patient.user)
    html = page(client)
    assert 'href="/session/"' not in html
    assert "then start" not in html
    assert "Back to Today" in html


def test_an_exercise_outside_the_program_says_so_with_no_start(client, patient):
    client.force_login(patient.user)
    client.post("/today/checkin", {"score": "3"})
    html = page(client, "/exercises/cat-camel/")
    assert "Not in your program" in html
    assert "Your dose today" not in html
    assert 'href="/session/"' not in html


@pytest.mark.django_db
def test_a_visitor_sees_the_library_dose_and_all_precautions_but_no_personal_part(client):
    shown = text(page(client, "/exercises/knee-rolls/"))
    assert "Dose: 10–15 reps, alternating sides, hold 5 s" in shown
    assert "Your dose today" not in shown
    assert "Back to Today" not in shown
    assert "Take extra care if you have" in shown


def test_a_clinician_sees_no_personal_part(client, clinician):
    client.force_login(clinician.user)
    shown = text(page(client, "/exercises/knee-rolls/"))
    assert "Your dose today" not in shown
    assert "Take extra care if you have" in shown
