"""`agora transparency-report --site SLUG [--from DATE] [--to DATE] [--format json|csv|html]`"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from agora.comments.models import Site
from agora.dsa import charts, report


def _day(raw: str | None, label: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--{label} takes a date as YYYY-MM-DD, not {raw!r}.") from None


class Command(BaseCommand):
    help = "Print a site's DSA transparency report (notices, statements, complaints, automation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", required=True, help="The site's slug.")
        parser.add_argument("--from", dest="start", help="First day (YYYY-MM-DD, UTC), inclusive.")
        parser.add_argument("--to", dest="end", help="Last day (YYYY-MM-DD, UTC), inclusive.")
        parser.add_argument("--format", choices=["json", "csv", "html"], default="json")

    def handle(self, *args: object, **options: object) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"No site {options['site']!r}.")
        first, last = _day(options["start"], "from"), _day(options["end"], "to")
        if first and last and first > last:
            raise CommandError("--from is after --to.")
        start = timezone.make_aware(datetime.combine(first, time.min)) if first else None
        end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)) if last else None
        figures = report.build(site, start, end)
        if options["format"] == "csv":
            self.stdout.write(report.as_csv(figures), ending="")
        elif options["format"] == "html":
            self.stdout.write(render_to_string("dsa/report_document.html", {
                "site": site, "report": figures, "charts": charts.for_report(figures),
                "report_json": json.dumps(figures, indent=2)}))
        else:
            self.stdout.write(json.dumps(figures, indent=2))
