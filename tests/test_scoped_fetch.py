"""One scoped fetch per thing a clinician or patient can touch, and `for_clinic()` as the
only clinic filter: another clinic's (or another patient's) thing is a 404, recorded in
the audit log, and no page or endpoint writes a clinic filter by hand."""

from __future__ import annotations

import ast
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.http import Http404
from django.utils import timezone

import supine
from supine.accounts.models import ClinicianInvitation, Invitation
from supine.appointments.models import Appointment
from supine.clinic.access import (
    alert_for,
    appointment_for,
    clinician_invitation_for,
    colleague_for,
    invitation_for,
    program_for,
    session_for,
)
from supine.clinic.models import Alert, AuditEvent, Clinic, Clinician, Patient
from supine.clinic.services import raise_alert
from supine.programs.models import Prescription
from supine.sessions.models import ExerciseSession
from tests.factories import make_clinic, make_clinician, make_patient

SRC = Path(supine.__file__).parent


# --- No clinic filter written by hand -------------------------------------------------

# The query calls whose keyword arguments are lookups.
_LOOKUP_CALLS = {
    "filter",
    "exclude",
    "get",
    "get_or_create",
    "update_or_create",
    "Q",
    "get_object_or_404",
    "get_list_or_404",
}


def _is_clinic_lookup(name: str) -> bool:
    return any(part in ("clinic", "clinic_id") for part in name.split("__"))


def hand_clinic_filters(source: str) -> list[int]:
    """The lines of `source` that filter by a clinic by hand (`patient__clinic_id=…`)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in _LOOKUP_CALLS:
            continue
        names = [k.arg for k in node.keywords if k.arg is not None]
        for k in node.keywords:  # **{"clinic_id": …}
            if k.arg is None and isinstance(k.value, ast.Dict):
                names += [
                    key.value
                    for key in k.value.keys
                    if isinstance(key, ast.Constant) and isinstance(key.value, str)
                ]
        if any(_is_clinic_lookup(n) for n in names):
            lines.append(node.lineno)
    return lines


def page_and_endpoint_modules() -> list[Path]:
    """Every page and API module: views, *_views, api, *_api, the API package, and the
    modules that gather what the clinician's pages show."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        stem = path.stem
        if (
            stem in ("views", "api", "dashboard", "patient_record")
            or stem.endswith(("_views", "_api"))
            or path.parent.name == "api"
        ):
            found.append(path)
    return found


@pytest.mark.parametrize(
    "source",
    [
        "Alert.objects.filter(patient__clinic_id=clinician.clinic_id)",
        "Clinician.objects.filter(clinic=clinic, is_admin=True)",
        "Invitation.objects.pending().exclude(patient__clinic__name='x')",
        "get_object_or_404(Appointment, id=i, patient__clinic_id=c)",
        "Q(clinic_id=c) | Q(pk=1)",
        "Patient.objects.filter(**{'clinic_id': c})",
    ],
)
def test_the_check_finds_a_clinic_filter_written_by_hand(source):
    assert hand_clinic_filters(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "Alert.objects.open().for_clinic(clinician.clinic_id)",
        "Patient.objects.create(clinic=clinic, display_name='x')",
        "Alert.objects.select_related('patient__clinic').filter(id=i)",
        "Clinic.objects.filter(name='x')",
    ],
)
def test_the_check_leaves_scoped_queries_and_creation_alone(source):
    assert hand_clinic_filters(source) == []


def test_no_page_or_endpoint_filters_by_clinic_by_hand():
    modules = page_and_endpoint_modules()
    # The walk finds the modules it is meant to check.
    names = {p.relative_to(SRC).as_posix() for p in modules}
    assert {"clinic/views.py", "clinic/api.py", "clinic/dashboard.py", "sessions/api.py"} <= names
    offenders = {
        name: lines
        for path in modules
        if (lines := hand_clinic_filters(path.read_text()))
        for name in [path.relative_to(SRC).as_posix()]
    }
    assert offenders == {}, "use for_clinic() or a scoped fetch from supine.clinic.access"


# --- for_clinic() -------------------------------------------------------------------


@pytest.fixture
def two_clinics(db):
    here, there = make_clinic("Here"), make_clinic("There")
    return here, there


def test_for_clinic_keeps_one_clinics_rows_and_chains(two_clinics):
    here, there = two_clinics
    mine = make_patient(here, program=False, screened=False)
    theirs = make_patient(there, program=False, screened=False)
    for p in (mine, theirs):
        raise_alert(patient=p, kind="pain_trend", severity="attention", reason="r")
    acknowledged = raise_alert(patient=mine, kind="note", severity="info", reason="n")
    Alert.objects.filter(pk=acknowledged.pk).update(acknowledged_at=timezone.now())

    assert list(Patient.objects.for_clinic(here)) == [mine]
    assert list(Patient.objects.for_clinic(there.id)) == [theirs]
    assert {a.patient for a in Alert.objects.for_clinic(here)} == {mine}
    assert Alert.objects.for_clinic(here).count() == 2
    # Chains either way with the model's own filters.
    assert Alert.objects.open().for_clinic(here).count() == 1
    assert Alert.objects.for_clinic(here).open().count() == 1
    assert Alert.objects.for_clinic(there).open().get().patient == theirs


def test_for_patient_keeps_one_patients_rows(two_clinics):
    here, _ = two_clinics
    one, two = make_patient(here), make_patient(here)
    assert list(Prescription.objects.for_patient(one)) == [one.prescriptions.get()]
    assert list(Patient.objects.for_patient(two)) == [two]
    # A clinician's row belongs to no patient.
    make_clinician(here)
    assert list(Clinician.objects.for_patient(one)) == []


# --- The scoped fetches -------------------------------------------------------------


def _session(patient: Patient) -> ExerciseSession:
    return ExerciseSession.objects.create(
        patient=patient, plan_date=timezone.localdate(), plan={"steps": []}
    )


def _visit(patient: Patient) -> Appointment:
    return Appointment.objects.create(patient=patient, starts_at=timezone.now())


def _invitation(patient: Patient) -> Invitation:
    return Invitation.objects.create(
        patient=patient,
        token_hash=uuid.uuid4().hex,
        code_hash=uuid.uuid4().hex,
        expires_at=timezone.now() + timedelta(days=3),
    )


def _program(patient: Patient) -> Prescription:
    return Prescription.objects.get(patient=patient, active=True)


def _alert(patient: Patient) -> Alert:
    return raise_alert(patient=patient, kind="pain_trend", severity="attention", reason="r")


# (name in the audit log, fetch, make one for a patient)
PATIENT_THINGS: list[tuple[str, Callable, Callable[[Patient], object]]] = [
    ("alert", alert_for, _alert),
    ("appointment", appointment_for, _visit),
    ("invitation", invitation_for, _invitation),
    ("session", session_for, _session),
    ("program", program_for, _program),
]


def denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied").order_by("created_at"))


@pytest.fixture
def here_and_there(db) -> tuple[Clinic, Clinician, Patient, Clinician, Patient]:
    here, there = make_clinic("Here"), make_clinic("There")
    return (
        here,
        make_clinician(here),
        make_patient(here),
        make_clinician(there),
        make_patient(there),
    )


@pytest.mark.parametrize(
    ("kind", "fetch", "make"), PATIENT_THINGS, ids=[t[0] for t in PATIENT_THINGS]
)
def test_a_clinician_gets_their_clinics_thing(here_and_there, kind, fetch, make):
    _, clinician, patient, _, _ = here_and_there
    thing = make(patient)
    assert fetch(clinician, thing.pk) == thing
    assert fetch(clinician, str(thing.pk)) == thing
    assert denials() == []


@pytest.mark.parametrize(
    ("kind", "fetch", "make"), PATIENT_THINGS, ids=[t[0] for t in PATIENT_THINGS]
)
def test_another_clinics_thing_is_a_404_and_recorded_with_whose_it_was(
    here_and_there, kind, fetch, make
):
    _, clinician, _, _, their_patient = here_and_there
    theirs = make(their_patient)
    with pytest.raises(Http404, match=f"No such {kind}"):
        fetch(clinician, theirs.pk)
    [row] = denials()
    assert row.actor == clinician.user
    assert row.patient == their_patient
    assert row.detail == f"{kind} {theirs.pk}: not theirs to see"


@pytest.mark.parametrize(
    ("kind", "fetch", "make"), PATIENT_THINGS, ids=[t[0] for t in PATIENT_THINGS]
)
def test_an_unknown_or_malformed_id_is_a_404(here_and_there, kind, fetch, make):
    _, clinician, _, _, _ = here_and_there
    unknown = uuid.uuid4()
    with pytest.raises(Http404):
        fetch(clinician, unknown)
    with pytest.raises(Http404):
        fetch(clinician, "not-a-uuid")
    [row] = denials()
    assert row.patient is None
    assert row.detail == f"{kind} {unknown}: does not exist"


@pytest.mark.parametrize(
    ("kind", "fetch", "make"),
    [t for t in PATIENT_THINGS if t[0] in ("session", "program")],
    ids=["session", "program"],
)
def test_a_patient_gets_their_own_thing_and_no_one_elses(here_and_there, kind, fetch, make):
    here, _, patient, _, their_patient = here_and_there
    neighbour = make_patient(here)
    mine = make(patient)
    assert fetch(patient, mine.pk) == mine
    for other in (make(neighbour), make(their_patient)):
        with pytest.raises(Http404):
            fetch(patient, other.pk)
    rows = denials()
    assert [r.actor for r in rows] == [patient.user, patient.user]
    # A patient's probe names no one in the log: only what was asked for.
    assert [r.patient for r in rows] == [None, None]


def test_a_colleague_of_another_clinic_is_a_404_and_recorded(here_and_there):
    here, clinician, _, stranger_clinician, _ = here_and_there
    colleague = make_clinician(here)
    assert colleague_for(clinician, colleague.id) == colleague
    with pytest.raises(Http404):
        colleague_for(clinician, stranger_clinician.id)
    [row] = denials()
    assert row.actor == clinician.user
    assert row.detail.startswith(f"clinician {stranger_clinician.id}:")


def test_a_colleagues_invitation_of_another_clinic_is_a_404_and_recorded(here_and_there):
    here, clinician, _, stranger_clinician, _ = here_and_there

    def invite(clinic: Clinic) -> ClinicianInvitation:
        return ClinicianInvitation.objects.create(
            clinic=clinic,
            display_name="New",
            email="new@example.org",
            token_hash=uuid.uuid4().hex,
            expires_at=timezone.now() + timedelta(days=3),
        )

    ours, theirs = invite(here), invite(stranger_clinician.clinic)
    assert clinician_invitation_for(clinician, ours.id) == ours
    with pytest.raises(Http404):
        clinician_invitation_for(clinician, theirs.id)
    [row] = denials()
    assert row.detail.startswith(f"clinician invitation {theirs.id}:")
