"""Building, placing and recounting comments: what posting one comment and importing a
million have in common.

A comment is built unsaved (`build`), gets its id from the database, then is placed in its
thread (`place`: parent, root, depth and the materialised path made of ids). Counters of
visible comments follow each change (`Article.objects.touch`, `Comment.objects.count_reply`),
or are recounted from scratch for many articles at once (`recount`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Count, F, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from agora.comments import markup
from agora.comments.models import Article, Comment, Site
from agora.identity import hash_ip, hash_network

RECOUNT_BATCH = 500


class Placed(Protocol):
    """A comment already in its thread: a Comment, or the few columns of one."""

    pk: int
    path: str
    depth: int
    root_id: int
    article_id: int


def build(site: Site, body: str, *, ip: str = "", **fields: Any) -> Comment:
    """An unsaved comment: the body rendered, the client address kept only as salted hashes
    (an import may bring the hashes themselves instead)."""
    if ip:
        fields["ip_hash"], fields["network_hash"] = hash_ip(ip), hash_network(ip)
    return Comment(site=site, body=body, body_html=markup.render(body) if body.strip() else "",
                   **fields)


def place(comment: Comment, parent: Placed | None) -> None:
    """Set parent, root, depth and path of a saved comment (not stored: `save_places`)."""
    segment = Comment.path_segment(comment.pk)
    if parent is None:
        comment.parent_id, comment.root_id, comment.depth, comment.path = None, comment.pk, 0, segment
    else:
        comment.parent_id, comment.root_id = parent.pk, parent.root_id
        comment.depth, comment.path = parent.depth + 1, f"{parent.path}.{segment}"


def recount(article_ids: Iterable[int]) -> None:
    """Reply counts, visible counts, versions and last-comment times of many articles, in bulk."""
    approved = Comment.Status.APPROVED
    article_ids = sorted(article_ids)
    for start in range(0, len(article_ids), RECOUNT_BATCH):
        chunk = article_ids[start:start + RECOUNT_BATCH]
        replies = Comment.objects.filter(parent=OuterRef("pk"), status=approved) \
            .values("parent").annotate(n=Count("pk")).values("n")
        Comment.objects.filter(article_id__in=chunk).update(
            reply_count=Coalesce(Subquery(replies), Value(0)))
        visible = Comment.objects.filter(article=OuterRef("pk"), status=approved) \
            .values("article").annotate(n=Count("pk")).values("n")
        top_level = Comment.objects.filter(article=OuterRef("pk"), status=approved, depth=0) \
            .values("article").annotate(n=Count("pk")).values("n")
        latest = Comment.objects.filter(article=OuterRef("pk")).values("article") \
            .annotate(last=Max("created_at")).values("last")
        Article.objects.filter(pk__in=chunk).update(
            comment_count=Coalesce(Subquery(visible), Value(0)),
            top_level_count=Coalesce(Subquery(top_level), Value(0)),
            last_comment_at=Subquery(latest), version=F("version") + 1,
        )
