"""Invitations: codes people can type, single use, 7 days, only hashes stored."""

from __future__ import annotations

import re
import sys
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.db import connection, connections
from django.utils import timezone

from supine.accounts.invitations import (
    CODE_ALPHABET,
    Enrolment,
    InvitationGone,
    SignupRefused,
    enrol_patient,
    format_code,
    invitation_by,
    issue_invitation,
    new_code,
    normalise_code,
    revoke_invitation,
    sign_up,
)
from supine.accounts.models import Invitation
from supine.clinic.models import Patient
from tests.factories import PASSWORD, make_clinic, make_clinician

ENROLMENT = Enrolment(
    name="Robin Patient",
    email="robin@example.org",
    year_of_birth=1970,
    usual_pain=4,
    conditions=("sciatica", "osteoporosis"),
)


@pytest.fixture
def enrolled(clinician):
    return enrol_patient(clinician=clinician, enrolment=ENROLMENT)


def test_a_code_is_eight_characters_without_look_alikes():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{8}", code)
        assert not set(code) & set("01OI")
    assert set("".join(codes)) <= set(CODE_ALPHABET)


def test_a_typed_code_ignores_case_spaces_and_dashes():
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalise_code(format_code("ABCDEFGH")) == "ABCDEFGH"


def test_enrolling_records_the_patient_and_a_closed_account(enrolled):
    patient, issued = enrolled
    patient.refresh_from_db()
    assert patient.display_name == "Robin Patient"
    assert (patient.birth_year, patient.usual_pain) == (1970, 4)
    assert patient.conditions == ["osteoporosis", "sciatica"]
    assert patient.user.email == "robin@example.org"
    assert not patient.user.is_active
    assert not patient.user.has_usable_password()
    assert issued.invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)


def test_an_unknown_condition_is_refused(clinician):
    bad = Enrolment(name="X", year_of_birth=1970, usual_pain=1, conditions=("vampirism",))
    with pytest.raises(ValueError, match="vampirism"):
        enrol_patient(clinician=clinician, enrolment=bad)


def test_only_hashes_of_the_code_and_link_are_stored(enrolled):
    _, issued = enrolled
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_invitation")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert issued.code not in stored
    assert issued.token not in stored


def test_the_code_signs_up_once(enrolled):
    patient, issued = enrolled
    signed_up = sign_up(code=issued.code.lower(), username="robin", password=PASSWORD)
    assert signed_up.id == patient.id
    assert authenticate(username="robin", password=PASSWORD) == patient.user
    with pytest.raises(InvitationGone):
        sign_up(code=issued.code, username="robin2", password=PASSWORD)
    with pytest.raises(InvitationGone):
        sign_up(token=issued.token, username="robin3", password=PASSWORD)


def test_the_link_signs_up_and_then_the_code_is_dead(enrolled):
    _, issued = enrolled
    sign_up(token=issued.token, username="robin", password=PASSWORD)
    with pytest.raises(InvitationGone):
        invitation_by(code=issued.code)


def test_an_invitation_expires_after_seven_days(enrolled):
    _, issued = enrolled
    late = timezone.now() + timedelta(days=7, seconds=1)
    with time_machine.travel(late), pytest.raises(InvitationGone):
        sign_up(code=issued.code, username="robin", password=PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        sign_up(code=issued.code, username="robin", password=PASSWORD)


def test_a_revoked_invitation_is_dead(enrolled):
    _, issued = enrolled
    assert revoke_invitation(issued.invitation)
    with pytest.raises(InvitationGone):
        sign_up(code=issued.code, username="robin", password=PASSWORD)


def test_resending_kills_the_old_code(enrolled, clinician):
    patient, old = enrolled
    new = issue_invitation(patient=patient, clinician=clinician)
    assert new.code != old.code
    with pytest.raises(InvitationGone):
        invitation_by(code=old.code)
    assert invitation_by(code=new.code).patient_id == patient.id
    assert Invitation.objects.filter(patient=patient).pending().count() == 1


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short pass", "too short"),
        ("123456789012345", "entirely numeric"),
        ("robin-the-runner", "too similar to the username"),
    ],
)
def test_a_weak_password_is_refused_naming_why_and_the_code_still_works(enrolled, password, why):
    _, issued = enrolled
    with pytest.raises(SignupRefused) as refused:
        sign_up(code=issued.code, username="robin-the-runner", password=password)
    assert why in " ".join(refused.value.errors["password"])
    assert invitation_by(code=issued.code)
    sign_up(code=issued.code, username="robin", password=PASSWORD)


def test_a_taken_username_is_refused(enrolled, patient):
    _, issued = enrolled
    with pytest.raises(SignupRefused) as refused:
        sign_up(code=issued.code, username=patient.user.username.upper(), password=PASSWORD)
    assert "taken" in refused.value.errors["username"][0]


def test_a_mistyped_or_wrong_length_code_is_simply_not_found(enrolled):
    for typed in ("", "ABC", "ZZZZZZZZ", "ABCDEFGHJ"):
        with pytest.raises(InvitationGone):
            invitation_by(code=typed)


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_one_code_at_once_make_one_account():
    from supine.library.loader import load_library

    load_library()
    clinician = make_clinician(make_clinic())
    _, issued = enrol_patient(clinician=clinician, enrolment=ENROLMENT)
    threads_count = 6
    gate = threading.Barrier(threads_count)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        try:
            gate.wait()
            sign_up(code=issued.code, username=f"robin{n}", password=PASSWORD)
            outcomes.append("signed up")
        except InvitationGone:
            outcomes.append("gone")
        finally:
            connections.close_all()

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
    assert sorted(outcomes) == ["gone"] * (threads_count - 1) + ["signed up"]
    user = Patient.objects.get().user
    assert user.is_active and user.username.startswith("robin")
    assert Invitation.objects.get().used_at is not None
