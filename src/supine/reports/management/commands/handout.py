from __future__ import annotations

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supine.clinic.models import Patient
from supine.reports.handout import handout_pdf
from supine.reports.pdf import PAPERS


class Command(BaseCommand):
    help = "Write a patient's printed handout (their program, pictures, when to get help) as PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("patient_id", help="the patient's id (a UUID, as in their page's URL)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--paper", choices=sorted(PAPERS), help="default: Letter in the US, A4 elsewhere"
        )

    def handle(self, *args, patient_id: str, output: str, paper: str | None, **options) -> None:
        try:
            wanted = uuid.UUID(patient_id)
        except ValueError:
            raise CommandError(f"Not a patient id: {patient_id!r} (expected a UUID).") from None
        patient = Patient.objects.select_related("clinic").filter(id=wanted).first()
        if patient is None:
            raise CommandError(f"No patient with id {wanted}.")
        content = handout_pdf(patient, paper=paper)
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote the handout to {output}."))
