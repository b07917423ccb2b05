"""`agora wordlist SITE ...`: show, add, remove, import and export a site's word list."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.comments.models import Site
from agora.moderation import wordlists
from agora.moderation.languages import SHIPPED
from agora.moderation.matcher import BANNED, SUSPECT
from agora.moderation.models import WordListEntry


class Command(BaseCommand):
    help = ("Show or edit a site's word list. Files use the shipped format: [banned] and [suspect] "
            "headers, one word or phrase per line, # comments.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("site", help="Site slug.")
        parser.add_argument("--add", nargs="+", metavar="PHRASE", help="Add words or phrases.")
        parser.add_argument("--kind", choices=[BANNED, SUSPECT], default=BANNED,
                            help="Kind of the words given with --add (default: banned).")
        parser.add_argument("--language", default="", metavar="CODE",
                            help="Language of the entries given with --add or --import (e.g. de, ar): "
                                 "their inflected forms and spellings are matched too.")
        parser.add_argument("--remove", nargs="+", metavar="PHRASE", help="Remove words or phrases.")
        parser.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                            help="Add every entry of a list file.")
        parser.add_argument("--export", action="store_true", help="Print the list in the file format.")
        parser.add_argument("--test", metavar="TEXT", help="Show what the list finds in TEXT.")

    def handle(self, *args, **options) -> None:
        try:
            site = Site.objects.get(slug=options["site"])
        except Site.DoesNotExist:
            raise CommandError(f"No site '{options['site']}'.") from None
        if options["language"] and options["language"] not in SHIPPED:
            raise CommandError(f"--language is one of {', '.join(SHIPPED)} (or left out).")
        wordlists.ensure_defaults(site)
        if options["add"]:
            added = wordlists.add_entries(site, [(p.strip(), options["kind"]) for p in options["add"]],
                                          language=options["language"])
            self.stdout.write(f"Added {added} {options['kind']} entries.")
        if options["remove"]:
            removed = 0
            for entry in WordListEntry.objects.filter(site=site, phrase__in=options["remove"]):
                entry.delete()  # one by one, so the signal recompiles the matcher
                removed += 1
            self.stdout.write(f"Removed {removed} entries.")
        if options["import_file"]:
            try:
                entries = wordlists.parse_list(options["import_file"].read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {options['import_file']}: {error}") from None
            added = wordlists.add_entries(site, entries, language=options["language"])
            self.stdout.write(f"Imported {len(entries)} entries ({added} new).")
        if options["export"]:
            self._export(site)
        if options["test"]:
            for hit in wordlists.matcher_for(site).find(options["test"]):
                language = f", {hit.language}" if hit.language else ""
                entry = f"(entry {hit.phrase!r}{language})"
                self.stdout.write(f"{hit.kind:8} {hit.start}-{hit.end} {hit.text!r} {entry}")
        if not any(options[name] for name in ("add", "remove", "import_file", "export", "test")):
            counts = {kind: WordListEntry.objects.filter(site=site, kind=kind).count()
                      for kind in (BANNED, SUSPECT)}
            self.stdout.write(f"{site.slug}: {counts[BANNED]} banned, {counts[SUSPECT]} suspect entries.")

    def _export(self, site: Site) -> None:
        for kind in (BANNED, SUSPECT):
            self.stdout.write(f"[{kind}]")
            for phrase in (WordListEntry.objects.filter(site=site, kind=kind)
                           .order_by("phrase").values_list("phrase", flat=True)):
                self.stdout.write(phrase)
