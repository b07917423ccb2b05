"""Live events from the comments app's signals: the thread's readers and the site's
moderation queue hear of a change at once.

The receivers run in the request right after the transaction committed and do only cheap
work (one Redis call per event). Webhooks and e-mail are `agora.jobs`' part.
"""

from __future__ import annotations

from agora.comments.models import Article, Comment
from agora.comments.threads import comment_json
from agora.live import events

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


def on_comment_posted(sender: type, comment: Comment, **kwargs: object) -> None:
    publish_live(comment, "posted")


def on_comment_changed(sender: type, comment: Comment, change: str, before: str = "",
                       **kwargs: object) -> None:
    publish_live(comment, change, before)


def publish_live(comment: Comment, change: str, before: str = "") -> None:
    article, status = comment.article, comment.status
    became_visible = status == APPROVED and (
        change == "posted" or (change == "status" and before != APPROVED))
    left_public = change == "status" and before == APPROVED and status != APPROVED
    if became_visible:
        events.publish(article, "comment.created", comment_json(comment))
    elif left_public or (change == "deleted" and status == APPROVED):
        events.publish(article, "comment.deleted", comment_json(comment))
    elif change == "edited" and status == APPROVED:
        events.publish(article, "comment.updated", comment_json(comment))
    elif change == "voted" and status == APPROVED:
        events.publish(article, "comment.votes", comment_json(comment))
    if became_visible or left_public:
        # As committed: the article in hand may predate the write.
        count = Article.objects.visible_count(article.pk)
        events.publish(article, "thread.count", {"comment_count": count})
    _publish_moderation(comment, change, before)


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
