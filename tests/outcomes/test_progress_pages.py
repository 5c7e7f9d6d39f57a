"""Today's tick and week strip, the Progress page, the diary form and the questionnaire
pages, through the Django test client."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supine.outcomes.models import PainMoment, PainReport, QuestionnaireResponse
from supine.programs.models import DoseChange, PrescribedExercise
from supine.programs.services import todays_items, todays_plan
from supine.safety.services import plan_safety
from supine.sessions.models import ExerciseSession


def _session(patient, day, status="completed"):
    plan = todays_plan(todays_items(patient), safety=plan_safety(patient))
    return ExerciseSession.objects.create(
        patient=patient, plan=plan, plan_date=day, status=status, started_at=timezone.now()
    )


def _answered(patient, code, score, days_ago):
    at = timezone.now() - timedelta(days=days_ago)
    return QuestionnaireResponse.objects.create(
        patient=patient, code=code, answers={}, score=score, completed_at=at
    )


def test_today_shows_a_tick_and_the_week_once_a_session_is_done(client, patient):
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert 'id="done-today"' not in html
    assert "This week: 0 days done" in html
    today = timezone.localdate()
    _session(patient, today)
    html = client.get("/today/").content.decode()
    assert 'id="done-today"' in html and "Done today" in html
    assert "This week: 1 day done" in html
    days = re.findall(r'<ol class="week">(.*?)</ol>', html, re.S)[0]
    assert days.count("<li") == 7
    assert re.search(r'<li class="done today" aria-current="date">', days)
    assert f"{today:%A} {today.day} {today:%B}: done" in days


def test_today_offers_to_resume_an_unfinished_session(client, patient):
    client.force_login(patient.user)
    _session(patient, timezone.localdate(), status="in_progress")
    html = client.get("/today/").content.decode()
    assert "didn't finish it" in html and "Resume the session" in html


def test_today_links_the_questionnaires_that_are_due(client, patient, settings):
    settings.SUPINE_STARTBACK = False
    client.force_login(patient.user)
    html = client.get("/today/").content.decode()
    assert 'href="/progress/questionnaires/rmdq/"' in html
    assert 'href="/progress/questionnaires/psfs/"' in html
    _answered(patient, "rmdq", 8, 0)
    _answered(patient, "psfs", 4, 0)
    html = client.get("/today/").content.decode()
    assert 'href="/progress/questionnaires/rmdq/"' not in html


def test_the_rmdq_page_is_one_form_of_24_statements_with_the_copyright(client, patient):
    client.force_login(patient.user)
    html = client.get("/progress/questionnaires/rmdq/").content.decode()
    assert html.count('type="checkbox"') == 24
    assert "<script" not in html.split("<main")[1]
    assert "Roland and Richard Morris, 1983" in html
    ticked = {f"q{n}": "1" for n in (1, 4, 9)}
    answered = client.post("/progress/questionnaires/rmdq/", {"id": "x", **ticked})
    assert answered.status_code == 302 and answered["Location"] == "/progress/#scores"
    assert QuestionnaireResponse.objects.get(patient=patient).score == 3


def test_the_same_form_sent_twice_is_stored_once(client, patient):
    client.force_login(patient.user)
    html = client.get("/progress/questionnaires/rmdq/").content.decode()
    response_id = re.search(r'name="id" value="([^"]+)"', html).group(1)
    for _ in range(2):
        client.post("/progress/questionnaires/rmdq/", {"id": response_id, "q2": "1"})
    assert QuestionnaireResponse.objects.filter(patient=patient).count() == 1


def test_nprs_unanswered_is_refused_with_a_clear_message(client, patient):
    client.force_login(patient.user)
    refused = client.post("/progress/questionnaires/nprs/", {})
    assert refused.status_code == 422
    assert "Please answer this one." in refused.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_psfs_needs_three_named_activities(client, patient):
    client.force_login(patient.user)
    form = {"name_1": "Gardening", "score_1": "3", "name_2": "Driving", "score_2": "5"}
    refused = client.post("/progress/questionnaires/psfs/", form)
    assert refused.status_code == 422
    assert "Name at least 3 activities" in refused.content.decode()
    assert 'value="Gardening"' in refused.content.decode()  # what was typed is kept
    half = client.post("/progress/questionnaires/psfs/", {**form, "name_3": "Walking"})
    assert "Choose how well you can do it" in half.content.decode()
    client.post("/progress/questionnaires/psfs/", {**form, "name_3": "Walking", "score_3": "7"})
    assert QuestionnaireResponse.objects.get(patient=patient, code="psfs").score == 5


def test_startback_page_only_with_the_setting_and_with_keeles_notice(client, patient, settings):
    client.force_login(patient.user)
    settings.SUPINE_STARTBACK = False
    assert client.get("/progress/questionnaires/startback/").status_code == 404
    settings.SUPINE_STARTBACK = True
    html = client.get("/progress/questionnaires/startback/").content.decode()
    assert "© Keele University" in html and "Extremely" in html
    answers = {f"q{n}": "1" for n in range(1, 9)} | {"q9": "4"}
    client.post("/progress/questionnaires/startback/", answers)
    stored = QuestionnaireResponse.objects.get(patient=patient)
    assert (stored.score, stored.band) == (9, "high")


def test_no_oswestry_page(client, patient):
    client.force_login(patient.user)
    assert client.get("/progress/questionnaires/odi/").status_code == 404


def test_progress_marks_a_meaningful_change_only_past_the_threshold(client, patient):
    client.force_login(patient.user)
    _answered(patient, "rmdq", 12, 20)
    _answered(patient, "rmdq", 8, 6)
    html = client.get("/progress/").content.decode()
    assert "Meaningfully" not in html  # 4 points: under RMDQ's 5
    assert "33% better since the first" in html
    _answered(patient, "rmdq", 2, 0)
    html = client.get("/progress/").content.decode()
    assert "Meaningfully better" in html and "83% better since the first" in html
    _answered(patient, "psfs", 6, 20)
    _answered(patient, "psfs", 3.5, 0)
    html = client.get("/progress/").content.decode()
    assert "Meaningfully worse" in html and "42% worse since the first" in html


def test_progress_shows_charts_with_text_and_the_dose_reasons(client, patient):
    client.force_login(patient.user)
    PainReport.objects.create(
        patient=patient, score=6, moment=PainMoment.MORNING, day=timezone.localdate()
    )
    _answered(patient, "rmdq", 12, 14)
    _answered(patient, "rmdq", 9, 0)
    html = client.get("/progress/").content.decode()
    images = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert len(images) == 4  # pain, sessions per week, dose, RMDQ
    assert "latest 6" in images[0]
    assert "Roland–Morris Disability Questionnaire: 12 on" in images[3]
    doses = re.findall(r'<ul class="history doses">(.*?)</ul>', html, re.S)[0]
    item = PrescribedExercise.objects.filter(prescription__patient=patient).first()
    first = DoseChange.objects.create(
        item=item, reps=7, sets=1, change="progress", reason="Two easy sessions: one more rep."
    )
    html = client.get("/progress/").content.decode()
    doses = re.findall(r'<ul class="history doses">(.*?)</ul>', html, re.S)[0]
    assert f"<strong>{first.item.exercise.name}</strong>" in doses
    assert first.reason in doses


def test_the_diary_form_stores_an_entry_and_refuses_nonsense_clearly(client, patient):
    client.force_login(patient.user)
    refused = client.post("/progress/diary", {"score": "12", "note": "ouch"})
    assert refused.status_code == 422
    assert "Choose a number from 0 to 10 for your pain." in refused.content.decode()
    assert not PainReport.objects.exists()
    saved = client.post("/progress/diary", {"score": "4", "note": "After gardening"})
    assert saved.status_code == 302
    entry = PainReport.objects.get(patient=patient)
    assert (entry.score, entry.note, entry.moment) == (4, "After gardening", "diary")
    assert "After gardening" in client.get("/progress/").content.decode()


def test_the_clinician_sees_the_patients_scores(client, patient, clinician):
    _answered(patient, "rmdq", 14, 21)
    _answered(patient, "rmdq", 7, 0)
    client.force_login(clinician.user)
    html = client.get(f"/clinic/patients/{patient.id}/").content.decode()
    section = html.split('id="questionnaires"')[1].split("<h2")[0]
    assert "Roland–Morris" in section and "meaningfully better" in section
    assert "(50% better)" in section


def test_progress_reads_a_bounded_number_of_rows(client, patient):
    """A year of fortnightly answers and daily diary entries: the page lists a window."""
    start = timezone.now() - timedelta(days=365)
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            patient=patient,
            code="rmdq",
            answers={},
            score=10,
            completed_at=start + timedelta(days=d),
        )
        for d in range(0, 365, 3)
    )
    PainReport.objects.bulk_create(
        PainReport(
            patient=patient,
            score=3,
            moment=PainMoment.DIARY,
            recorded_at=timezone.make_aware(
                datetime.combine(timezone.localdate() - timedelta(days=d), time(20))
            ),
        )
        for d in range(365)
    )
    client.force_login(patient.user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/progress/").content.decode()
    assert len(queries) < 40
    diary = html.split('id="diary"')[1]
    assert diary.count("/10") == 10
    rmdq_chart = re.findall(r'alt="(Roland–Morris[^"]+)"', html)[0]
    assert rmdq_chart.count(" on ") == 60  # the latest 60 answers, not all 122


def test_psfs_asks_about_the_same_activities_as_last_time(client, patient):
    client.force_login(patient.user)
    form = {"name_1": "Gardening", "score_1": "3", "name_2": "Driving", "score_2": "5"}
    client.post("/progress/questionnaires/psfs/", {**form, "name_3": "Walking", "score_3": "4"})
    html = client.get("/progress/questionnaires/psfs/").content.decode()
    assert 'id="name_1" name="name_1" maxlength="100" value="Gardening"' in html
    assert 'value="Walking"' in html
    assert 'id="name_4" name="name_4" maxlength="100" value=""' in html
    assert "selected" not in html  # the ratings are given afresh


def test_a_form_sent_again_thanks_with_the_same_score(client, patient):
    client.force_login(patient.user)
    body = {"id": "6f1c2b0e-8d7a-4a57-9a51-0b8f3c7d2e11", "pain": "4"}
    client.post("/progress/questionnaires/nprs/", body)
    again = client.post("/progress/questionnaires/nprs/", body, follow=True)
    assert "Your Pain rating (0–10) score: 4." in again.content.decode()
    assert QuestionnaireResponse.objects.filter(patient=patient).count() == 1
