"""`supine worker`: run the background tasks (alert email, escalation).

The database backend's worker, under Supine's name, with its options (`--batch`,
`--interval`, `--queue-name`, …). Run as many as you like, on as many machines: each
task is claimed by one of them. Before it starts it records its heartbeat (shown by
`/healthz`), queues again what a stopped worker left half-done, and makes sure that is
looked at again every few minutes.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from supine.appointments.tasks import keep_reminding
from supine.clinic.tasks import (
    escalate_overdue_alerts,
    keep_looking_after_deliveries,
    requeue_stalled_deliveries,
)
from supine.ops.heartbeat import record_worker_heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run Supine's background tasks (alert email, escalation, reminders) until stopped."

    def handle(self, *args, **options) -> None:
        record_worker_heartbeat()  # read by /healthz; the periodic task keeps it fresh
        requeue_stalled_deliveries()
        escalate_overdue_alerts()
        keep_looking_after_deliveries()
        keep_reminding()
        super().handle(*args, **options)
