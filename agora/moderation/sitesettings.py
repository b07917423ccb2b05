"""A site's moderation settings, read through Django's cache (posting reads them every time)."""

from __future__ import annotations

from django.core.cache import cache

from agora.comments.models import Site
from agora.moderation.models import ModerationSettings

_KEY = "moderation:settings:{site_id}"
_TTL_SECONDS = 300


def settings_for(site: Site) -> ModerationSettings:
    key = _KEY.format(site_id=site.pk)
    found = cache.get(key)
    if found is None or found.site_id != site.pk:
        found = ModerationSettings.for_site(site)
        cache.set(key, found, _TTL_SECONDS)
    return found


def forget(site_id: int) -> None:
    cache.delete(_KEY.format(site_id=site_id))
