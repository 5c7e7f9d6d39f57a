"""A batch of events reads its session once and writes back only what changed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from supine.sessions.models import ExerciseSession
from tests.api.helpers import bearer_client
from tests.sessions.helpers import send, start, whole_session_events

SESSION_TABLE = '"exercise_sessions_exercisesession"'
# The token, the patient, the session (locked), the ids already taken (events, ratings),
# the inserts of the events and the ratings, three reads for the stop rules, one update.
MOST_STATEMENTS = 11


def statements(queries) -> list[str]:
    """The SQL a batch runs, without the savepoints a test's transaction adds."""
    return [
        q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def ten_event_batch(patient):
    api = bearer_client(patient.user)
    session_id = start(api)
    plan = ExerciseSession.objects.get(id=session_id).plan
    batch = whole_session_events(plan)[:10]
    assert {e["type"] for e in batch} >= {"started", "pain_reported", "step_done"}
    with CaptureQueriesContext(connection) as queries:
        response = send(api, session_id, batch)
    assert response.status_code == 200, response.content
    assert len(response.json()["accepted"]) == 10
    return session_id, statements(queries)


def test_a_ten_event_batch_reads_the_session_once(patient):
    _, sql = ten_event_batch(patient)
    reads = [s for s in sql if s.startswith("SELECT") and f"FROM {SESSION_TABLE}" in s]
    assert len(reads) == 1, reads
    assert "FOR UPDATE" in reads[0] or connection.vendor == "sqlite"


def test_a_ten_event_batch_writes_only_the_changed_fields_in_one_update(patient):
    session_id, sql = ten_event_batch(patient)
    updates = [s for s in sql if s.startswith(f"UPDATE {SESSION_TABLE}")]
    assert len(updates) == 1, updates
    assert '"plan"' not in updates[0]
    assert '"started_at"' in updates[0]
    assert ExerciseSession.objects.get(id=session_id).started_at is not None


def test_a_ten_event_batch_runs_few_statements(patient):
    _, sql = ten_event_batch(patient)
    assert len(sql) <= MOST_STATEMENTS, "\n".join(s[:120] for s in sql)
