"""The task worker's heartbeat, read by `GET /healthz`.

Each worker records it when it starts and every time it runs the periodic
`look_after_deliveries` (every two minutes, on whichever worker claims it), so a
heartbeat older than a few periods means no worker is running, or none keeps up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from supine.ops.models import Heartbeat

WORKER = "worker"
# Two missed periods of `look_after_deliveries` (every 2 minutes) and a little slack.
WORKER_LATE_AFTER = timedelta(minutes=5)


def record_worker_heartbeat(*, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"seen_at": now or timezone.now()})


def worker_last_seen() -> datetime | None:
    return Heartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()


@dataclass(frozen=True)
class WorkerHealth:
    last_seen: datetime | None
    age_seconds: int | None
    ok: bool

    def as_json(self) -> dict[str, object]:
        return {
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "age_seconds": self.age_seconds,
            "ok": self.ok,
        }


def worker_health(last_seen: datetime | None, *, now: datetime) -> WorkerHealth:
    """How the worker is doing, from its last heartbeat. Clocks of different machines
    disagree a little: a heartbeat from the future counts as just now."""
    if last_seen is None:
        return WorkerHealth(last_seen=None, age_seconds=None, ok=False)
    age = max(0, int((now - last_seen).total_seconds()))
    return WorkerHealth(
        last_seen=last_seen, age_seconds=age, ok=age <= WORKER_LATE_AFTER.total_seconds()
    )
