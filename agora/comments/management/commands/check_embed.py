"""`agora check --site SLUG --origin URL`: may a page on URL's origin embed the site's widget?

Says what the widget's refusal says (which origin to allow, and where) and exits 1 when the
origin is refused, so it fits a deploy script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agora.comments import services
from agora.errors import Forbidden, NotFound


def origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise CommandError(_("--origin needs an http(s) URL such as https://news.example, not %(url)r.")
                           % {"url": url})
    return f"{parts.scheme}://{parts.netloc}".lower()


class Command(BaseCommand):
    help = "Check that a page on ORIGIN may embed the comments of site SLUG."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--site", required=True, help="the site's slug")
        parser.add_argument("--origin", required=True, help="the page's origin or any URL on it")

    def handle(self, *args, site: str, origin: str, **options) -> None:
        origin = origin_of(origin)
        try:
            found = services.get_site(site)
        except NotFound:
            raise CommandError(_("No site '%(site)s'. Sites are listed at /admin/comments/site/.")
                               % {"site": site}) from None
        try:
            services.check_origin(found, origin)
        except Forbidden as refusal:
            raise CommandError(f"{refusal.message}\n{refusal.details['fix']}") from None
        self.stdout.write(_("OK: %(origin)s may embed the comments of site '%(site)s' (%(name)s).")
                          % {"origin": origin, "site": found.slug, "name": found.name})
