"""The progress report for the patient's doctor: what was prescribed, how much of it was
done, how pain and the questionnaires moved, what the alerts were and who cleared them,
and the visits. Every section says so when it has nothing yet, so a new patient's report
still reads as a report.

Bounded reads, like the clinician's page: the charts cover the last CHART_DAYS, the lists
their last LIST_LIMIT rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from supine.appointments.models import Appointment
from supine.appointments.services import clinic_zone
from supine.clinic.models import Alert, Patient
from supine.clinic.patient_record import CHART_DAYS, ProgramLine, charts, program_lines
from supine.outcomes.charts import Chart, scores_chart
from supine.outcomes.models import PainMoment, PainReport, QuestionnaireResponse
from supine.outcomes.questionnaire_services import ScoreSummary, score_summaries
from supine.outcomes.questionnaires import QUESTIONNAIRES, meaningful_change, percent_change
from supine.programs.models import Prescription, ProgramStatus
from supine.reports.pdf import paper_for, printable_svg, render_pdf
from supine.safety.models import Clearance
from supine.sessions.models import ExerciseSession, SessionStatus

LIST_LIMIT = 30
ADHERENCE_WEEKS = 4
CHARTED = ("rmdq", "psfs")


@dataclass(frozen=True)
class PainChange:
    first: int
    first_on: date
    latest: int
    latest_on: date
    change: str | None  # "better", "worse" or None (2 points or more: Ostelo 2008)
    percent: int | None


@dataclass(frozen=True)
class ChangeLine:
    measure: str
    first: str
    latest: str
    verdict: str


def verdict(change: str | None, percent: int | None, count: int = 2) -> str:
    """ "Better (43% improvement)", "Worse (200% worse)", "Not a meaningful change (10%…)"."""
    if count < 2:
        return "One score so far"
    words = change.capitalize() if change else "Not a meaningful change"
    if percent is None:
        return words
    return f"{words} ({percent}% improvement)" if percent >= 0 else f"{words} ({-percent}% worse)"


def _score(value: Decimal | int) -> str:
    return f"{float(value):g}"


def change_lines(pain: PainChange | None, summaries: list[ScoreSummary]) -> list[ChangeLine]:
    lines = []
    if pain is not None:
        lines.append(
            ChangeLine(
                "Morning pain (0–10)",
                f"{pain.first} ({pain.first_on:%-d %b %Y})",
                f"{pain.latest} ({pain.latest_on:%-d %b %Y})",
                verdict(pain.change, pain.percent),
            )
        )
    for q in summaries:
        band = f", {q.band}" if q.band else ""
        lines.append(
            ChangeLine(
                q.title,
                f"{_score(q.first)} ({q.first_on:%-d %b %Y})",
                f"{_score(q.latest)} ({q.latest_on:%-d %b %Y}){band}",
                verdict(q.change, q.percent, q.count),
            )
        )
    return lines


@dataclass(frozen=True)
class Adherence:
    done: int
    stopped: int
    planned: int | None  # sessions the program asked for in the period, if there is one
    weeks: int


@dataclass(frozen=True)
class Report:
    patient_name: str
    birth_year: int | None
    clinic_name: str
    clinic_phone: str
    made_on: date
    first: date
    program: list[ProgramLine]
    program_since: date | None
    adherence: Adherence
    charts: list[tuple[str, str, str]]  # title, data: URL of the SVG, text summary
    changes: list[ChangeLine]
    has_questionnaires: bool
    alerts: list[Alert]
    clearances: list[Clearance]
    visits: list[Appointment]


def _local(at: datetime, zone) -> date:
    return timezone.localtime(at, zone).date()


def pain_change(patient: Patient) -> PainChange | None:
    """The first morning pain and the latest, and whether the change is meaningful."""
    mornings = PainReport.objects.filter(patient=patient, moment=PainMoment.MORNING)
    first = mornings.order_by("recorded_at").first()
    latest = mornings.order_by("-recorded_at").first()
    if first is None or latest is None or first.id == latest.id:
        return None
    zone = clinic_zone(patient.clinic)
    return PainChange(
        first=first.score,
        first_on=first.day or _local(first.recorded_at, zone),
        latest=latest.score,
        latest_on=latest.day or _local(latest.recorded_at, zone),
        change=meaningful_change("nprs", first.score, latest.score),
        percent=percent_change("nprs", first.score, latest.score),
    )


def adherence(patient: Patient, *, today: date) -> Adherence:
    since = today - timedelta(weeks=ADHERENCE_WEEKS) + timedelta(days=1)
    counts: dict[str, int] = dict.fromkeys((SessionStatus.COMPLETED, SessionStatus.STOPPED), 0)
    for status in ExerciseSession.objects.filter(
        patient=patient, plan_date__gte=since, plan_date__lte=today, status__in=list(counts)
    ).values_list("status", flat=True):
        counts[status] += 1
    program = Prescription.objects.filter(patient=patient, active=True).first()
    planned = None
    if program is not None and program.status == ProgramStatus.ACTIVE:
        planned = program.sessions_per_day * program.days_per_week * ADHERENCE_WEEKS
    return Adherence(
        done=counts[SessionStatus.COMPLETED],
        stopped=counts[SessionStatus.STOPPED],
        planned=planned,
        weeks=ADHERENCE_WEEKS,
    )


def questionnaire_chart(code: str, points: list[tuple[date, Decimal]]) -> Chart:
    """One questionnaire's scores over time, on its own scale: the Progress page's chart,
    with a sentence for the doctor that counts the scores."""
    q = QUESTIONNAIRES[code]
    chart = scores_chart(
        title=q.title,
        points=[(day, float(score)) for day, score in points],
        lowest=q.lowest,
        highest=q.highest,
        better=q.direction,
    )
    better = "lower" if q.lower_is_better else "higher"
    summary = (
        f"{q.title}: {len(points)} scores ({better} is better), "
        + ", ".join(f"{float(score):g} on {d:%-d %b}" for d, score in points)
        + "."
    )
    return Chart(chart.svg, summary)


def _questionnaire_charts(patient: Patient) -> list[tuple[str, str, str]]:
    zone = clinic_zone(patient.clinic)
    found = []
    for code in CHARTED:
        rows = list(
            QuestionnaireResponse.objects.filter(patient=patient, code=code)
            .order_by("-completed_at")
            .values_list("completed_at", "score")[:LIST_LIMIT]
        )[::-1]
        if rows:
            chart = questionnaire_chart(code, [(_local(at, zone), score) for at, score in rows])
            found.append((QUESTIONNAIRES[code].title, printable_svg(chart.svg), chart.summary))
    return found


def report_for(patient: Patient, *, today: date | None = None) -> Report:
    clinic = patient.clinic
    zone = clinic_zone(clinic)
    today = today or _local(timezone.now(), zone)
    pain, sessions, doses = charts(patient, today=today)
    program = Prescription.objects.filter(patient=patient, active=True).first()
    summaries = score_summaries(patient)
    return Report(
        patient_name=patient.display_name,
        birth_year=patient.birth_year,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        made_on=today,
        first=today - timedelta(days=CHART_DAYS - 1),
        program=program_lines(patient),
        program_since=_local(program.created_at, zone) if program else None,
        adherence=adherence(patient, today=today),
        charts=[
            ("Pain", printable_svg(pain.svg), pain.summary),
            ("Sessions per week", printable_svg(sessions.svg), sessions.summary),
            ("Dose steps", printable_svg(doses.svg), doses.summary),
            *_questionnaire_charts(patient),
        ],
        changes=change_lines(pain_change(patient), summaries),
        has_questionnaires=bool(summaries),
        alerts=list(
            Alert.objects.filter(patient=patient).select_related("acknowledged_by")[:LIST_LIMIT]
        ),
        clearances=list(
            Clearance.objects.filter(patient=patient).select_related("clinician")[:LIST_LIMIT]
        ),
        visits=list(
            Appointment.objects.filter(patient=patient)
            .select_related("clinician")
            .order_by("-starts_at")[:LIST_LIMIT]
        ),
    )


def report_pdf(patient: Patient, *, paper: str | None = None) -> bytes:
    return render_pdf(
        "reports/progress_report.html",
        {"report": report_for(patient), "zone": clinic_zone(patient.clinic)},
        paper=paper_for(patient.clinic.region, paper),
    )
