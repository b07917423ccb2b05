"""Transparency reports (Art. 15 and 24): the counts of one site over a period, as a dict that
becomes JSON, CSV rows or the HTML page with charts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from statistics import median
from typing import Any

from django.db.models import Count, QuerySet

from agora.comments.models import Comment, Site
from agora.dsa.models import Appeal, Notice, Statement
from agora.moderation.models import Decision

HUMAN, MODEL, RULES = "human", "model", "rules"


def _period(queryset: QuerySet, field: str, start: datetime | None, end: datetime | None) -> QuerySet:
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _counts(queryset: QuerySet, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by(field)}


def _median_hours(pairs: list[tuple[datetime, datetime]]) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(median(hours), 2) if hours else None


def phase_kind(phase: str) -> str:
    """Own-initiative moderation is by a moderator, by the model, or by the other rules."""
    if phase == "moderator":
        return HUMAN
    return MODEL if phase == "model" else RULES


def _notices(site: Site, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    notices = _period(Notice.objects.filter(site=site), "received_at", start, end)
    decided = list(notices.exclude(status=Notice.Status.OPEN)
                   .values_list("received_at", "decided_at", "due_at"))
    actioned = notices.filter(status=Notice.Status.ACTIONED).values_list("received_at", "decided_at")
    return {
        "total": notices.count(),
        "from_trusted_flaggers": notices.filter(trusted_flagger__isnull=False).count(),
        "without_notice_form": notices.filter(from_flag=True).count(),
        "by_category": _counts(notices, "category"),
        "by_outcome": {status: notices.filter(status=status).count() for status in Notice.Status.values},
        "median_hours_to_decision": _median_hours([(r, d) for r, d, _ in decided]),
        "median_hours_to_action": _median_hours(list(actioned)),
        "decided_within_target": sum(1 for _, decided_at, due in decided if decided_at <= due),
    }


def _statements(statements: QuerySet) -> dict[str, Any]:
    return {
        "total": statements.count(),
        "by_restriction": _counts(statements, "restriction"),
        "by_ground": _counts(statements, "ground"),
        "by_source": _counts(statements, "source"),
        "by_automation": _counts(statements, "automation"),
        "by_category": _counts(statements, "category"),
    }


def _own_initiative(statements: QuerySet) -> dict[str, Any]:
    own = statements.filter(source=Statement.Source.VOLUNTARY)
    by_phase = _counts(own, "phase")
    kinds: Counter[str] = Counter({HUMAN: 0, MODEL: 0, RULES: 0})
    for phase, count in by_phase.items():
        kinds[phase_kind(phase)] += count
    return {"total": own.count(), "by_kind": dict(kinds), "by_phase": by_phase}


def _accuracy(statements: QuerySet) -> dict[str, Any]:
    """How often automated decisions were undone: on appeal, or by a moderator on review. Holds
    of pre-moderation and the trust ramp (phase "trust") judge no content and are left out."""
    automated = list(statements.filter(automation=Statement.Automation.FULLY).exclude(phase="trust")
                     .values("pk", "comment_id", "created_at"))
    on_appeal = set(Appeal.objects.filter(statement_id__in=[s["pk"] for s in automated],
                                          status=Appeal.Status.REVERSED)
                    .values_list("statement_id", flat=True))
    latest_approval: dict[int, datetime] = {}
    for comment_id, moment in Decision.objects.filter(
            comment_id__in={s["comment_id"] for s in automated if s["comment_id"]},
            source=Decision.Source.MODERATOR, status=Comment.Status.APPROVED,
    ).values_list("comment_id", "created_at"):
        latest_approval[comment_id] = max(moment, latest_approval.get(comment_id, moment))
    by_moderator = {s["pk"] for s in automated if s["pk"] not in on_appeal
                    and latest_approval.get(s["comment_id"]) is not None
                    and latest_approval[s["comment_id"]] >= s["created_at"]}
    total = len(automated)
    reversed_count = len(on_appeal) + len(by_moderator)
    return {"automated_decisions": total, "reversed_on_appeal": len(on_appeal),
            "reversed_by_moderator": len(by_moderator),
            "reversal_rate": round(reversed_count / total, 4) if total else None}


def _appeals(site: Site, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    appeals = _period(Appeal.objects.filter(site=site), "filed_at", start, end)
    decided = appeals.exclude(status=Appeal.Status.OPEN).values_list("filed_at", "decided_at")
    return {"total": appeals.count(), "by_party": _counts(appeals, "party"),
            "by_outcome": {status: appeals.filter(status=status).count() for status in Appeal.Status.values},
            "median_hours_to_decision": _median_hours(list(decided))}


def build(site: Site, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
    statements = _period(Statement.objects.filter(site=site), "created_at", start, end)
    return {
        "site": site.slug,
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "notices": _notices(site, start, end),
        "statements_of_reasons": _statements(statements),
        "own_initiative": _own_initiative(statements),
        "automated_means": _accuracy(statements),
        "complaints": _appeals(site, start, end),
        "bans": {"bans": statements.filter(restriction=Statement.Restriction.BAN).count(),
                 "suspensions": statements.filter(restriction=Statement.Restriction.SUSPENSION).count()},
    }


def _rows(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [row for key, inner in value.items()
                for row in _rows(f"{prefix}.{key}" if prefix else key, inner)]
    return [(prefix, "" if value is None else value)]


def as_csv(report: dict[str, Any]) -> str:
    """One `metric,value` row per figure, metrics named by their path in the JSON report."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "value"])
    writer.writerows(_rows("", report))
    return out.getvalue()
