"""Which changes need work in the background, queued from the domain's signals."""

from __future__ import annotations

from django.db import transaction

from agora.comments.models import Comment
from agora.infra.queue import enqueue
from agora.jobs import actors
from agora.live.webhooks import site_has_webhooks
from agora.moderation.models import Escalation

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


def comment_posted(sender: type, comment: Comment, **kwargs: object) -> None:
    if needs_background_work(comment, "posted"):
        enqueue(actors.comment_changed, comment.pk, "posted", "")


def comment_changed(sender: type, comment: Comment, change: str, before: str = "",
                    **kwargs: object) -> None:
    if needs_background_work(comment, change):
        enqueue(actors.comment_changed, comment.pk, change, before)


def needs_background_work(comment: Comment, change: str) -> bool:
    """Webhooks of the site, a reply notification, or the moderators' digest."""
    if change not in {"posted", "status", "deleted"}:
        return False
    if site_has_webhooks(comment.site_id):
        return True
    return change != "deleted" and (comment.status == PENDING
                                    or (comment.status == APPROVED and comment.parent_id is not None))


def escalation_started(sender: type, escalation: Escalation, **kwargs: object) -> None:
    """`article.escalated` webhooks and an alert e-mail, once the escalation is committed."""
    stats = escalation.trigger_stats or {}
    details = ", ".join(f"{name} {value}" for name, value in stats.items()
                        if name in {"trigger", "comments", "held", "rejected", "hold_rate"})
    reason = (f"escalated to pre-moderation ({details})" if details
              else "escalated to pre-moderation")
    article_id = escalation.article_id
    transaction.on_commit(lambda: enqueue(actors.article_escalated, article_id, reason))
