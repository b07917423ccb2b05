"""Who may comment on a site: anonymous readers, accounts, verified accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.accounts.models import SiteAuthSettings
from agora.errors import Forbidden

if TYPE_CHECKING:
    from agora.comments.models import Site
    from agora.identity import Actor


def check_may_comment(site: Site, actor: Actor) -> None:
    """Raise a clear 403 when the site's sign-in rules refuse this actor (nothing is written)."""
    rules = SiteAuthSettings.for_site(site)
    if actor.user is None:
        if not rules.anonymous_allowed:
            raise Forbidden("Log in to comment on this site.", code="login_required")
        return
    if rules.require_verified_email and not actor.user.email_verified:
        raise Forbidden("Confirm your e-mail address before commenting: we sent you a link.",
                        code="email_unverified")
