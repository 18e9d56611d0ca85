"""``manage.py backup FILE``: a consistent copy of the database while the planner runs.

SQLite: SQLite's online backup API (the same as ``sqlite3 planner.sqlite3 ".backup FILE"``),
page by page, while the web server and the worker go on reading and writing; the copy is a
SQLite file that replaces ``planner.sqlite3`` to restore. PostgreSQL: ``pg_dump
--format=custom`` (one consistent snapshot), restored with ``pg_restore``. See the README's
"Backups": the copy is useless for host links made after a restore without the same
SECRET_KEY, which is not in it.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to FILE while the planner runs "
        "(SQLite: online backup; PostgreSQL: pg_dump --format=custom)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup (replaced if it exists).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, database, **options):
        settings_dict = connections[database].settings_dict
        target = Path(file).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        vendor = connections[database].vendor
        if vendor == "sqlite":
            self._sqlite(Path(settings_dict["NAME"]), target)
        elif vendor == "postgresql":
            self._postgresql(settings_dict, target)
        else:
            raise CommandError(f"No backup for a {vendor} database: use its own tools.")
        self.stdout.write(f"Backup written to {target} ({target.stat().st_size} bytes)")

    def _sqlite(self, source: Path, target: Path) -> None:
        if not source.is_file():
            raise CommandError(f"No SQLite database at {source}.")
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        # Its own connections: the copy sees committed data only, whatever this process holds.
        src = sqlite3.connect(source, timeout=20)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # all pages at once: one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
        partial.replace(target)

    def _postgresql(self, settings_dict: dict, target: Path) -> None:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not installed (Debian: apt install postgresql-client).")
        env = os.environ.copy()
        for key, var in (
            ("HOST", "PGHOST"),
            ("PORT", "PGPORT"),
            ("USER", "PGUSER"),
            ("PASSWORD", "PGPASSWORD"),
        ):
            if settings_dict.get(key):
                env[var] = str(settings_dict[key])
        sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
        if sslmode:
            env["PGSSLMODE"] = sslmode
        partial = target.with_name(target.name + ".part")
        name = settings_dict["NAME"]
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={name}"],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        partial.replace(target)
