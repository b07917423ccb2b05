"""WordPress WXR 1.0, 1.1 and 1.2 (http:// and https://wordpress.org/export/ namespaces).

Each <wp:comment> is handled as soon as it is parsed; its <item> (the post) has already given
its link and title, since WordPress writes them before the comments.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import StringConstraints

from agora.importers.formats.schema import Record, validated
from agora.importers.formats.xmlstream import child, child_text, iter_elements, local_name, require_marker
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import html_to_text, parse_datetime

_ID = Annotated[str, StringConstraints(pattern=r"^\d*$")]


class WxrCommentFields(Record):
    """WordPress ids are numbers; a comment without one is skipped (reported)."""

    comment_id: _ID = ""
    comment_parent: _ID = ""


_STATUSES = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending", "spam": "rejected"}
_PINGS = {"pingback", "trackback"}


def _is_wordpress(element) -> bool:
    namespace = element.tag.split("}")[0].lstrip("{") if "}" in element.tag else ""
    return "wordpress.org/export/" in namespace


def read(path: str, *, keep_pingbacks: bool = False, **_options) -> Iterator:
    require_marker(path, b"wordpress.org/export/", "a WordPress export (WXR)")
    announced: set[str] = set()
    blog = None
    for element in iter_elements(path, ("comment", "item"), recover=False, records=("item",)):
        if not hasattr(element, "tag"):
            yield element
            continue
        if local_name(element) == "item" or not _is_wordpress(element):
            continue
        item = element.getparent()
        if item is None or local_name(item) != "item":
            raise ImportFormatError(f"line {element.sourceline}: <wp:comment> outside an <item>")
        if blog is None:
            blog = _blog_host(item.getparent(), item)
        post_key = child_text(item, "post_id") or child_text(item, "link") or f"line-{item.sourceline}"
        if post_key not in announced:
            announced.add(post_key)
            yield _article(item, post_key)
        yield _comment(element, post_key, keep_pingbacks, blog)
        element.clear()


def _article(item, key: str) -> ArticleRecord:
    date = child_text(item, "post_date_gmt")
    if date.startswith("0000"):
        date = child_text(item, "post_date")
    return ArticleRecord(
        key=key, url=child_text(item, "link") or child_text(item, "guid"),
        title=child_text(item, "title"),
        published_at=None if date.startswith("0000") else parse_datetime(date, f"post {key}"),
        is_closed=child_text(item, "comment_status") == "closed",
    )


def _blog_host(channel, item) -> str:
    """Comment ids are per blog: the blog's host keeps two blogs' comment 1 apart."""
    base = (child_text(channel, "base_blog_url") or child_text(channel, "base_site_url")
            or child_text(channel, "link")) if channel is not None else ""
    return urlsplit(base or child_text(item, "link")).netloc.lower() or "blog"


def _comment(element, post_key: str, keep_pingbacks: bool, blog: str):
    comment_id = child_text(element, "comment_id")
    where = f"comment {comment_id} (line {element.sourceline})"
    validated(WxrCommentFields, {name: child_text(element, name) for name in WxrCommentFields.model_fields
                                 if child(element, name) is not None}, where)
    kind = child_text(element, "comment_type")
    if kind in _PINGS and not keep_pingbacks:
        return Skip(f"{kind} (use --keep-pingbacks to import)", where)
    approved = child_text(element, "comment_approved")
    if approved == "trash":
        return Skip("comment in the WordPress trash", where)
    date = child_text(element, "comment_date_gmt")
    if not date or date.startswith("0000"):
        date = child_text(element, "comment_date")
    created = parse_datetime(date, where)
    if created is None or not comment_id:
        return Skip("comment without id or date", where)
    parent = child_text(element, "comment_parent")
    content = child(element, "comment_content")
    return CommentRecord(
        external_id=f"wp:{blog}:{comment_id}", article_key=post_key,
        parent_external_id=f"wp:{blog}:{parent}" if parent not in ("", "0") else "",
        body=html_to_text(content.text if content is not None else ""),
        author_name=child_text(element, "comment_author"),
        author_email=child_text(element, "comment_author_email"),
        created_at=created,
        source_status=_STATUSES.get(approved, "pending"),
    )
