"""`supine backup` and `supine restore`: a round trip gives back every row of every table,
on SQLite and (in the PostgreSQL pass) on PostgreSQL."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from supine.clinic.models import Clinic, Patient
from supine.demo import create_demo
from supine.library.loader import load_library
from supine.ops.backup import BackupError, postgres_tool
from supine.ops.heartbeat import record_worker_heartbeat
from supine.sessions.models import SessionEvent


def every_table() -> dict[str, list[tuple]]:
    """Every row of every Django table, in an order that does not depend on the database."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            snapshot[table] = sorted(cursor.fetchall(), key=repr)
    return snapshot


@pytest.fixture
def records(transactional_db):
    load_library()
    create_demo(password="demo-backup-password")
    record_worker_heartbeat()
    return every_table()


def test_a_restore_gives_back_every_row_of_every_table(records, tmp_path: Path):
    assert records[Patient._meta.db_table] and records[SessionEvent._meta.db_table]
    backup = tmp_path / "supine.backup"
    call_command("backup", str(backup), stdout=StringIO())
    assert backup.stat().st_size > 0

    # Life goes on after the backup: a row changed, rows added, rows removed.
    Clinic.objects.update(name="Renamed after the backup")
    get_user_model().objects.create_user("after-backup", password="a long password 1")
    SessionEvent.objects.all().delete()
    assert every_table() != records

    call_command("restore", str(backup), "--force", stdout=StringIO())

    assert every_table() == records
    # The restored database takes new rows (PostgreSQL's sequences came back too).
    get_user_model().objects.create_user("after-restore", password="a long password 2")


def test_restore_refuses_a_database_that_holds_accounts_without_force(records, tmp_path):
    backup = tmp_path / "supine.backup"
    call_command("backup", str(backup), stdout=StringIO())
    Clinic.objects.update(name="Kept")

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup), stdout=StringIO())

    assert set(Clinic.objects.values_list("name", flat=True)) == {"Kept"}


def test_restore_fills_an_empty_database_without_force(records, tmp_path):
    backup = tmp_path / "supine.backup"
    call_command("backup", str(backup), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not get_user_model().objects.exists()

    call_command("restore", str(backup), stdout=StringIO())

    assert every_table() == records


def test_a_file_that_is_not_there_is_named(transactional_db, tmp_path):
    with pytest.raises(CommandError, match=r"no backup file at 'missing\.backup'"):
        call_command("restore", str(tmp_path / "missing.backup"), "--force")


def test_a_missing_postgres_tool_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump is not on PATH: .*postgresql-client"):
        postgres_tool("pg_dump")
