"""'Download my data': a zip of JSON, CSVs and the FHIR Bundle, for the patient only."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from tests.reports.helpers import patient_with_history


def test_the_patient_downloads_a_zip_of_their_records(clinic, clinician):
    patient = patient_with_history(clinic, clinician)
    client = Client()
    client.force_login(patient.user)
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "README.txt",
        "my-data.json",
        "sessions.csv",
        "pain.csv",
        "questionnaires.csv",
        "fhir-bundle.json",
    }
    record = json.loads(archive.read("my-data.json"))
    assert record["patient"]["id"] == str(patient.id)
    assert len(record["pain_ratings"]) == 4
    assert len(record["questionnaires"]) == 3
    assert {p["exercise__slug"] for p in record["programs"]} >= {"bridge"}
    pains = list(csv.DictReader(io.StringIO(archive.read("pain.csv").decode())))
    assert sorted(int(row["value"]) for row in pains) == [3, 4, 6, 7]
    bundle = Bundle.model_validate_json(archive.read("fhir-bundle.json"))
    assert bundle.entry[0].resource.id == str(patient.id)


def test_clinicians_have_no_my_data(clinician):
    client = Client()
    client.force_login(clinician.user)
    assert client.get("/api/v1/me/export").status_code == 403
