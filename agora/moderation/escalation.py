"""Thread escalation: an article whose recent comments turn hostile switches itself to
pre-moderation, logged and reversible.

After each held or rejected comment the article's recent window is measured: the share of its
comments held or rejected for what they say (word lists, user names, model, repeats, blocked
links, external check; not pre-moderation or the trust ramp), and the number held or rejected
for toxic wording (word lists, user names, model). Either crossing the site's threshold starts
an escalation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.comments.models import Article, Comment
from agora.errors import Conflict
from agora.moderation import audit
from agora.moderation.models import Decision, Escalation, ModerationSettings

TOXIC_RULES = frozenset({"banned_word", "suspect_word", "banned_name", "suspect_name", "toxicity",
                         "posted_after_nudge"})
HOSTILE_RULES = TOXIC_RULES | {"denied_domain", "repeat_same_author", "repeat_across_articles",
                               "hook_hold", "hook_reject"}

# Sent with `escalation` when an article escalates (agora.jobs: webhooks and an alert e-mail).
escalation_started = Signal()


def window_stats(article: Article, settings: ModerationSettings) -> dict[str, Any]:
    since = timezone.now() - timedelta(seconds=settings.escalation_window_seconds)
    rows = (Decision.objects.filter(comment__article=article, source=Decision.Source.PIPELINE,
                                    created_at__gte=since)
            .order_by("created_at", "pk").values_list("comment_id", "status", "reasons"))
    latest = {comment_id: (status, reasons) for comment_id, status, reasons in rows}
    held = rejected = hostile = toxic = 0
    for status, reasons in latest.values():
        if status == Comment.Status.APPROVED:
            continue
        held += status == Comment.Status.PENDING
        rejected += status == Comment.Status.REJECTED
        rules = {reason.get("rule") for reason in reasons}
        hostile += bool(rules & HOSTILE_RULES)
        toxic += bool(rules & TOXIC_RULES)
    total = len(latest)
    return {"window_seconds": settings.escalation_window_seconds, "comments": total, "held": held,
            "rejected": rejected, "hostile": hostile, "toxic": toxic,
            "hold_rate": round(hostile / total, 3) if total else 0.0}


def check(article: Article, settings: ModerationSettings) -> Escalation | None:
    """Escalate the article if its recent window crosses the site's thresholds."""
    if not settings.escalation_enabled:
        return None
    current = Article.objects.filter(pk=article.pk).values_list("premoderate", flat=True).first()
    if current is None or current:
        return None  # already reviewed comment by comment
    stats = window_stats(article, settings)
    if stats["comments"] >= settings.escalation_min_comments and \
            stats["hold_rate"] >= settings.escalation_hold_rate:
        stats["trigger"] = "hold_rate"
    elif settings.escalation_toxicity_velocity and stats["toxic"] >= settings.escalation_toxicity_velocity:
        stats["trigger"] = "toxicity_velocity"
    else:
        return None
    return start(article, stats)


def _describe(stats: dict[str, Any]) -> str:
    minutes = stats["window_seconds"] // 60
    if stats["trigger"] == "hold_rate":
        return (f"{stats['hostile']} of the last {stats['comments']} comments in {minutes} min were held or "
                f"rejected ({stats['hold_rate']:.0%}).")
    return f"{stats['toxic']} toxic comments in {minutes} min."


def set_premoderation(article: Article, on: bool) -> None:
    """Switch an article's pre-moderation (and refresh its cached thread pages)."""
    Article.objects.filter(pk=article.pk).update(premoderate=on, version=F("version") + 1)
    article.premoderate = on


def start(article: Article, stats: dict[str, Any]) -> Escalation | None:
    reason = f"Thread escalated to pre-moderation: {_describe(stats)}"
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(article=article, trigger_stats=stats,
                                                   was_premoderated=article.premoderate)
            set_premoderation(article, True)
            audit.log("article.escalation_start", actor=None, site=article.site, target=article,
                      before={"premoderate": escalation.was_premoderated}, after={"premoderate": True},
                      reason=reason)
    except IntegrityError:  # a concurrent comment escalated it first
        return None
    escalation_started.send(sender=Escalation, escalation=escalation)
    return escalation


def active(article: Article) -> Escalation | None:
    return Escalation.objects.filter(article=article, ended_at__isnull=True).first()


def end_escalation(article: Article, actor: User | None, reason: str = "") -> Escalation:
    """End the article's escalation and give it back the pre-moderation it had before."""
    with transaction.atomic():
        escalation = (Escalation.objects.select_for_update()
                      .filter(article=article, ended_at__isnull=True).first())
        if escalation is None:
            raise Conflict(_("This article is not escalated."), code="not_escalated")
        escalation.ended_at = timezone.now()
        escalation.ended_by = actor
        escalation.save(update_fields=["ended_at", "ended_by"])
        set_premoderation(article, escalation.was_premoderated)
        audit.log("article.escalation_end", actor=actor, site=article.site, target=article,
                  before={"premoderate": True}, after={"premoderate": escalation.was_premoderated},
                  reason=reason)
    return escalation
