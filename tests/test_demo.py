from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from supine.clinic.models import Patient
from supine.programs.services import todays_items


def test_demo_creates_a_clinician_and_a_patient_on_the_seed_program(db, capsys):
    call_command("demo", password="demo-pass-123")
    out = capsys.readouterr().out
    assert "demo-patient" in out and "demo-clinician" in out and "demo-pass-123" in out
    patient = Patient.objects.get(user__username="demo-patient")
    items = todays_items(patient)
    assert [i.exercise.slug for i in items] == [
        "deep-abdominal-strengthening",
        "knee-rolls",
        "bridge",
    ]
    # The seed's doses at the bottom of their ranges, and a step up after each of the
    # demo's two comfortable sessions, two days apart, with the reason for it.
    ranges = [(i.exercise.reps_min, i.exercise.hold_seconds_min) for i in items]
    assert ranges == [(5, 5), (10, 5), (5, 5)]
    assert [(i.dose.reps, i.dose.hold_seconds) for i in items] == [(7, 5), (12, 5), (7, 5)]
    assert [i.change for i in items] == ["progress"] * 3
    assert items[0].reason.startswith("You're ready for 7 reps")
    assert patient.clinic == patient.clinic.clinicians.get().clinic


def test_demo_without_a_password_prints_a_generated_one_that_works(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    password = out.split("patient:")[1].split("password:")[1].split()[0]
    assert authenticate(username="demo-patient", password=password) is not None


def test_running_demo_again_keeps_the_data_and_resets_passwords(db, capsys):
    call_command("demo", password="first-pass-123")
    call_command("demo", password="second-pass-456")
    assert Patient.objects.count() == 1
    assert authenticate(username="demo-clinician", password="second-pass-456") is not None


@pytest.mark.django_db
def test_serve_refuses_nothing_silently_when_the_library_is_broken(tmp_path):
    # `serve` runs load_library; a broken library must stop it with a message.
    from django.core.management import CommandError

    bad = tmp_path / "bridge.toml"
    bad.write_text("slug = 'bridge'")
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_library", dir=tmp_path)


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "12345678901234"])
def test_demo_refuses_a_password_the_sign_up_rules_would_refuse(db, password):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="That password is refused"):
        call_command("demo", password=password)
    assert not Patient.objects.exists()
