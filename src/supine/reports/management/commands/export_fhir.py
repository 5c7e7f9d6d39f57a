from __future__ import annotations

import uuid

from django.core.management.base import BaseCommand, CommandError

from supine.clinic.models import Clinic, Patient
from supine.reports.fhir import bundle_json


class Command(BaseCommand):
    help = (
        "Print FHIR R4 (4.3.0) Bundles as ndjson, one patient's Bundle a line: one patient "
        "(--patient ID), or every patient of a clinic (--clinic, or --clinic ID when there "
        "are several)."
    )

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--patient", help="a patient's id (UUID)")
        which.add_argument(
            "--clinic",
            nargs="?",
            const="",
            help="every patient of the clinic (its id may be left out when there is one)",
        )

    def handle(self, *args, patient: str | None, clinic: str | None, **options) -> None:
        if patient is not None:
            patients = Patient.objects.filter(id=_uuid(patient, "patient"))
            if not patients.exists():
                raise CommandError(f"No patient with id {patient}.")
        else:
            patients = Patient.objects.filter(clinic=_clinic(clinic or ""))
        for one in patients.select_related("clinic", "user").order_by("created_at").iterator():
            self.stdout.write(bundle_json(one))


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CommandError(f"Not a {what} id: {text!r} (expected a UUID).") from None


def _clinic(text: str) -> Clinic:
    if text:
        found = Clinic.objects.filter(id=_uuid(text, "clinic")).first()
        if found is None:
            raise CommandError(f"No clinic with id {text}.")
        return found
    clinics = list(Clinic.objects.order_by("name")[:2])
    if len(clinics) != 1:
        names = ", ".join(f"{c.name} ({c.id})" for c in Clinic.objects.order_by("name")[:20])
        raise CommandError(f"Name the clinic: --clinic ID. Clinics: {names or 'none yet'}.")
    return clinics[0]
