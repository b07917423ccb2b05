"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from agora.accounts.models import User
from agora.comments.models import Site
from agora.moderation.models import AuditEntry


def log(action: str, *, actor: User | None, site: Site | None, target: Any = None,
        before: dict | None = None, after: dict | None = None, reason: str = "") -> AuditEntry:
    """Record one action. `actor` None means the system acted (pipeline, flags, escalation)."""
    return AuditEntry.objects.create(
        actor=actor, actor_name=actor.get_username() if actor is not None else "", action=action,
        site=site, target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(target.pk) if target is not None else "", before=before or {},
        after=after or {}, reason=reason[:2000],
    )
