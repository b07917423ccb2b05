"""Reading threads: pages of top-level comments with their first replies, cached as JSON bytes.

Every cache key carries the article's `version`, which each write bumps in the same
transaction. A reader therefore never sees a page older than the article row it just read,
invalidation works across processes with a per-process cache, and stale pages simply expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from django.core.cache import cache
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from agora.accounts.models import SiteRole, is_staff_of
from agora.comments.models import Article, Comment
from agora.errors import InvalidInput

SORTS: dict[str, tuple[str, ...]] = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "top": ("-score", "-created_at", "-id"),
    "controversial": ("-controversy", "-created_at", "-id"),
}
MAX_PAGE_SIZE = 100
CACHE_SECONDS = 300

# Staff of the comment's site: a moderator or admin role there, or a superuser.
STAFF_AUTHOR = ExpressionWrapper(
    Exists(SiteRole.objects.filter(user=OuterRef("author"), site=OuterRef("site")))
    | Q(author__is_superuser=True),
    output_field=BooleanField(),
)

_FIELDS = (
    "id", "parent_id", "root_id", "depth", "path", "author_name", "author_is_staff", "body_html",
    "is_deleted", "upvotes", "downvotes", "score", "reply_count", "created_at", "edited_at", "status",
)


def _rows(comments: QuerySet) -> QuerySet:
    """The fields a thread page shows, as dicts."""
    return comments.annotate(author_is_staff=STAFF_AUTHOR).values(*_FIELDS)


@dataclass(frozen=True)
class PageRequest:
    sort: str = "oldest"
    offset: int = 0
    page_size: int = 20
    replies_per_comment: int = 5
    full: bool = False

    def validate(self) -> None:
        if self.sort not in SORTS:
            raise InvalidInput(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"page_size is 1 to {MAX_PAGE_SIZE}.", field="page_size")
        if self.offset < 0:
            raise InvalidInput("offset cannot be negative.", field="offset")
        if not 0 <= self.replies_per_comment <= MAX_PAGE_SIZE:
            raise InvalidInput(f"replies is 0 to {MAX_PAGE_SIZE}.", field="replies")

    def cache_key(self, article_id: int, version: int) -> str:
        return (f"thread:{article_id}:{version}:{self.sort}:{self.offset}:"
                f"{self.page_size}:{self.replies_per_comment}:{int(self.full)}")


def serialize(comment: dict[str, Any], hidden_replies: int = 0) -> dict[str, Any]:
    deleted = comment["is_deleted"]
    return {
        "id": comment["id"],
        "parent": comment["parent_id"],
        "depth": comment["depth"],
        "author": {
            "name": "[deleted]" if deleted else comment["author_name"],
            "badge": "staff" if comment.get("author_is_staff") and not deleted else None,
        },
        "html": "" if deleted else comment["body_html"],
        "deleted": deleted,
        "status": comment["status"],
        "created": comment["created_at"].isoformat(),
        "edited": comment["edited_at"].isoformat() if comment["edited_at"] else None,
        "upvotes": comment["upvotes"],
        "downvotes": comment["downvotes"],
        "score": comment["score"],
        "reply_count": comment["reply_count"],
        "hidden_replies": hidden_replies,
    }


def comment_json(comment: Comment) -> dict[str, Any]:
    """One comment as the thread API serialises it (also in live events and webhooks)."""
    row = {field: getattr(comment, field) for field in (
        "id", "parent_id", "depth", "author_name", "body_html", "is_deleted", "upvotes",
        "downvotes", "score", "reply_count", "created_at", "edited_at", "status")}
    row["author_is_staff"] = bool(comment.author_id) and is_staff_of(comment.author, comment.site_id)
    return serialize(row)


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "url": article.url,
        "title": article.title,
        "is_closed": article.is_closed,
        "comment_count": article.comment_count,
    }


def article_version(site_id: int, url: str) -> tuple[int, int] | None:
    """(id, version) of the article at a canonical URL: the one query a cached read costs."""
    return Article.objects.version_at(site_id, url)


def page_bytes(article_id: int, version: int, request: PageRequest) -> bytes:
    """The serialised page, from the cache when this version of the thread was built before."""
    request.validate()
    key = request.cache_key(article_id, version)
    cached = cache.get(key)
    if cached is None:
        article = Article.objects.get(pk=article_id)
        cached = orjson.dumps(build_page(article, request))
        # Keyed by the version read before building: a write racing the build leaves this
        # entry slightly newer than its key, never older.
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def build_page(article: Article, request: PageRequest) -> dict[str, Any]:
    visible = Comment.objects.filter(article=article).visible()
    if request.full:
        rows = list(_rows(visible.order_by("path")))
        return {"article": article_summary(article), "comments": [serialize(r) for r in rows],
                "next_offset": None, "total_top_level": sum(1 for r in rows if r["depth"] == 0)}

    top_level = visible.filter(depth=0)
    total = article.top_level_count
    roots = list(_rows(top_level.order_by(*SORTS[request.sort]))
                 [request.offset:request.offset + request.page_size])
    replies = _first_replies(visible, [r["id"] for r in roots], request.replies_per_comment)
    comments = []
    for root in roots:
        subtree = replies.get(root["id"], [])
        comments.append(root)
        comments.extend(subtree)
    next_offset = request.offset + len(roots)
    return {
        "article": article_summary(article),
        "comments": _with_hidden_counts(comments),
        "next_offset": next_offset if next_offset < total else None,
        "total_top_level": total,
    }


def _first_replies(visible: QuerySet, root_ids: list[int], limit: int) -> dict[int, list[dict]]:
    """The first `limit` replies (depth-first order) under each root, in one query."""
    if not root_ids or limit == 0:
        return {}
    ranked = _rows(visible.filter(root_id__in=root_ids, depth__gt=0)
                   .annotate(rank=Window(RowNumber(), partition_by=[F("root_id")], order_by=F("path").asc()))
                   .filter(rank__lte=limit)
                   .order_by("root_id", "path"))
    grouped: dict[int, list[dict]] = {}
    for row in ranked:
        grouped.setdefault(row["root_id"], []).append(row)
    return grouped


def _with_hidden_counts(rows: list[dict]) -> list[dict[str, Any]]:
    """Serialise rows, telling each comment how many of its direct replies are not on the page."""
    shown_children: dict[int, int] = {}
    for row in rows:
        if row["parent_id"] is not None:
            shown_children[row["parent_id"]] = shown_children.get(row["parent_id"], 0) + 1
    return [serialize(row, max(0, row["reply_count"] - shown_children.get(row["id"], 0)))
            for row in rows]


def replies_page(parent: Comment, offset: int, limit: int) -> dict[str, Any]:
    """Replies below a comment (its whole subtree, depth-first) for "show more replies"."""
    if offset < 0 or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"offset ≥ 0 and limit 1 to {MAX_PAGE_SIZE}.", field="limit")
    below = (Comment.objects.filter(root_id=parent.root_id, path__startswith=f"{parent.path}.")
             .visible().order_by("path"))
    rows = list(_rows(below)[offset:offset + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"comments": _with_hidden_counts(rows),
            "next_offset": offset + limit if more else None}


def own_pending(article_id: int, reader_id: str | None, user_id: int | None) -> list[dict]:
    """The reader's own comments awaiting review: shown to them only, never cached."""
    if not reader_id and not user_id:
        return []
    rows = _rows(Comment.objects.filter(article_id=article_id)
                 .visible_to(reader_id, user_id).filter(status=Comment.Status.PENDING)
                 .order_by("path"))
    return [serialize(row) for row in rows]
