"""`agora audit FILE [--format F] [--html FILE] [--json] [--site-settings FILE]`.

Runs in a throwaway database: the command starts itself again with AGORA_DATABASE_URL pointing at
a temporary SQLite file, so the configured database is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from agora.importers import services, trial
from agora.importers.records import ImportFormatError

CHILD_MARKER = "AGORA_AUDIT_DATABASE"


class Command(BaseCommand):
    help = "Report what Agora's moderation would do to an existing comment export (nothing is stored)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", default="", choices=("", *services.FORMATS),
                            help="Format of the file (default: detected).")
        parser.add_argument("--html", default="", help="Also write a self-contained HTML report here.")
        parser.add_argument("--json", action="store_true",
                            help="Write JSON lines (one object per comment) instead of text.")
        parser.add_argument("--site-settings", default="",
                            help='JSON file: site fields, and moderation settings under "moderation".')
        parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        if os.environ.get(CHILD_MARKER) != connection.settings_dict["NAME"]:
            sys.exit(self._rerun_in_throwaway_database())
        self._audit(options)

    def _rerun_in_throwaway_database(self) -> int:
        with tempfile.TemporaryDirectory(prefix="agora-audit-") as directory:
            database = os.path.join(directory, "audit.sqlite3")
            env = {key: value for key, value in os.environ.items() if key != "AGORA_REDIS_URL"}
            env.update({"AGORA_DATABASE_URL": f"sqlite:///{database}", CHILD_MARKER: database})
            command = [sys.executable, "-m", "agora.cli", "audit", *sys.argv[_argv_start():]]
            return subprocess.run(command, env=env, check=False).returncode

    def _audit(self, options: dict) -> None:
        try:
            site_settings = _load_json(options["site_settings"]) if options["site_settings"] else None
            path = options["file"]
            format_name = options["format"] or services.detect_format(path)
            call_command("migrate", verbosity=0)
            site = trial.make_site(site_settings)
            summary = services.import_file(site, format_name, path,
                                           trial.audit_options(progress=not options["no_progress"]))
        except (ImportFormatError, ValueError) as error:
            raise CommandError(f"{options['file']}: {error}") from None
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror or error}") from None
        if options["html"]:
            with open(options["html"], "w", encoding="utf-8") as stream:
                trial.write_html(site, stream, summary, os.path.basename(path))
        if options["json"]:
            trial.write_json(site, self.stdout)
            return
        colour = options["color"] == "always" or (
            options["color"] == "auto" and self.stdout.isatty() and not os.environ.get("NO_COLOR"))
        trial.write_text(site, self.stdout, summary, colour)


def _argv_start() -> int:
    """Index just after the "audit" word in this process's command line."""
    return sys.argv.index("audit") + 1 if "audit" in sys.argv else len(sys.argv)


def _load_json(path: str) -> dict:
    with open(path, encoding="utf-8") as stream:
        try:
            return json.load(stream)
        except ValueError as error:
            raise ValueError(f"--site-settings {path}: {error}") from None
