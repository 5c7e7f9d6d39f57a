"""`supine refresh_summaries`: write every patient's dashboard line again from their
records (once after upgrading; sessions and check-ins keep them current afterwards)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from supine.appointments.summary import refresh_summary
from supine.clinic.models import Patient


class Command(BaseCommand):
    help = "Recompute every patient's dashboard summary from their records."

    def handle(self, *args, **options) -> None:
        count = 0
        for patient in Patient.objects.select_related("clinic").iterator(chunk_size=500):
            refresh_summary(patient)
            count += 1
        self.stdout.write(f"Refreshed {count} patient summaries.")
