"""The FHIR Bundle: valid R4B by fhir.resources' own models, and it round-trips."""

from __future__ import annotations

import json

from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from supine.clinic.models import AuditEvent
from supine.outcomes.models import PainReport
from supine.reports.fhir import PAIN_SEVERITY, bundle_for, bundle_json, code_system
from tests.factories import make_patient
from tests.reports.helpers import patient_with_history


def _by_type(bundle: Bundle) -> dict[str, list]:
    found: dict[str, list] = {}
    for entry in bundle.entry:
        found.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    return found


def test_it_holds_every_part_of_the_record(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    resources = _by_type(bundle_for(patient))
    assert [p.id for p in resources["Patient"]] == [str(patient.id)]
    assert resources["Organization"][0].name == clinic.name
    assert clinician.display_name in [p.name[0].text for p in resources["Practitioner"]]
    (plan,) = resources["CarePlan"]
    assert [a.detail.code.text for a in plan.activity] == [
        "Deep Abdominal Strengthening",
        "Knee Rolls",
        "Bridge",
    ]
    assert all("reps" in a.detail.description for a in plan.activity)
    pains = [o for o in resources["Observation"] if o.code.coding[0].code == PAIN_SEVERITY]
    assert len(pains) == PainReport.objects.filter(patient=patient).count() == 4
    assert sorted(o.valueInteger for o in pains) == [3, 4, 6, 7]
    assert all(o.effectiveDateTime is not None for o in pains)
    assert {q.url.rsplit("/", 1)[-1] for q in resources["Questionnaire"]} == {"rmdq", "psfs"}
    assert len(resources["QuestionnaireResponse"]) == 3
    totals = [
        o
        for o in resources["Observation"]
        if o.code.coding[0].system == code_system("outcome-scores")
    ]
    assert sorted(float(o.valueQuantity.value) for o in totals) == [5.0, 8.0, 14.0]
    assert len(resources["Appointment"]) == 1


def test_it_round_trips(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    text = bundle_json(patient)
    parsed = Bundle.model_validate_json(text)
    again = json.loads(parsed.model_dump_json())
    assert again == json.loads(text)
    assert [e.resource.id for e in parsed.entry] == [e["resource"]["id"] for e in again["entry"]]


def test_references_point_at_entries_of_the_bundle(clinic, clinician):
    data = json.loads(bundle_json(patient_with_history(clinic, clinician)))
    full_urls = {entry["fullUrl"] for entry in data["entry"]}
    references = []

    def walk(node):
        if isinstance(node, dict):
            if "reference" in node:
                references.append(node["reference"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data["entry"])
    assert references and set(references) <= full_urls


def test_a_patient_with_no_data_yet_still_exports(db):
    resources = _by_type(bundle_for(make_patient(program=False)))
    assert set(resources) == {"Patient", "Organization"}


def test_the_api_answers_fhir_json_and_audits_it(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    client = Client()
    client.force_login(clinician.user)
    response = client.get(f"/api/v1/clinic/patients/{patient.id}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "no-store" in response["Cache-Control"]
    Bundle.model_validate_json(response.content)
    assert AuditEvent.objects.filter(patient=patient, action="patient.export_fhir").exists()


def test_another_clinics_patient_is_a_404(patient, other_clinic_clinician):
    client = Client()
    client.force_login(other_clinic_clinician.user)
    response = client.get(f"/api/v1/clinic/patients/{patient.id}/fhir")
    assert response.status_code == 404


def test_a_patient_may_not_use_the_clinicians_export(patient):
    client = Client()
    client.force_login(patient.user)
    assert client.get(f"/api/v1/clinic/patients/{patient.id}/fhir").status_code == 403
