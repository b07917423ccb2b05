"""`agora catalogs [--compile] [--check]`: compile the server catalogues and check every
catalogue (server and widget) for missing messages and broken placeholders."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.i18n import catalogs
from agora.i18n.languages import LANGUAGES, widget_code


class Command(BaseCommand):
    help = "Compile agora/locale/*/LC_MESSAGES/django.po to .mo and check all catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--compile", action="store_true", help="Write the .mo files (no msgfmt needed).")
        parser.add_argument("--check", action="store_true", help="Fail on any missing or broken message.")

    def handle(self, *args, **options) -> None:
        if options["compile"]:
            for _code, path in catalogs.server_catalogues():
                self.stdout.write(f"compiled {catalogs.compile_catalogue(path)}")
        if options["check"] or not options["compile"]:
            problems = [problem for _code, path in catalogs.server_catalogues()
                        for problem in catalogs.server_problems(path)]
            problems += [problem for code, _name in LANGUAGES if code != "en"
                         for problem in catalogs.widget_problems(widget_file(code))]
            stale = "compiled .mo out of date: run agora catalogs --compile"
            problems += [catalogs.Problem(str(path), "", stale)
                         for _code, path in catalogs.server_catalogues()
                         if path.exists() and not catalogs.compiled_matches(path)]
            for problem in problems:
                self.stderr.write(str(problem))
            if problems:
                raise CommandError(f"{len(problems)} problem(s) in the catalogues.")
            self.stdout.write("Every catalogue is complete.")


def widget_file(code: str) -> str:
    """The widget looks up `<lang>` then its base language: Brazilian Portuguese is `pt.json`,
    so every `pt-*` page gets it; other locales are named by their language alone."""
    return widget_code(code).split("-")[0]
