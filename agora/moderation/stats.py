"""Figures about moderation read from its records, for the metrics endpoint."""

from __future__ import annotations

import collections
from datetime import timedelta

from django.utils import timezone

from agora.moderation.models import Decision

DECISIONS_SCANNED = 50_000


def decision_counts_last_hour() -> dict[tuple[str, str], int]:
    """Moderation decisions of the last hour by status and rule, from the Decision records:
    true across every process and the worker, whatever recorded them."""
    since = timezone.now() - timedelta(hours=1)
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    rows = (Decision.objects.filter(created_at__gte=since)
            .values_list("status", "reasons")[:DECISIONS_SCANNED])
    for status, reasons in rows:
        rules = [r.get("rule", "") for r in reasons or () if isinstance(r, dict)] or ["none"]
        for rule in rules:
            counts[(status, rule)] += 1
    return counts
