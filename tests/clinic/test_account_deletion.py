"""'Delete my account': asked by the patient, confirmed by the clinic, records kept for
the clinic's retention period, then anonymised; each step in the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from supine.accounts.tokens import issue, user_for_token
from supine.clinic.closure import (
    ANONYMOUS_NAME,
    ClosureRefused,
    anonymise_due,
    confirm_deletion,
    request_deletion,
    retention_ends,
)
from supine.clinic.models import DEFAULT_RETENTION_YEARS, Alert, AuditEvent, Clinic
from supine.outcomes.models import PainReport
from tests.factories import make_clinician


def test_a_clinic_keeps_records_eight_years_unless_it_says_otherwise(db):
    assert Clinic.objects.create(name="New").retention_years == DEFAULT_RETENTION_YEARS == 8


def test_the_patient_asks_and_the_clinic_is_told(patient):
    client = Client()
    client.force_login(patient.user)
    assert client.get("/me/data/").status_code == 200
    response = client.post("/me/data/delete", {"confirm": "yes"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.deletion_requested_at is not None
    assert patient.user.is_active  # nothing is closed until the clinic confirms
    assert Alert.objects.filter(patient=patient, kind="note").count() == 1
    assert (
        AuditEvent.objects.filter(
            actor=patient.user, patient=patient, action="account.deletion_requested"
        ).count()
        == 1
    )
    # Asking again changes nothing.
    assert request_deletion(patient=patient) is False
    assert Alert.objects.filter(patient=patient, kind="note").count() == 1


def test_without_the_box_ticked_nothing_is_asked(patient):
    client = Client()
    client.force_login(patient.user)
    client.post("/me/data/delete", {})
    patient.refresh_from_db()
    assert patient.deletion_requested_at is None


def test_the_clinician_confirms_and_the_account_closes(patient, clinician):
    raw, _ = issue(user=patient.user)
    request_deletion(patient=patient)
    client = Client()
    client.force_login(clinician.user)
    page = client.get(f"/clinic/patients/{patient.id}/")
    assert b"Asks for their account to be deleted" in page.content
    response = client.post(f"/clinic/patients/{patient.id}/delete-account", {"confirm": "yes"})
    assert response.status_code == 302
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.closed_at is not None and patient.closed_by == clinician
    assert not patient.user.is_active
    assert user_for_token(raw) is None
    signed_in = Client()
    assert not signed_in.login(
        username=patient.user.username, password="correct horse battery staple"
    )
    event = AuditEvent.objects.get(patient=patient, action="account.deleted")
    assert event.actor == clinician.user
    until = retention_ends(patient)
    assert f"records kept until {until.isoformat()}" in event.detail
    assert clinician.display_name in event.detail
    # The records are still there.
    assert patient.prescriptions.exists()


def test_the_clinic_cannot_delete_an_account_nobody_asked_to_delete(patient, clinician):
    with pytest.raises(ClosureRefused, match="has not asked"):
        confirm_deletion(clinician=clinician, patient=patient)
    client = Client()
    client.force_login(clinician.user)
    client.post(f"/clinic/patients/{patient.id}/delete-account", {"confirm": "yes"})
    patient.user.refresh_from_db()
    assert patient.user.is_active


def test_another_clinic_cannot_confirm(patient, other_clinic_clinician):
    request_deletion(patient=patient)
    client = Client()
    client.force_login(other_clinic_clinician.user)
    response = client.post(f"/clinic/patients/{patient.id}/delete-account", {"confirm": "yes"})
    assert response.status_code == 404
    with pytest.raises(ClosureRefused):
        confirm_deletion(clinician=other_clinic_clinician, patient=patient)


def test_retention_counts_the_clinics_years_from_the_closing(patient):
    patient.clinic.retention_years = 10
    closed = timezone.make_aware(timezone.datetime(2024, 2, 29, 12))
    assert retention_ends(patient, closed) == date(2034, 2, 28)


def test_identity_is_removed_only_when_the_retention_period_has_run(patient, clinician):
    patient.clinic.retention_years = 2
    patient.clinic.save()
    patient.birth_year = 1970
    patient.email = "sam@example.org"
    patient.save()
    PainReport.objects.create(patient=patient, score=4, note="At Aunt Jo's in Leeds")
    request_deletion(patient=patient)
    confirm_deletion(clinician=make_clinician(patient.clinic), patient=patient)
    with time_machine.travel(timezone.now() + timedelta(days=365), tick=False):
        assert anonymise_due() == 0
    patient.refresh_from_db()
    assert patient.display_name == "Sam Patient"
    with time_machine.travel(timezone.now() + timedelta(days=2 * 366), tick=False):
        assert anonymise_due() == 1
        assert anonymise_due() == 0
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.display_name == ANONYMOUS_NAME
    assert patient.email == "" and patient.birth_year is None
    assert patient.user.username == f"deleted-{patient.id}"
    assert PainReport.objects.get(patient=patient).note == ""
    assert PainReport.objects.get(patient=patient).score == 4
    assert AuditEvent.objects.filter(patient=patient, action="account.anonymised").count() == 1
