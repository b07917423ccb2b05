from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agora.comments.cors import forget_allowed_origins
from agora.comments.models import Site
from agora.comments.services import site_cache_key


@receiver([post_save, post_delete], sender=Site)
def _site_changed(instance: Site, **_: object) -> None:
    forget_allowed_origins()
    cache.delete(site_cache_key(instance.slug))
