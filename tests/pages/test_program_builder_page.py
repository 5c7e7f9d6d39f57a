"""The program builder page: templates, ranges, precautions, versions, pause and end."""

from __future__ import annotations

import pytest

from supine.clinic.models import AuditEvent
from supine.library.models import Exercise
from supine.programs.models import Prescription
from tests.factories import PASSWORD, make_patient, screen


@pytest.fixture
def signed_in(client, clinician):
    client.login(username=clinician.user.username, password=PASSWORD)
    return client


def url(patient) -> str:
    return f"/clinic/patients/{patient.id}/program/"


def handout_form(version: int, **changes) -> dict:
    form = {
        "version": str(version),
        "status": "active",
        "sessions_per_day": "1",
        "days_per_week": "7",
        "starts_on": "",
        "note": "",
    }
    for order, (slug, reps, hold) in enumerate(
        [
            ("deep-abdominal-strengthening", (5, 10), (5, 5)),
            ("knee-rolls", (10, 15), (5, 5)),
            ("bridge", (5, 10), (5, 10)),
        ],
        start=1,
    ):
        form |= {
            f"include-{slug}": "on",
            f"order-{slug}": str(order),
            f"reps_min-{slug}": str(reps[0]),
            f"reps_max-{slug}": str(reps[1]),
            f"hold_min-{slug}": str(hold[0]),
            f"hold_max-{slug}": str(hold[1]),
            f"sets_min-{slug}": "1",
            f"sets_max-{slug}": "1",
        }
    return form | changes


def test_the_patient_page_links_to_the_builder(signed_in, patient):
    response = signed_in.get(f"/clinic/patients/{patient.id}/")
    assert url(patient).encode() in response.content


def test_the_builder_shows_the_current_version_and_is_audited(signed_in, patient):
    response = signed_in.get(url(patient))
    assert response.status_code == 200
    assert b"Version 1" in response.content
    assert AuditEvent.objects.filter(patient=patient, action="program.view").exists()


def test_a_template_fills_the_form_without_saving(signed_in, clinic):
    newcomer = make_patient(clinic, program=False)
    response = signed_in.get(url(newcomer) + "?template=clinic-handout")
    assert response.status_code == 200
    assert "“The clinic handout” is filled in".encode() in response.content
    html = response.content.decode()
    for slug in ("deep-abdominal-strengthening", "knee-rolls", "bridge"):
        assert f'name="include-{slug}" checked' in html
    assert 'name="reps_max-knee-rolls" value="15"' in html
    assert not Prescription.objects.filter(patient=newcomer).exists()


def test_saving_a_changed_range_makes_version_2(signed_in, patient):
    response = signed_in.post(url(patient), handout_form(1, **{"reps_max-bridge": "8"}))
    assert response.status_code == 302
    current = Prescription.objects.active().get(patient=patient)
    assert current.version == 2
    assert current.items.get(exercise__slug="bridge").reps_max == 8
    assert "Bridge: reps 5–10 → 5–8" in current.change_summary
    page = signed_in.get(url(patient)).content.decode()
    assert "Saved as version 2." in page
    assert "Bridge: reps 5–10 → 5–8" in page


def test_a_range_outside_the_librarys_is_refused_on_the_page(signed_in, patient):
    response = signed_in.post(url(patient), handout_form(1, **{"reps_max-bridge": "30"}))
    assert response.status_code == 422
    assert "outside the library" in response.content.decode()
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_a_stale_version_is_refused_and_the_form_kept(signed_in, patient):
    assert signed_in.post(url(patient), handout_form(1, days_per_week="5")).status_code == 302
    response = signed_in.post(url(patient), handout_form(1, days_per_week="3"))
    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    assert Prescription.objects.active().get(patient=patient).days_per_week == 5


# Exercise.precautions and assessment_only arrive with the library's precautions.
needs_precautions = pytest.mark.skipif(
    not hasattr(Exercise, "precautions"), reason="the library has no precautions yet"
)


@needs_precautions
def test_precaution_conflicts_are_shown_before_saving(signed_in, clinic):
    Exercise.objects.filter(slug="knee-rolls").update(
        precautions=[{"condition": "osteoporosis", "advice": "Keep the roll small."}]
    )
    newcomer = make_patient(clinic, program=False, screened=False)
    screen(newcomer, yes=("weak_bones",))
    page = signed_in.get(url(newcomer) + "?template=clinic-handout").content.decode()
    assert "Precaution — osteoporosis" in page
    first = signed_in.post(url(newcomer), handout_form(0))
    assert first.status_code == 422
    assert "Check these precautions before saving" in first.content.decode()
    assert not Prescription.objects.filter(patient=newcomer).exists()
    saved = signed_in.post(url(newcomer), handout_form(0, precautions_seen="on"))
    assert saved.status_code == 302
    assert Prescription.objects.active().get(patient=newcomer).version == 1


@needs_precautions
def test_an_assessment_only_exercise_needs_the_tick(signed_in, patient):
    Exercise.objects.filter(slug="bridge").update(assessment_only=True)
    refused = signed_in.post(url(patient), handout_form(1, **{"reps_max-bridge": "8"}))
    assert refused.status_code == 422
    assert "tick that you assessed the patient" in refused.content.decode()
    ticked = handout_form(1, **{"reps_max-bridge": "8", "assessed-bridge": "on"})
    assert signed_in.post(url(patient), ticked).status_code == 302


def test_pause_resume_and_end_are_versions(signed_in, patient, client):
    status_url = url(patient) + "status"
    signed_in.post(status_url, {"action": "pause", "version": "1"})
    assert Prescription.objects.active().get(patient=patient).status == "paused"
    signed_in.post(status_url, {"action": "resume", "version": "2"})
    assert Prescription.objects.active().get(patient=patient).status == "active"
    signed_in.post(status_url, {"action": "end", "version": "3"})
    current = Prescription.objects.active().get(patient=patient)
    assert (current.status, current.version) == ("ended", 4)
    summaries = list(
        Prescription.objects.filter(patient=patient)
        .order_by("version")
        .values_list("change_summary", flat=True)
    )
    assert [s.split(";")[0].rstrip(".") for s in summaries[1:]] == ["Paused", "Resumed", "Ended"]


def test_a_paused_program_tells_the_patient_calmly_and_offers_no_start(signed_in, patient):
    signed_in.post(url(patient) + "status", {"action": "pause", "version": "1"})
    signed_in.logout()
    signed_in.login(username=patient.user.username, password=PASSWORD)
    page = signed_in.get("/today/").content.decode()
    assert "paused your program for now" in page
    assert "/session/" not in page.split("<main")[1]


def test_another_clinics_clinician_gets_a_404(client, other_clinic_clinician, patient):
    client.login(username=other_clinic_clinician.user.username, password=PASSWORD)
    assert client.get(url(patient)).status_code == 404
    assert client.post(url(patient), handout_form(1, days_per_week="2")).status_code == 404
    assert client.post(url(patient) + "status", {"action": "end"}).status_code == 404
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_a_patient_is_sent_home(client, patient):
    client.login(username=patient.user.username, password=PASSWORD)
    assert client.get(url(patient)).status_code == 302
