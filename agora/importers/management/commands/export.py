"""`agora export --site SITE [--output FILE] [--format json|jsonl]`: lossless export of one site."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from agora.comments.models import Site
from agora.importers import export


class Command(BaseCommand):
    help = "Export a site (settings, articles, comments, votes, moderation history) as JSON or JSON lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--site", required=True)
        parser.add_argument("--output", default="-", help="File to write (default: standard output).")
        parser.add_argument("--format", default="jsonl", choices=("jsonl", "json"))

    def handle(self, *args, **options) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"No site '{options['site']}'.")
        if options["output"] == "-":
            count = export.write(site, sys.stdout.buffer, options["format"])
            sys.stdout.buffer.flush()
            return
        partial = options["output"] + ".partial"
        with open(partial, "wb") as stream:
            count = export.write(site, stream, options["format"])
        os.replace(partial, options["output"])
        self.stderr.write(f"{count} records written to {options['output']}")
