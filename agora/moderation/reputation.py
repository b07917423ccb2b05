"""Identities that cost something: what a reader's flags and votes weigh, how fast new reader
tokens are handed out, and the bans that keep a banned reader from acting at all.

A reader token is free, so by itself it earns nothing: a token's flags and votes carry little
weight until it has standing, which comes with age (READER_STANDING_SECONDS), an approved comment
on the site that is an hour old, or an account. Flags count once per network, at the weight of its strongest
reporter. New tokens are rate-limited per network, and a network that asks for many of them is
a signal the pipeline shows moderators (see docs/moderation.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from agora import identity
from agora.comments.models import Comment
from agora.errors import Forbidden, RateLimited
from agora.moderation import ratelimits, standings

if TYPE_CHECKING:
    from agora.comments.models import Site
    from agora.identity import Actor

TRUSTED_WEIGHT = 2.0
ESTABLISHED_WEIGHT = 1.0
NEW_READER_WEIGHT = 0.25
COMMENT_STANDING_SECONDS = 3600
_HOUR = 3600


def weight(site: Site, actor: Actor) -> float:
    """How much this reader's flag counts on the site (and whether their vote counts fully)."""
    own = standings.matching(site, user=actor.user, reader_id=actor.reader_id, email="")
    if any(standing.trusted for standing in own):
        return TRUSTED_WEIGHT
    if actor.user is not None:
        return ESTABLISHED_WEIGHT
    if not actor.reader_id:
        return 0.0
    if actor.aged or _approved_before(site, actor.reader_id):
        return ESTABLISHED_WEIGHT
    return NEW_READER_WEIGHT


def _approved_before(site: Site, reader_id: str) -> bool:
    """An approved comment of the reader's that is older than an hour: a sock puppet cannot
    post once and vote with full weight the next second."""
    settled = timezone.now() - timedelta(seconds=COMMENT_STANDING_SECONDS)
    return Comment.objects.filter(site=site, reader_id=reader_id, status=Comment.Status.APPROVED,
                                  created_at__lt=settled).exists()


def has_standing(site: Site, actor: Actor) -> bool:
    return weight(site, actor) >= ESTABLISHED_WEIGHT


def refuse_banned(site: Site, actor: Actor, network_hash: str) -> None:
    """A banned account or reader, or a reader in a banned network, may not vote, flag or subscribe."""
    found = standings.matching(site, user=actor.user, reader_id=actor.reader_id, email="")
    if any(standing.banned for standing in found) or standings.network_banned(site, network_hash):
        raise Forbidden(f"You can no longer take part on {site.name}.", code="banned")


def _token_key(network: str) -> str:
    return f"reader-token:{network}"


def admit_new_token(ip: str) -> None:
    """Count one new reader token for the client's network; 429 past the hourly limit."""
    network = identity.network_of(ip)
    limit = settings.READER_TOKENS_PER_NETWORK_PER_HOUR
    if not network or not limit:
        return
    wait = ratelimits.hit(_token_key(network), limit, _HOUR)
    if wait:
        minutes = max(1, wait // 60)
        raise RateLimited(f"Too many new readers from your network. Try again in {minutes} minutes.",
                          code="too_many_readers")


def new_tokens_last_hour(ip: str) -> int:
    """How many reader tokens the client's network was given in the last hour."""
    network = identity.network_of(ip)
    limit = settings.READER_TOKENS_PER_NETWORK_PER_HOUR
    if not network or not limit:
        return 0
    return ratelimits.used(_token_key(network), limit, _HOUR)
