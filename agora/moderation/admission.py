"""The first check of every post and edit: the rate limits, decided before any other work.

A client that floods is refused here, before the body is cleaned, the author's name checked or
any phase of the pipeline runs, so that a refused request costs less than a served read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora import identity
from agora.moderation import ratelimits
from agora.moderation.sitesettings import settings_for
from agora.moderation.verdicts import Refusal

if TYPE_CHECKING:
    from agora.accounts.models import User
    from agora.comments.models import Site


def admit(site: Site, *, user: User | None, reader_id: str, ip: str) -> None:
    """Count one post (or edit) of this author and network; 429 once either is over its limit."""
    settings = settings_for(site)
    window = max(1, settings.rate_window_seconds)
    author = identity.author_key(user.pk if user else None, reader_id, ip)
    network = identity.network_of(ip)
    for limit, scope, who in ((settings.rate_limit_per_author, "author", author),
                              (settings.rate_limit_per_ip, "net", network)):
        if not limit or not who:
            continue
        wait = ratelimits.hit(f"post:{site.pk}:{scope}:{who}", limit, window)
        if wait:
            raise Refusal(f"You are posting too fast. Try again in {wait} seconds.",
                          code="rate_limited", throttled=True)
