"""Backing up and restoring the whole database, for the operator.

SQLite is copied with its online backup API, page by page under SQLite's own locking, so
a backup taken while Supine serves is consistent; a restore writes the copy back the
same way. PostgreSQL is dumped with `pg_dump` in its custom format and restored with
`pg_restore` in one transaction, so a restore that fails changes nothing. Both take the
connection from Django's settings, so they act on exactly the database Supine uses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRES_CLIENT_HINT = (
    "install the PostgreSQL client tools of your server's major version or newer "
    "(Debian and Ubuntu: `apt-get install postgresql-client`; macOS: `brew install libpq`)"
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what to do."""


def backup(path: Path, *, database: BaseDatabaseWrapper = connection) -> None:
    """Write a consistent copy of the whole database to `path` (replaced if present)."""
    vendor = database.vendor
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent.name!r} for the backup does not exist.")
    partial = path.with_name(path.name + ".partial")
    try:
        if vendor == "sqlite":
            _sqlite_backup(database, partial)
        elif vendor == "postgresql":
            _run(
                "pg_dump",
                ["--format=custom", "--no-owner", f"--file={partial}"],
                database.settings_dict,
            )
        else:
            raise BackupError(_unsupported(vendor))
        # Only a finished backup takes the name: a failed one never leaves a file that
        # looks like a backup.
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(path: Path, *, force: bool, database: BaseDatabaseWrapper = connection) -> None:
    """Replace the whole database with the backup at `path`.

    Refuses when the database already holds accounts, unless `force`.
    """
    vendor = database.vendor
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path.name!r}.")
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_unsupported(vendor))
    if not force and (accounts := account_count(database)):
        raise BackupError(
            f"The database is not empty: it holds {accounts} account(s), and restoring "
            "replaces everything in it. Run the restore again with --force to overwrite it."
        )
    if vendor == "sqlite":
        _sqlite_restore(database, path)
    else:
        database.close()  # no session of ours holds a table the restore drops
        _run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"],
            database.settings_dict,
            file=path,
        )


def account_count(database: BaseDatabaseWrapper = connection) -> int:
    """How many sign-in accounts the database holds (0 when it has no tables yet): every
    clinic, clinician and patient hangs off one, so none means nobody's data."""
    from django.contrib.auth import get_user_model

    table = get_user_model()._meta.db_table
    with database.cursor() as cursor:
        if table not in database.introspection.table_names(cursor):
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {database.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def postgres_tool(name: str) -> str:
    """The path of a PostgreSQL client program, or an error saying what to install."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH: {POSTGRES_CLIENT_HINT}.")
    return found


def _sqlite_backup(database: BaseDatabaseWrapper, target: Path) -> None:
    database.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with database.wrap_database_errors:
            database.connection.backup(destination)
    finally:
        destination.close()


def _sqlite_restore(database: BaseDatabaseWrapper, source_path: Path) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        try:
            source.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError(f"{source_path.name!r} is not a SQLite backup.") from None
        database.ensure_connection()
        with database.wrap_database_errors:
            source.backup(database.connection)
    finally:
        source.close()


def _run(
    program: str,
    options: list[str],
    settings_dict: dict[str, Any],
    *,
    file: Path | None = None,
) -> None:
    argv = [postgres_tool(program), *options, *_connection_options(settings_dict)]
    argv.append(f"--dbname={settings_dict['NAME']}")
    if file is not None:
        argv.append(str(file))
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]  # never on the command line
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if value := settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(value)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{program} failed (exit code {done.returncode}):\n{done.stderr.strip()}")


def _connection_options(settings_dict: dict[str, Any]) -> list[str]:
    options = []
    if settings_dict.get("HOST"):
        options.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        options.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        options.append(f"--username={settings_dict['USER']}")
    return [*options, "--no-password"]


def _unsupported(vendor: str) -> str:
    return f"Backup and restore support SQLite and PostgreSQL; this database is {vendor}."
