"""What follows a change to a comment: live events at once, background jobs for the rest.

`after_commit` runs in the request right after the transaction committed and does only cheap
work (one query, one Redis call per event, one enqueue). `after_change` runs in the worker:
webhooks, reply notifications, the moderators' digest.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection

from agora.comments.models import Article, Comment
from agora.live import conf, events, tasks, webhooks
from agora.live.models import Webhook

logger = logging.getLogger("agora.live")

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
_WEBHOOKS_CACHE = "live:site-has-webhooks:{}"
_COUNT_SQL = f"SELECT comment_count FROM {Article._meta.db_table} WHERE id = %s"


def comment_json(comment: Comment) -> dict:
    """The comment exactly as the thread API serialises it."""
    from agora.comments.api import _comment_out

    return _comment_out(comment)


def site_has_webhooks(site_id: int) -> bool:
    key = _WEBHOOKS_CACHE.format(site_id)
    found = cache.get(key)
    if found is None:
        found = Webhook.objects.filter(site_id=site_id, active=True).exists()
        cache.set(key, found, 60)
    return found


def forget_site_webhooks(site_id: int) -> None:
    cache.delete(_WEBHOOKS_CACHE.format(site_id))


def after_commit(written: Comment, change: str, before: str = "") -> None:
    """Publish live events and queue the background work of one committed change."""
    try:
        # A comment just posted is exactly what this request wrote. Other changes (votes,
        # edits, moderation) can race each other, so they read the committed row back.
        comment = written if change == "posted" else (
            Comment.objects.select_related("article", "author").filter(pk=written.pk).first())
        if comment is None:
            return
        _publish_live(comment, change, before)
        if _needs_background_work(comment, change):
            tasks.enqueue(tasks.comment_changed, comment.pk, change, before)
    except Exception:  # a failed live update must never fail the write that caused it
        logger.exception("live update after %s of comment %s failed", change, written.pk)


def _publish_live(comment: Comment, change: str, before: str) -> None:
    article, status = comment.article, comment.status
    became_visible = status == APPROVED and (
        change == "posted" or (change == "status" and before != APPROVED))
    left_public = (change == "status" and before == APPROVED and status != APPROVED) or (
        change == "deleted" and status == APPROVED)  # a deleted comment is no longer counted
    if became_visible:
        events.publish(article, "comment.created", comment_json(comment))
    elif left_public:
        events.publish(article, "comment.deleted", comment_json(comment))
    elif change == "edited" and status == APPROVED:
        events.publish(article, "comment.updated", comment_json(comment))
    elif change == "voted" and status == APPROVED:
        events.publish(article, "comment.votes", comment_json(comment))
    if became_visible or left_public:
        events.publish(article, "thread.count", {"comment_count": _comment_count(article.pk)})
    _publish_moderation(comment, change, before)


def _comment_count(article_id: int) -> int:
    """The article's visible comments as committed (the article in hand may predate the write)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [article_id])
        found = cursor.fetchone()
    return found[0] if found else 0


def _publish_moderation(comment: Comment, change: str, before: str) -> None:
    held = comment.status == PENDING and (change == "posted" or (change == "status" and before != PENDING))
    key = events.moderation_key(comment.site_id)
    if held:
        payload = {**comment_json(comment), "article": {"id": comment.article_id,
                                                        "url": comment.article.url,
                                                        "title": comment.article.title}}
        events.publish_to(key, "queue.held", payload)
    elif change == "status" and before == PENDING:
        events.publish_to(key, "queue.resolved", {"id": comment.pk, "status": comment.status})


def _needs_background_work(comment: Comment, change: str) -> bool:
    if change not in {"posted", "status", "deleted"}:
        return False
    if site_has_webhooks(comment.site_id):
        return True
    return change != "deleted" and (comment.status == PENDING
                                    or (comment.status == APPROVED and comment.parent_id is not None))


# ---- in the worker ---------------------------------------------------------------------------

def webhook_payload(comment: Comment) -> dict:
    return {"comment": {**comment_json(comment), "site": comment.site.slug, "body": comment.body},
            "article": {"id": comment.article_id, "url": comment.article.url,
                        "title": comment.article.title}}


def after_change(comment_id: int, change: str, before: str) -> None:
    comment = (Comment.objects.select_related("article", "author", "site")
               .filter(pk=comment_id).first())
    if comment is None:
        return
    for event in _webhook_events(comment, change):
        payload = webhook_payload(comment)
        if event == "comment.moderated":
            payload["previous_status"] = before
        for delivery_id in webhooks.create_deliveries(comment.site_id, event, payload):
            tasks.enqueue(tasks.deliver_webhook, delivery_id)
    became_visible = comment.status == APPROVED and (change == "posted" or before != APPROVED)
    if change in {"posted", "status"} and became_visible and comment.parent_id:
        tasks.enqueue(tasks.send_reply_notifications, comment.pk)
    if change in {"posted", "status"} and comment.status == PENDING:
        schedule_moderator_digest(comment.site_id)


def _webhook_events(comment: Comment, change: str) -> list[str]:
    if change == "posted":
        return ["comment.created", "comment.replied"] if comment.parent_id else ["comment.created"]
    return {"status": ["comment.moderated"], "deleted": ["comment.deleted"]}.get(change, [])


def schedule_moderator_digest(site_id: int) -> None:
    """At most one digest per site per period: the first held comment schedules it."""
    period = conf.moderator_digest_seconds()
    if cache.add(f"live:digest-scheduled:{site_id}", 1, timeout=period):
        tasks.enqueue(tasks.send_moderator_digest, site_id, delay_seconds=period)


def after_escalation(article_id: int, reason: str) -> None:
    from agora.comments.models import Article

    article = Article.objects.get(pk=article_id)
    payload = {"article": {"id": article.pk, "url": article.url, "title": article.title},
               "reason": reason}
    for delivery_id in webhooks.create_deliveries(article.site_id, "article.escalated", payload):
        tasks.enqueue(tasks.deliver_webhook, delivery_id)
    # A job of its own: a retry after an SMTP failure must not queue the webhooks again.
    tasks.enqueue(tasks.send_escalation_alert, article_id, reason)
