"""The background jobs, as Dramatiq actors on the task queue (`agora.infra.queue`): webhook
deliveries, reply notifications and their opt-in confirmations, the moderators' digest, escalation alerts.

They run in the worker (or on a background thread of the process without Redis), never in a
request: SMTP and webhook receivers may be slow or down.
"""

from __future__ import annotations

import dramatiq
from django.conf import settings
from django.core.cache import cache

from agora.comments.models import Article, Comment
from agora.comments.threads import comment_json
from agora.infra.queue import QUEUE, enqueue
from agora.live import notify, webhooks

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def deliver_webhook(delivery_id: int) -> None:
    delay = webhooks.attempt(delivery_id)
    if delay is not None:
        enqueue(deliver_webhook, delivery_id, delay_seconds=delay)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def comment_changed(comment_id: int, change: str, before: str = "") -> None:
    after_change(comment_id, change, before)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def send_reply_notifications(comment_id: int) -> None:
    notify.send_reply_notifications(comment_id)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def send_subscription_confirmation(subscription_id: int) -> None:
    notify.send_subscription_confirmation(subscription_id)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def send_moderator_digest(site_id: int) -> None:
    notify.send_moderator_digest(site_id)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def article_escalated(article_id: int, reason: str) -> None:
    after_escalation(article_id, reason)


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=15_000)
def send_escalation_alert(article_id: int, reason: str) -> None:
    notify.send_escalation_alert(article_id, reason)


def queue_webhooks(site_id: int, event: str, payload: dict) -> None:
    for delivery_id in webhooks.create_deliveries(site_id, event, payload):
        enqueue(deliver_webhook, delivery_id)


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
        queue_webhooks(comment.site_id, event, payload)
    became_visible = comment.status == APPROVED and (change == "posted" or before != APPROVED)
    if change in {"posted", "status"} and became_visible and comment.parent_id:
        enqueue(send_reply_notifications, comment.pk)
    if change in {"posted", "status"} and comment.status == PENDING:
        schedule_moderator_digest(comment.site_id)


def _webhook_events(comment: Comment, change: str) -> list[str]:
    if change == "posted":
        return ["comment.created", "comment.replied"] if comment.parent_id else ["comment.created"]
    return {"status": ["comment.moderated"], "deleted": ["comment.deleted"]}.get(change, [])


def schedule_moderator_digest(site_id: int) -> None:
    """At most one digest per site per period: the first held comment schedules it."""
    period = settings.MODERATOR_DIGEST_SECONDS
    if cache.add(f"live:digest-scheduled:{site_id}", 1, timeout=period):
        enqueue(send_moderator_digest, site_id, delay_seconds=period)


def after_escalation(article_id: int, reason: str) -> None:
    article = Article.objects.get(pk=article_id)
    payload = {"article": {"id": article.pk, "url": article.url, "title": article.title},
               "reason": reason}
    queue_webhooks(article.site_id, "article.escalated", payload)
    # A job of its own: a retry after an SMTP failure must not queue the webhooks again.
    enqueue(send_escalation_alert, article_id, reason)
