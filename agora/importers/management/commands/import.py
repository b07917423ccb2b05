"""`agora import --format FORMAT FILE --site SITE`: bring comments from another system."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agora.importers import services
from agora.importers.loader import STATUS_CHOICES, ImportOptions
from agora.importers.records import ImportFormatError


class Command(BaseCommand):
    help = "Import comments from a Disqus, WordPress, Isso, Remark42, Commento, saved-page or Agora file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=services.FORMATS)
        parser.add_argument("--site", required=True, help="Slug of the site to import into.")
        parser.add_argument("--status", default="site", choices=[s for s in STATUS_CHOICES if s != "source"],
                            help="Force this status on every comment; 'site' (default) lets the "
                                 "moderation pipeline and the source's own state decide.")
        parser.add_argument("--keep-pingbacks", action="store_true",
                            help="Import WordPress pingbacks and trackbacks as comments.")
        parser.add_argument("--create-site", action="store_true", help="Create the site if it is missing.")
        parser.add_argument("--base-url", default="",
                            help="Prefix for relative thread URLs (default: the site's first origin).")
        parser.add_argument("--url", default="", help="The article's URL (page format).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        try:
            with transaction.atomic():
                site, created = services.get_or_create_site(options["site"], options["create_site"])
                summary = services.import_file(
                    site, options["format"], options["file"],
                    ImportOptions(status=options["status"], base_url=options["base_url"],
                                  progress=not options["no_progress"], site_created=created),
                    keep_pingbacks=options["keep_pingbacks"], url=options["url"],
                )
        except ImportFormatError as error:
            raise CommandError(f"{options['file']}: {error} (nothing was imported)") from None
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror or error}") from None
        for line in summary.lines():
            self.stdout.write(line)
