"""Storing moderator judgements that arrive through ``comments:suggestscore``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from agora.comments.models import Site
from agora.perspective.models import SuggestedScore
from agora.toxicity.perspective import Suggestion


def _token(suggestion: Suggestion) -> str:
    """The client's token; without one, the text stands for the comment."""
    if suggestion.client_token:
        return suggestion.client_token
    return "text:" + hashlib.sha256(suggestion.text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


@transaction.atomic
def record_suggestions(site: Site, suggestions: Sequence[Suggestion]) -> None:
    """Store each judgement; a repeated client token (a moderator changing their mind, or a
    retried request) replaces the earlier judgement instead of adding one."""
    now = timezone.now()
    for s in suggestions:
        SuggestedScore.objects.update_or_create(
            site=site, client_token=_token(s), label=s.label,
            defaults={"text": s.text, "toxic": bool(s.toxic), "community_id": s.community_id,
                      "updated_at": now},
            create_defaults={"text": s.text, "toxic": bool(s.toxic), "community_id": s.community_id,
                             "created_at": now, "updated_at": now},
        )


def site_decisions(site: Site | None) -> list[dict[str, Any]]:
    """The stored judgements as decisions ``{"text", "toxic", "label", "created", "thread"}``."""
    rows = SuggestedScore.objects.all() if site is None else SuggestedScore.objects.filter(site=site)
    return [
        {"text": r.text, "toxic": int(r.toxic), "label": r.label, "created": r.updated_at.isoformat(),
         "thread": r.client_token}
        for r in rows.order_by("pk").iterator()
    ]
