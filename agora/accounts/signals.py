"""Keep cached sign-in settings in step with edits (admin, the site settings page)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agora.accounts.models import SiteAuthSettings


@receiver([post_save, post_delete], sender=SiteAuthSettings)
def _site_settings_changed(instance: SiteAuthSettings, **_: object) -> None:
    cache.delete(SiteAuthSettings.cache_key(instance.site_id))
