"""A patient's record as a FHIR Bundle, built and validated with fhir.resources.

Which FHIR: the issue asks for R4. fhir.resources below 7 is R4 (4.0.1) but is written
for pydantic 1, and Supine's API (django-ninja) needs pydantic 2; fhir.resources 7 and
later make R5 the default, which has no `CarePlan.activity.detail` for the dose. So the
resources are built from `fhir.resources.R4B`: FHIR 4.3.0, the R4 family's last release,
whose Patient, Organization, Practitioner, CarePlan, Observation, Questionnaire,
QuestionnaireResponse and Appointment read the same as R4's for the fields used here.

One Bundle (type "collection") per patient: the Patient, their clinic (Organization),
the clinicians named in it (Practitioner), the active program (CarePlan, one activity
per exercise with the dose in its detail), each pain rating (Observation, LOINC 72514-3),
the RMDQ and PSFS (Questionnaire, each QuestionnaireResponse and its total as an
Observation coded in Supine's own code system) and the visits (Appointment). Entries are
addressed by `urn:uuid:` full URLs, and refer to each other by them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from supine.appointments.models import Appointment
from supine.clinic.models import Clinic, Clinician, Patient
from supine.outcomes.models import PainReport, QuestionnaireResponse
from supine.outcomes.questionnaires import QUESTIONNAIRES, Questionnaire
from supine.programs.dosing import dose_in_words
from supine.programs.models import PrescribedExercise, Prescription, ProgramStatus

FHIR_VERSION = "4.3.0"  # R4B
LOINC = "http://loinc.org"
PAIN_SEVERITY = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported
UCUM = "http://unitsofmeasure.org"
EXPORTED = ("rmdq", "psfs")
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def supine_url(path: str) -> str:
    """Supine's own canonical URLs (code systems, questionnaires), under the site address."""
    return f"{settings.SUPINE_SITE_URL.rstrip('/')}/fhir/{path}"


def code_system(name: str) -> str:
    return supine_url(f"CodeSystem/{name}")


def questionnaire_url(code: str) -> str:
    return supine_url(f"Questionnaire/{code}")


def _ref(kind: str, ident: uuid.UUID | str) -> str:
    # `kind` is for the reader: within a Bundle, the full URL alone finds the resource.
    return f"urn:uuid:{ident}"


def _instant(at: datetime) -> str:
    return at.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def patient_resource(patient: Patient) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.id),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{patient.id}"}],
        "active": patient.user.is_active,
        "name": [{"text": patient.display_name}],
        "managingOrganization": {"reference": _ref("Organization", patient.clinic_id)},
    }
    if patient.birth_year:
        resource["birthDate"] = (
            f"{patient.birth_year:04d}-{patient.birth_month:02d}"
            if patient.birth_month
            else f"{patient.birth_year:04d}"
        )
    if patient.email:
        resource["telecom"] = [{"system": "email", "value": patient.email}]
    return resource


def organization_resource(clinic: Clinic) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(clinic.id),
        "active": True,
        "name": clinic.name,
    }
    if clinic.phone:
        resource["telecom"] = [{"system": "phone", "value": clinic.phone}]
    return resource


def practitioner_resource(clinician: Clinician) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(clinician.id),
        "name": [{"text": clinician.display_name}],
    }
    if clinician.registration_number:
        resource["identifier"] = [
            {
                "system": code_system("registration"),
                "value": clinician.registration_number,
            }
        ]
    if clinician.profession:
        resource["qualification"] = [{"code": {"text": clinician.get_profession_display()}}]
    return resource


_CAREPLAN_STATUS: dict[str, str] = {
    ProgramStatus.ACTIVE: "active",
    ProgramStatus.PAUSED: "on-hold",
    ProgramStatus.ENDED: "completed",
}


def _dose_text(item: PrescribedExercise) -> str:
    dose, ranges = dose_in_words(item)
    return f"{dose} (prescribed range: {ranges})"


def careplan_resource(program: Prescription, items: Iterable[PrescribedExercise]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(program.id),
        "status": _CAREPLAN_STATUS.get(program.status, "unknown"),
        "intent": "plan",
        "title": "Home exercise program for lower back pain",
        "subject": {"reference": _ref("Patient", program.patient_id)},
        "created": _instant(program.created_at),
        "activity": [
            {
                "detail": {
                    "code": {
                        "coding": [
                            {
                                "system": code_system("exercise"),
                                "code": item.exercise.slug,
                                "display": item.exercise.name,
                            }
                        ],
                        "text": item.exercise.name,
                    },
                    "status": "on-hold" if item.paused_at else "in-progress",
                    "description": _dose_text(item),
                    "scheduledString": (
                        f"{program.sessions_per_day} a day, {program.days_per_week} days a week"
                    ),
                }
            }
            for item in items
        ],
    }
    if program.prescribed_by_id:
        resource["author"] = {"reference": _ref("Practitioner", program.prescribed_by_id)}
    if program.note:
        resource["note"] = [{"text": program.note}]
    return resource


def pain_observation(report: PainReport) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(report.id),
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": PAIN_SEVERITY,
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                }
            ]
        },
        "subject": {"reference": _ref("Patient", report.patient_id)},
        "effectiveDateTime": _instant(report.recorded_at),
        "valueInteger": report.score,
        "method": {
            "coding": [
                {
                    "system": code_system("pain-moment"),
                    "code": report.moment,
                    "display": report.get_moment_display(),
                }
            ]
        },
    }
    if report.note:
        resource["note"] = [{"text": report.note}]
    return resource


def _questionnaire_id(code: str) -> str:
    # A stable id per questionnaire, the same in every Bundle.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, questionnaire_url(code)))


def questionnaire_resource(q: Questionnaire) -> dict[str, Any]:
    if q.kind == "activities":
        items = [
            {
                "linkId": "activity",
                "text": "An activity you find hard because of your back",
                "type": "group",
                "repeats": True,
                "item": [
                    {"linkId": "activity.name", "text": "Activity", "type": "string"},
                    {
                        "linkId": "activity.score",
                        "text": "How well you can do it today (0 unable, 10 as before)",
                        "type": "integer",
                    },
                ],
            }
        ]
    else:
        items = [{"linkId": item.id, "text": item.text, "type": "boolean"} for item in q.items]
    return {
        "resourceType": "Questionnaire",
        "id": _questionnaire_id(q.code),
        "url": questionnaire_url(q.code),
        "name": q.code.upper(),
        "title": q.title,
        "status": "active",
        "copyright": q.copyright,
        "item": items,
    }


def questionnaire_response_resource(response: QuestionnaireResponse) -> dict[str, Any]:
    if response.code == "psfs":
        items = [
            {
                "linkId": "activity",
                "item": [
                    {"linkId": "activity.name", "answer": [{"valueString": a["name"]}]},
                    {"linkId": "activity.score", "answer": [{"valueInteger": a["score"]}]},
                ],
            }
            for a in response.answers.get("activities", [])
        ]
    else:
        items = [
            {"linkId": item.id, "answer": [{"valueBoolean": bool(response.answers.get(item.id))}]}
            for item in QUESTIONNAIRES[response.code].items
        ]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.id),
        "questionnaire": questionnaire_url(response.code),
        "status": "completed",
        "subject": {"reference": _ref("Patient", response.patient_id)},
        "authored": _instant(response.completed_at),
        "item": items,
    }


def _total_id(response: QuestionnaireResponse) -> str:
    return str(uuid.uuid5(response.id, "total"))


def total_observation(response: QuestionnaireResponse) -> dict[str, Any]:
    q = QUESTIONNAIRES[response.code]
    return {
        "resourceType": "Observation",
        "id": _total_id(response),
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
        "code": {
            "coding": [
                {
                    "system": code_system("outcome-scores"),
                    "code": f"{response.code}-total",
                    "display": f"{q.title}: total score",
                }
            ]
        },
        "subject": {"reference": _ref("Patient", response.patient_id)},
        "effectiveDateTime": _instant(response.completed_at),
        "valueQuantity": {
            "value": Decimal(response.score).normalize(),
            "unit": "score",
            "system": UCUM,
            "code": "{score}",
        },
        "derivedFrom": [{"reference": _ref("QuestionnaireResponse", response.id)}],
    }


def appointment_resource(visit: Appointment) -> dict[str, Any]:
    participants: list[dict[str, Any]] = [
        {"actor": {"reference": _ref("Patient", visit.patient_id)}, "status": "accepted"}
    ]
    if visit.clinician_id:
        participants.append(
            {"actor": {"reference": _ref("Practitioner", visit.clinician_id)}, "status": "accepted"}
        )
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(visit.id),
        "status": "cancelled" if visit.cancelled_at else "booked",
        "serviceType": [
            {
                "coding": [
                    {
                        "system": code_system("visit-kind"),
                        "code": visit.kind,
                        "display": visit.get_kind_display(),
                    }
                ]
            }
        ],
        "start": _instant(visit.starts_at),
        "end": _instant(visit.starts_at + timedelta(minutes=visit.minutes)),
        "minutesDuration": visit.minutes,
        "participant": participants,
    }
    if visit.note:
        resource["comment"] = visit.note
    return resource


def _active_program(patient: Patient) -> tuple[Prescription | None, list[PrescribedExercise]]:
    """The patient's active prescription, if any, and its exercises in order."""
    program = (
        Prescription.objects.filter(patient=patient, active=True)
        .select_related("prescribed_by")
        .first()
    )
    items = (
        list(
            PrescribedExercise.objects.filter(prescription=program)
            .select_related("exercise")
            .order_by("position")
        )
        if program
        else []
    )
    return program, items


def _clinicians_named(program: Prescription | None, visits: list[Appointment]) -> list[Clinician]:
    """Each clinician the record names, once: who prescribed the program, then who holds
    each visit, in visit order."""
    clinicians: dict[uuid.UUID, Clinician] = {}
    if program and program.prescribed_by:
        clinicians[program.prescribed_by.id] = program.prescribed_by
    for visit in visits:
        if visit.clinician:
            clinicians.setdefault(visit.clinician.id, visit.clinician)
    return list(clinicians.values())


def _questionnaire_resources(responses: list[QuestionnaireResponse]) -> list[dict[str, Any]]:
    """The Questionnaire of each exported code the patient answered, then each response
    with its total as an Observation."""
    resources = [
        questionnaire_resource(QUESTIONNAIRES[code])
        for code in EXPORTED
        if any(r.code == code for r in responses)
    ]
    for response in responses:
        resources += [questionnaire_response_resource(response), total_observation(response)]
    return resources


def bundle_for(patient: Patient) -> Bundle:
    """The patient's Bundle, validated: fhir.resources refuses any resource that is not
    valid R4B, so an invalid export fails here, not in the receiving system."""
    clinic = patient.clinic
    program, items = _active_program(patient)
    visits = list(
        Appointment.objects.filter(patient=patient)
        .select_related("clinician")
        .order_by("starts_at")
    )
    clinicians = _clinicians_named(program, visits)
    responses = list(
        QuestionnaireResponse.objects.filter(patient=patient, code__in=EXPORTED).order_by(
            "completed_at"
        )
    )
    resources: list[dict[str, Any]] = [
        patient_resource(patient),
        organization_resource(clinic),
        *(practitioner_resource(c) for c in clinicians),
    ]
    if program:
        resources.append(careplan_resource(program, items))
    resources += [
        pain_observation(report)
        for report in PainReport.objects.filter(patient=patient).order_by("recorded_at").iterator()
    ]
    resources += _questionnaire_resources(responses)
    resources += [appointment_resource(visit) for visit in visits]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid4()),
            "type": "collection",
            "timestamp": _instant(timezone.now()),
            "entry": [_entry(resource) for resource in resources],
        }
    )


def bundle_json(patient: Patient) -> str:
    return bundle_for(patient).model_dump_json()
