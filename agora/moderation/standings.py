"""Authors' standings as the pipeline reads them on every post, through Django's cache.

Entries are keyed by a per-site generation that every change which can restrict or free an
author (ban, suspension, pre-moderation, trust) moves on, so such a change applies to the very
next comment in every process."""

from __future__ import annotations

import hashlib
import secrets

from django.core.cache import cache
from django.db.models import Q

from agora.accounts.models import User
from agora.comments.models import Site
from agora.moderation.models import NetworkBan, Standing

_GENERATION = "moderation:standings-generation:{site_id}"
_ENTRY = "moderation:standings:{site_id}:{generation}:{who}"
_NETWORK_ENTRY = "moderation:network-ban:{site_id}:{generation}:{network}"
_TTL_SECONDS = 300


def _generation(site_id: int) -> str:
    key = _GENERATION.format(site_id=site_id)
    generation = cache.get(key)
    if generation is None:
        generation = secrets.token_hex(4)
        if not cache.add(key, generation, None):
            generation = cache.get(key) or generation
    return generation


def forget(site_id: int) -> None:
    cache.delete(_GENERATION.format(site_id=site_id))


def entry_key(site: Site, *, user: User | None, reader_id: str, email: str) -> str:
    who = hashlib.blake2b(f"{user.pk if user else ''}|{reader_id}|{email.lower()}".encode(),
                          digest_size=12).hexdigest()
    return _ENTRY.format(site_id=site.pk, generation=_generation(site.pk), who=who)


def forget_entry(key: str) -> None:
    cache.delete(key)


def matching(site: Site, *, user: User | None, reader_id: str, email: str) -> list[Standing]:
    """Every standing on the site that matches the author by account, reader id or e-mail."""
    if user is None and not reader_id and not email:
        return []
    key = entry_key(site, user=user, reader_id=reader_id, email=email)
    found = cache.get(key)
    if found is None:
        match = Q(pk__in=[])
        if user is not None:
            match |= Q(user=user)
        if reader_id:
            match |= Q(reader_id=reader_id)
        if email:
            match |= Q(email__iexact=email)
        found = list(Standing.objects.filter(Q(site=site) & match))
        cache.set(key, found, _TTL_SECONDS)
    return found


def network_banned(site: Site, network_hash: str) -> bool:
    """Whether a ban in force covers this network (hashed) on the site."""
    if not network_hash:
        return False
    key = _NETWORK_ENTRY.format(site_id=site.pk, generation=_generation(site.pk), network=network_hash)
    found = cache.get(key)
    if found is None:
        bans = NetworkBan.objects.filter(site=site, network_hash=network_hash, standing__banned=True)
        found = bans.exists()
        cache.set(key, found, _TTL_SECONDS)
    return found
