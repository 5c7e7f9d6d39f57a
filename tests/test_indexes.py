"""The lookups that pages and decisions make have their indexes, and no index is redundant."""

from __future__ import annotations

import pytest
from django.db import connection

from supine.clinic.models import Alert, AuditEvent
from supine.programs.models import DoseChange
from supine.sessions.models import ExerciseSession, SessionEvent

pytestmark = pytest.mark.django_db


def indexes_of(model) -> list[list[str]]:
    """The column lists of every index on the model's table, as the database has them."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [info["columns"] for info in found.values() if info["index"] or info["unique"]]


def test_open_alerts_have_a_partial_index():
    (index,) = [i for i in Alert._meta.indexes if i.name == "open_alerts"]
    assert index.condition is not None and "acknowledged_at__isnull" in str(index.condition)
    assert ["severity", "created_at"] in indexes_of(Alert)


def test_dose_history_is_indexed_by_exercise_and_time():
    assert ["item_id", "created_at"] in indexes_of(DoseChange)
    assert ["item_id"] not in indexes_of(DoseChange)


def test_sessions_are_indexed_by_patient_and_day_and_by_patient_and_end():
    indexes = indexes_of(ExerciseSession)
    assert ["patient_id", "plan_date"] in indexes
    assert ["patient_id", "ended_at"] in indexes


def test_audit_rows_are_indexed_by_patient_and_time():
    assert ["patient_id", "created_at"] in indexes_of(AuditEvent)
    assert ["patient_id"] not in indexes_of(AuditEvent)


def test_events_carry_no_redundant_index():
    indexes = indexes_of(SessionEvent)
    assert ["session_id", "type"] in indexes
    # The session's own index would repeat the start of (session, type).
    assert ["session_id"] not in indexes
