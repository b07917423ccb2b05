"""Figures for the moderation dashboard, drawn as server-rendered SVG by `svg`.

Each chart is one aggregate query over the moderator's sites (score distributions read a bounded
sample of recent decisions), so the page stays fast on a large database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agora.comments.models import Comment
from agora.moderation import names, svg
from agora.moderation.models import Decision, Flag
from agora.moderation.queues import LABELS

HOURS = 48
FLAG_DAYS = 7
SCORE_SAMPLE = 5000
AGE_BUCKETS = (("< 1 h", 1), ("1-6 h", 6), ("6-24 h", 24), ("1-3 d", 72), ("> 3 d", None))


def charts(site_ids: frozenset[int], now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    hours = [(now - timedelta(hours=HOURS - 1 - i)).replace(minute=0, second=0, microsecond=0)
             for i in range(HOURS)]
    per_hour = comments_per_hour(site_ids, hours)
    held = automatic_outcomes_per_hour(site_ids, hours)
    labels = [f"{h:%d %H}h" for h in hours]
    totals = [sum(per_hour[s][i] for s in per_hour) for i in range(HOURS)]
    return {
        "per_hour": svg.stacked_bars(
            _("Comments per hour, last 48 hours"), labels,
            [svg.Series(names.name("status", status), per_hour[status], svg.PALETTE[status])
             for status in per_hour],
        ),
        "shares": svg.line_chart(
            _("Share of new comments held and rejected by automatic moderation, per hour"), labels,
            [svg.Series(_("held"), _shares(held["pending"], totals), svg.PALETTE["pending"]),
             svg.Series(names.name("status", "rejected"), _shares(held["rejected"], totals),
                        svg.PALETTE["rejected"])],
        ),
        "top_flagged": top_flagged_articles(site_ids, now),
        "queue_age": queue_age(site_ids, now),
        "scores": score_distributions(site_ids, now),
        "totals": {"comments": sum(totals), "held": sum(held["pending"]), "rejected": sum(held["rejected"])},
    }


def _shares(part: list[int], totals: list[int]) -> list[float]:
    return [100.0 * p / t if t else 0.0 for p, t in zip(part, totals, strict=True)]


def _hour_index(hours: list[datetime]) -> dict[datetime, int]:
    return {hour: i for i, hour in enumerate(hours)}


def comments_per_hour(site_ids: frozenset[int], hours: list[datetime]) -> dict[str, list[int]]:
    index = _hour_index(hours)
    series = {status: [0] * len(hours) for status in ("approved", "pending", "rejected")}
    rows = (Comment.objects.filter(site_id__in=site_ids, created_at__gte=hours[0])
            .annotate(hour=TruncHour("created_at")).order_by()
            .values("hour", "status").annotate(n=Count("pk")))
    for row in rows:
        i = index.get(row["hour"])
        if i is not None and row["status"] in series:
            series[row["status"]][i] += row["n"]
    return series


def automatic_outcomes_per_hour(site_ids: frozenset[int], hours: list[datetime]) -> dict[str, list[int]]:
    """Comments held or rejected by the pipeline, flags or escalation, by the hour they were posted."""
    index = _hour_index(hours)
    series = {"pending": [0] * len(hours), "rejected": [0] * len(hours)}
    rows = (Decision.objects.filter(comment__site_id__in=site_ids, comment__created_at__gte=hours[0],
                                    status__in=tuple(series))
            .exclude(source=Decision.Source.MODERATOR)
            .annotate(hour=TruncHour("comment__created_at")).order_by()
            .values("hour", "status").annotate(n=Count("comment", distinct=True)))
    for row in rows:
        i = index.get(row["hour"])
        if i is not None:
            series[row["status"]][i] += row["n"]
    return series


def top_flagged_articles(site_ids: frozenset[int], now: datetime, limit: int = 10) -> SafeString:
    rows = (Flag.objects.filter(comment__site_id__in=site_ids,
                                created_at__gte=now - timedelta(days=FLAG_DAYS))
            .order_by().values("comment__article_id", "comment__article__title", "comment__article__url")
            .annotate(n=Count("pk")).order_by("-n")[:limit])
    bars = [(row["comment__article__title"] or row["comment__article__url"], row["n"],
             reverse("moderation:article", args=[row["comment__article_id"]])) for row in rows]
    return svg.horizontal_bars(_("Most flagged articles, last %(days)d days") % {"days": FLAG_DAYS}, bars)


def queue_age(site_ids: frozenset[int], now: datetime) -> SafeString:
    aggregates = {}
    lower = None
    for _label, hours in AGE_BUCKETS:
        window = Q()
        if hours is not None:
            window &= Q(created_at__gt=now - timedelta(hours=hours))
        if lower is not None:
            window &= Q(created_at__lte=now - timedelta(hours=lower))
        aggregates[f"bucket{len(aggregates)}"] = Count("pk", filter=window)
        lower = hours
    counts = Comment.objects.filter(site_id__in=site_ids, status=Comment.Status.PENDING,
                                    is_deleted=False).aggregate(**aggregates)
    bins = [(label, counts[f"bucket{i}"]) for i, (label, _hours) in enumerate(AGE_BUCKETS)]
    return svg.histogram(_("Pending comments by age"), bins, width=420)


def score_distributions(site_ids: frozenset[int], now: datetime) -> list[tuple[str, SafeString]]:
    """Per label, how many recent comments scored in each tenth of the 0-1 range."""
    bins = {label: [0] * 10 for label in LABELS}
    sample = (Decision.objects.filter(comment__site_id__in=site_ids,
                                      created_at__gte=now - timedelta(days=FLAG_DAYS))
              .exclude(source=Decision.Source.MODERATOR).exclude(scores={})
              .order_by("-created_at").values_list("scores", flat=True)[:SCORE_SAMPLE])
    for scores in sample:
        for label, value in (scores or {}).items():
            if label in bins and isinstance(value, int | float):
                bins[label][min(int(max(value, 0) * 10), 9)] += 1
    named = {label: names.name("label", label) for label in bins}
    return [(named[label],
             svg.histogram(named[label], [(f".{i}", n) for i, n in enumerate(counts)], width=300))
            for label, counts in bins.items()]
