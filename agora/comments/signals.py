from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agora.comments.cors import forget_allowed_origins
from agora.comments.models import Site


@receiver([post_save, post_delete], sender=Site)
def _site_changed(**_: object) -> None:
    forget_allowed_origins()
