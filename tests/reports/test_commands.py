"""`supine handout` and `supine export_fhir`."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.bundle import Bundle

from tests.factories import make_patient
from tests.reports.helpers import pdf_text


def test_handout_writes_the_pdf(patient, tmp_path):
    out = tmp_path / "handout.pdf"
    call_command("handout", str(patient.id), "-o", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert "Bridge" in text and "911" in text


def test_handout_names_what_is_wrong(db, tmp_path):
    with pytest.raises(CommandError, match="Not a patient id"):
        call_command("handout", "42", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No patient with id"):
        call_command("handout", str(uuid.uuid4()), "-o", str(tmp_path / "x.pdf"))


def test_export_fhir_one_patient_is_one_line(patient):
    out = io.StringIO()
    call_command("export_fhir", "--patient", str(patient.id), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert Bundle.model_validate_json(lines[0]).entry[0].resource.id == str(patient.id)


def test_export_fhir_clinic_is_one_bundle_a_patient(clinic, other_clinic_clinician):
    ours = {str(make_patient(clinic).id) for _ in range(3)}
    make_patient(other_clinic_clinician.clinic)
    out = io.StringIO()
    call_command("export_fhir", "--clinic", str(clinic.id), stdout=out)
    found = {json.loads(line)["entry"][0]["resource"]["id"] for line in out.getvalue().splitlines()}
    assert found == ours


def test_export_fhir_asks_which_clinic_when_there_are_several(clinic, other_clinic_clinician):
    with pytest.raises(CommandError, match="Name the clinic"):
        call_command("export_fhir", "--clinic")
