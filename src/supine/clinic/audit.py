"""The audit log as a hash chain.

Each row stores the hash of the row before it and a hash of its own contents together
with that link, so that changing a row afterwards (or removing one) breaks the chain
at that point, and `supine audit verify` names the first broken link. Rows are appended
one writer at a time (the tail is locked), so that two requests writing at the same
moment cannot both link to the same predecessor.

This shows tampering by anyone who edits rows without recomputing every later hash; an
operator who keeps a copy of the latest hash elsewhere (a daily log line) can also tell
a chain that was rewritten from its start.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from supine.clinic.models import AuditEvent

GENESIS = "0" * 64
# The PostgreSQL advisory lock that serialises appends to the chain ("AUDIT" in ASCII).
_TAIL_LOCK = 0x4155444954


def row_hash(
    previous_hash: str,
    *,
    created_at: datetime,
    actor_id: int,
    patient_id,
    action: str,
    detail: str,
    address: str | None,
) -> str:
    payload = [
        previous_hash,
        created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id,
        str(patient_id) if patient_id is not None else None,
        action,
        detail,
        # As the database gives it back, whichever way it was written (IPv6 forms vary).
        str(ipaddress.ip_address(address)) if address else None,
    ]
    encoded = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return row_hash(
        event.previous_hash,
        created_at=event.created_at,
        actor_id=event.actor_id,
        patient_id=event.patient_id,
        action=event.action,
        detail=event.detail,
        address=event.address,
    )


def _lock_tail() -> None:
    # SQLite needs nothing: Supine opens its transactions IMMEDIATE, so a writer holds
    # the database's write lock from its first statement to its commit.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TAIL_LOCK])


def append(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Link `events` (unsaved, in order) to the end of the chain and store them."""
    events = list(events)
    if not events:
        return events
    with transaction.atomic():
        _lock_tail()
        previous = (
            AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        )
        now = timezone.now()
        for event in events:
            event.created_at = now
            event.previous_hash = previous
            event.hash = previous = _hash_of(event)
        return AuditEvent.objects.bulk_create(events)


@dataclass(frozen=True)
class BrokenLink:
    row_id: int
    reason: str


def verify(rows: Iterator[AuditEvent] | None = None) -> tuple[int, BrokenLink | None]:
    """Walk the chain from its first row: how many rows hold, and the first that does not."""
    if rows is None:
        rows = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    previous = GENESIS
    checked = 0
    for event in rows:
        if event.previous_hash != previous:
            return checked, BrokenLink(
                event.id, "it does not follow the row before it (a row was removed or changed)"
            )
        if _hash_of(event) != event.hash:
            return checked, BrokenLink(event.id, "its contents were changed after it was written")
        previous = event.hash
        checked += 1
    return checked, None
