"""Hooks into moderation: every restricting decision gets its statement of reasons, every
"illegal" flag becomes a notice. Receivers run inside the writer's transaction; rows restored
from an export (`raw`) bring their own records."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from agora.dsa import notices, statements
from agora.moderation.models import AuditEntry, Decision, Flag


@receiver(post_save, sender=Decision)
def _decision_stored(instance: Decision, created: bool = False, raw: bool = False, **_: object) -> None:
    if created and not raw:
        statements.for_decision(instance)


@receiver(post_save, sender=AuditEntry)
def _audit_entry_stored(instance: AuditEntry, created: bool = False, raw: bool = False,
                        **_: object) -> None:
    if created and not raw and instance.action in statements.STANDING_ACTIONS:
        statements.for_standing_action(instance)


@receiver(post_save, sender=Flag)
def _flag_stored(instance: Flag, created: bool = False, raw: bool = False, **_: object) -> None:
    if created and not raw:
        notices.from_flag(instance)
