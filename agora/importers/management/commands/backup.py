"""`agora backup [--dir DIR] [--keep N]`: online backup of the SQLite database with retention."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from agora.importers.backup import backup_sqlite


class Command(BaseCommand):
    help = "Back up the SQLite database while Agora runs; keeps the newest N backups."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default="", help="Backup directory (default: DATA_DIR/backups).")
        parser.add_argument("--keep", type=int, default=7, help="Backups to keep (default 7).")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("The database is PostgreSQL: back it up with pg_dump "
                               "(see docs/importing.md, 'Backups').")
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        directory = Path(options["dir"]) if options["dir"] else Path(settings.DATA_DIR) / "backups"
        target, removed = backup_sqlite(settings.DATABASES["default"]["NAME"], directory, options["keep"])
        self.stdout.write(f"backup written: {target} ({target.stat().st_size:,} bytes)")
        for path in removed:
            self.stdout.write(f"removed old backup: {path}")
