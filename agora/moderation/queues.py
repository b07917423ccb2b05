"""The moderation queues: which comments each holds, their counts, filters, priority order, and
the cards the workspace shows, built in a fixed number of queries whatever the page size."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import reverse

from agora.comments.models import Comment
from agora.moderation import highlight, params
from agora.moderation.models import DEFAULT_MODEL_THRESHOLDS, Decision, Flag

LABELS = tuple(DEFAULT_MODEL_THRESHOLDS)
QUEUES = ("pending", "flagged", "rejected", "approved", "all")
SORTS = {
    "priority": ("-model_score", "-flag_count", "created_at", "pk"),
    "score": ("-model_score", "created_at", "pk"),
    "flags": ("-flag_count", "created_at", "pk"),
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
}
PAGE_SIZE = 100
HIGH_SCORE = 0.8
RULES_CACHE_SECONDS = 300
EXCERPT = 280


@dataclass(frozen=True)
class Filters:
    site: str = ""
    article: int | None = None
    rule: str = ""
    label: str = ""
    author: str = ""
    sort: str = "priority"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        article = query.get("article", "")
        sort = query.get("sort", "priority")
        label = query.get("label", "")
        return cls(
            site=query.get("site", "")[:50],
            article=params.optional_id(article, "article"),
            rule=query.get("rule", "")[:64],
            label=label if label in LABELS else "",
            author=query.get("author", "")[:254].strip(),
            sort=sort if sort in SORTS else "priority",
        )

    def as_query(self) -> dict[str, Any]:
        values = {"site": self.site, "article": self.article, "rule": self.rule, "label": self.label,
                  "author": self.author, "sort": "" if self.sort == "priority" else self.sort}
        return {k: v for k, v in values.items() if v}


def _model_score() -> Subquery:
    """The highest label score of the comment's latest automatic decision (0 without one)."""
    labels = [Coalesce(Cast(KT(f"scores__{label}"), FloatField()), Value(0.0)) for label in LABELS]
    latest = (Decision.objects.filter(comment=OuterRef("pk"))
              .exclude(source=Decision.Source.MODERATOR)
              .order_by("-created_at", "-pk")
              .annotate(top=Greatest(*labels)).values("top")[:1])
    return Coalesce(Subquery(latest, output_field=FloatField()), Value(0.0))


def _flag_count() -> Coalesce:
    counted = (Flag.objects.filter(comment=OuterRef("pk")).order_by().values("comment")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _unreviewed_flags() -> Q:
    """Flagged and not decided by a moderator since the latest flag."""
    # Evaluated inside the decision subquery: its outer row is the decision, hence "comment".
    last_flag = (Flag.objects.filter(comment=OuterRef("comment")).order_by("-created_at")
                 .values("created_at")[:1])
    reviewed = Decision.objects.filter(comment=OuterRef("pk"), source=Decision.Source.MODERATOR,
                                       created_at__gte=Subquery(last_flag, output_field=DateTimeField()))
    return Q(Exists(Flag.objects.filter(comment=OuterRef("pk")))) & ~Q(Exists(reviewed))


def scoped(site_ids: frozenset[int], filters: Filters) -> QuerySet[Comment]:
    """Comments of the moderator's sites that match the filters (every queue starts here)."""
    comments = Comment.objects.filter(site_id__in=site_ids, is_deleted=False)
    if filters.site:
        comments = comments.filter(site__slug=filters.site)
    if filters.article:
        comments = comments.filter(article_id=filters.article)
    if filters.author:
        key = filters.author
        by_author = Q(author_name__iexact=key) | Q(author_email__iexact=key) | Q(reader_id=key)
        if params.is_object_id(key):
            by_author |= Q(author_id=int(key))
        comments = comments.filter(by_author)
    if filters.rule:
        comments = comments.filter(Exists(_decisions_with_rule(filters.rule)))
    if filters.label:
        threshold = 0.5
        comments = comments.filter(Exists(
            Decision.objects.filter(comment=OuterRef("pk")).exclude(source=Decision.Source.MODERATOR)
            .annotate(value=Cast(KT(f"scores__{filters.label}"), FloatField()))
            .filter(value__gte=threshold)
        ))
    return comments


def _decisions_with_rule(rule: str) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(comment=OuterRef("pk"))
    if connection.features.supports_json_field_contains:
        return decisions.filter(reasons__contains=[{"rule": rule}])
    # SQLite stores the JSON as text written by json.dumps with its default separators.
    return (decisions.annotate(reasons_text=Cast("reasons", TextField()))
            .filter(reasons_text__contains=f'"rule": {json.dumps(rule)}'))


def in_queue(comments: QuerySet[Comment], queue: str) -> QuerySet[Comment]:
    if queue in ("pending", "rejected", "approved"):
        return comments.filter(status=queue)
    if queue == "flagged":
        return comments.exclude(status=Comment.Status.REJECTED).filter(_unreviewed_flags())
    return comments


def counts(site_ids: frozenset[int], filters: Filters) -> dict[str, int]:
    """Every queue's size in two queries."""
    base = scoped(site_ids, filters)
    totals = base.aggregate(
        all=Count("pk"),
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
        rejected=Count("pk", filter=Q(status=Comment.Status.REJECTED)),
        approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
    )
    totals["flagged"] = in_queue(base, "flagged").count()
    return {queue: totals[queue] for queue in QUEUES}


@dataclass(frozen=True)
class Score:
    label: str
    value: float

    @property
    def shown(self) -> str:
        return f"{self.value:.2f}"

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def high(self) -> bool:
        return self.value >= HIGH_SCORE


@dataclass
class Card:
    comment: Comment
    segments: list[highlight.Segment]
    chips: list[dict[str, str]]
    scores: list[Score]
    flags: dict[str, int]
    flag_notes: list[str]
    parent_excerpt: str = ""
    decided_by: str = ""
    # The author's edit after a decision, word by word ({"op", "text"}), when there was one.
    edit_diff: list[dict[str, str]] = field(default_factory=list)
    # Links built once per page from URL prefixes (reversing hundreds of URLs costs real time).
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def author_key(self) -> tuple[str, str]:
        comment = self.comment
        if comment.author_id:
            return "user", str(comment.author_id)
        if comment.reader_id:
            return "reader", comment.reader_id
        return "email", comment.author_email


def page(site_ids: frozenset[int], queue: str, filters: Filters, *, offset: int = 0,
         size: int = PAGE_SIZE) -> list[Card]:
    """One page of a queue as cards: four queries (comments, decisions, flags, parents)."""
    comments = (in_queue(scoped(site_ids, filters), queue)
                .select_related("article", "site", "author")
                .annotate(model_score=_model_score(), flag_count=_flag_count())
                .order_by(*SORTS[filters.sort])
                .prefetch_related(
                    Prefetch("decisions", queryset=Decision.objects.select_related("actor")
                             .order_by("-created_at", "-pk")),
                    Prefetch("flags", queryset=Flag.objects.order_by("created_at")),
                ))
    rows = list(comments[offset:offset + size])
    parents = dict(Comment.objects.filter(pk__in={c.parent_id for c in rows if c.parent_id})
                   .values_list("pk", "body"))
    links = _Links()
    return [_card(comment, parents.get(comment.parent_id, ""), links) for comment in rows]


class _Links:
    def __init__(self) -> None:
        self.action = reverse("moderation:comment-action", args=[0, "ACTION"]).replace("/0/", "/{}/")
        self.author = reverse("moderation:author", args=["KIND", "KEY"]).replace("KIND/KEY", "{}/{}")
        self.article = reverse("moderation:article", args=[0])[:-1] + "{}"

    def for_comment(self, comment: Comment, author_key: tuple[str, str]) -> dict[str, str]:
        kind, key = author_key
        return {
            "approve": self.action.format(comment.pk).replace("ACTION", "approve"),
            "reject": self.action.format(comment.pk).replace("ACTION", "reject"),
            "undo": self.action.format(comment.pk).replace("ACTION", "undo"),
            "template": self.action.format(comment.pk),
            "author": self.author.format(kind, quote(key or "-", safe="@+")),
            "article": self.article.format(comment.article_id),
        }


def _card(comment: Comment, parent_body: str, links: _Links) -> Card:
    decisions = list(comment.decisions.all())
    automatic = next((d for d in decisions if d.source != Decision.Source.MODERATOR), None)
    latest_moderator = next((d for d in decisions if d.source == Decision.Source.MODERATOR), None)
    reasons = automatic.reasons if automatic else []
    scores = _scores(automatic)
    flags: dict[str, int] = {}
    notes = []
    for flag in comment.flags.all():
        flags[flag.reason] = flags.get(flag.reason, 0) + 1
        if flag.explanation:
            notes.append(f"{flag.get_reason_display()}: {flag.explanation[:200]}")
    chips = [{"rule": str(r.get("rule", "")), "phase": str(r.get("phase", "")),
              "message": str(r.get("message", ""))} for r in reasons if isinstance(r, dict)]
    card = Card(
        comment=comment,
        segments=highlight.segments(comment.body, [r for r in reasons if isinstance(r, dict)]),
        chips=chips,
        scores=scores,
        flags=flags,
        flag_notes=notes,
        parent_excerpt=_excerpt(parent_body),
        decided_by=latest_moderator.actor.get_username() if latest_moderator and latest_moderator.actor
        else "",
        edit_diff=next((list(r["diff"]) for r in reasons if isinstance(r, dict) and r.get("diff")), []),
    )
    card.urls = links.for_comment(comment, card.author_key)
    return card


def _scores(decision: Decision | None) -> list[Score]:
    if decision is None:
        return []
    raw = dict(decision.scores or {})
    for reason in decision.reasons or ():
        if isinstance(reason, dict):
            for label, value in (reason.get("scores") or {}).items():
                raw.setdefault(label, value)
    found = []
    for label, value in raw.items():
        try:
            found.append(Score(str(label), max(0.0, min(float(value), 1.0))))
        except (TypeError, ValueError):
            continue
    return sorted(found, key=lambda score: -score.value)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


def rules_seen(site_ids: frozenset[int], limit: int = 500) -> list[str]:
    """Rule names in recent automatic decisions, for the reason filter (cached for a while:
    the list only offers choices, any rule can still be typed into the URL)."""
    key = "moderation:rules:" + ",".join(map(str, sorted(site_ids)))
    cached = cache.get(key)
    if cached is None:
        recent = (Decision.objects.filter(comment__site_id__in=site_ids)
                  .exclude(source=Decision.Source.MODERATOR).exclude(reasons=[])
                  .order_by("-created_at").values_list("reasons", flat=True)[:limit])
        cached = sorted({str(r.get("rule")) for reasons in recent for r in reasons
                         if isinstance(r, dict) and r.get("rule")})
        cache.set(key, cached, RULES_CACHE_SECONDS)
    return cached

