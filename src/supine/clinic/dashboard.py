"""What the clinic's dashboard reads: open alerts by severity then age, and one page of
the patient list. A constant number of queries, whatever the number of patients or
the length of their histories: each patient's line comes from their PatientSummary
(written when a session ends or a check-in lands) and a few lookups for the 50 shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from supine.appointments.models import Appointment
from supine.appointments.summary import adherence
from supine.clinic.access import patients_of_clinician
from supine.clinic.models import Alert, AlertSeverity, Clinician, Patient
from supine.safety.models import Clearance, SafetyBlock, Screening

PAGE_SIZE = 50
ALERTS_SHOWN = 50
SEVERITY_RANK = Case(
    When(severity=AlertSeverity.URGENT, then=Value(0)),
    When(severity=AlertSeverity.ATTENTION, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
# The sort orders a clinician can choose, by the name in the page's address.
SORTS: dict[str, tuple[str | OrderBy, str]] = {
    "name": ("display_name", "id"),
    "last_session": (F("summary__last_session_on").asc(nulls_first=True), "display_name"),
    "morning_pain": (F("summary__last_morning_pain").desc(nulls_last=True), "display_name"),
    "next_visit": (F("next_visit").asc(nulls_last=True), "display_name"),
}


def open_alerts(clinician: Clinician, *, limit: int = ALERTS_SHOWN) -> list[Alert]:
    """Urgent first, then attention, then info; the longest waiting first in each."""
    return list(
        Alert.objects.open()
        .for_clinic(clinician.clinic_id)
        .annotate(rank=SEVERITY_RANK)
        .select_related("patient")
        .order_by("rank", "created_at", "id")[:limit]
    )


def open_alert_counts(clinician: Clinician) -> dict[str, int]:
    rows = (
        Alert.objects.open()
        .for_clinic(clinician.clinic_id)
        .values("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["severity"]: row["n"] for row in rows}


def recently_acknowledged(clinician: Clinician, *, limit: int = 10) -> list[Alert]:
    return list(
        Alert.objects.for_clinic(clinician.clinic_id)
        .filter(acknowledged_at__gte=timezone.now() - timedelta(days=2))
        .select_related("patient", "acknowledged_by")
        .order_by("-acknowledged_at")[:limit]
    )


@dataclass(frozen=True)
class PatientLine:
    patient: Patient
    standing: str
    needs_you: bool
    last_session_on: date | None
    adherence_14d: float | None
    morning_pain: int | None
    morning_trend: str
    next_visit: datetime | None


@dataclass(frozen=True)
class PatientPage:
    lines: list[PatientLine]
    count: int
    page: int
    pages: int
    q: str
    sort: str


def _next_visit() -> Subquery:
    return Subquery(
        Appointment.objects.booked()
        .filter(patient=OuterRef("pk"), starts_at__gte=timezone.now() - timedelta(hours=1))
        .order_by("starts_at")
        .values("starts_at")[:1],
        output_field=DateTimeField(),
    )


def _matching(clinician: Clinician, q: str) -> QuerySet[Patient]:
    patients = patients_of_clinician(clinician)
    if q:
        patients = patients.filter(display_name__icontains=q)
    return patients


def patient_page(clinician: Clinician, *, q: str = "", page: int = 1, sort: str = "name"):
    q = q.strip()[:100]
    sort = sort if sort in SORTS else "name"
    patients = _matching(clinician, q)
    count = patients.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(1, page), pages)
    latest_advice = (
        Screening.objects.filter(patient=OuterRef("pk"))
        .order_by("-created_at")
        .values("clinician_advised")[:1]
    )
    shown = list(
        patients.select_related("summary")
        .annotate(
            next_visit=_next_visit(),
            advised=Subquery(latest_advice),
            cleared=Exists(Clearance.objects.filter(patient=OuterRef("pk"))),
            blocked=Exists(SafetyBlock.objects.open().filter(patient=OuterRef("pk"))),
        )
        .order_by(*SORTS[sort])[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    today = timezone.localdate()
    lines = []
    for patient in shown:
        summary = getattr(patient, "summary", None)
        standing, needs_you = standing_of(patient)
        lines.append(
            PatientLine(
                patient=patient,
                standing=standing,
                needs_you=needs_you,
                last_session_on=summary.last_session_on if summary else None,
                adherence_14d=adherence(summary.session_days, today=today) if summary else None,
                morning_pain=summary.last_morning_pain if summary else None,
                morning_trend=summary.morning_trend if summary else "",
                next_visit=patient.next_visit,
            )
        )
    return PatientPage(lines=lines, count=count, page=page, pages=pages, q=q, sort=sort)


def standing_of(patient) -> tuple[str, bool]:
    """Where the patient stands before exercising, in the clinician's words, and whether
    it needs the clinician (from the `blocked`, `advised`, `cleared` annotations)."""
    if patient.blocked:
        return "Paused — needs clearance", True
    if patient.advised is None:
        return "Safety questions not answered yet", False
    if not patient.advised and not patient.cleared:
        return "Waiting for a clinician's advice or clearance", True
    return "Exercising", False
