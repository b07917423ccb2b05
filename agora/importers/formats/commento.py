"""Commento JSON export: {"version", "comments": [...], "commenters": [...]}.

The commenters come after the comments, so the file is read twice: once for the (small) list of
commenters, once streaming the comments.
"""

from __future__ import annotations

from collections.abc import Iterator

import ijson
from ijson.common import ObjectBuilder

from agora.importers.formats.jsonstream import items
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import html_to_text, parse_datetime

_STATES = {"approved": "approved", "unapproved": "pending", "flagged": "pending"}


def read(path: str, **_options) -> Iterator:
    with open_binary(path) as stream:
        commenters = _commenters(stream)
    seen_urls: set[str] = set()
    with open_binary(path) as stream:
        for number, comment in items(stream, "comments.item", "comment"):
            yield from _comment(number, comment, commenters, seen_urls)


def _commenters(stream) -> dict[str, tuple[str, str]]:
    """First pass: the commenters (name, e-mail) by id; also checks the whole file is valid JSON,
    naming the comment or commenter where it breaks."""
    commenters: dict[str, tuple[str, str]] = {}
    counts = {"comments.item": 0, "commenters.item": 0}
    builder: ObjectBuilder | None = None
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if prefix in counts and event == "start_map":
                counts[prefix] += 1
                builder = ObjectBuilder() if prefix == "commenters.item" else None
            if builder is None:
                continue
            builder.event(event, value)
            if prefix == "commenters.item" and event == "end_map":
                person = builder.value
                commenters[str(person.get("commenterHex"))] = (str(person.get("name") or ""),
                                                              str(person.get("email") or ""))
                builder = None
    except ijson.JSONError as error:
        where = (f"commenter {counts['commenters.item']}" if counts["commenters.item"]
                 else f"comment {counts['comments.item']}")
        raise ImportFormatError(f"{where}: invalid JSON ({' '.join(str(error).split())[:200]})") from None
    return commenters


def _url(comment: dict) -> str:
    path = str(comment.get("url") or "")
    if path.startswith(("http://", "https://")):
        return path
    domain = str(comment.get("domain") or "")
    if domain:
        return f"https://{domain}/{path.lstrip('/')}" if not path.startswith(domain) else f"https://{path}"
    return path


def _comment(number: int, comment: dict, commenters: dict, seen_urls: set[str]) -> Iterator:
    where = f"comment {number}"
    url = _url(comment)
    hex_id = comment.get("commentHex")
    if not hex_id or not url:
        yield Skip("comment without commentHex or url", where)
        return
    if url not in seen_urls:
        seen_urls.add(url)
        yield ArticleRecord(key=url, url=url)
    name, email = commenters.get(str(comment.get("commenterHex")), ("", ""))
    parent = str(comment.get("parentHex") or "root")
    score = int(comment.get("score") or 0)
    yield CommentRecord(
        external_id=f"commento:{hex_id}", article_key=url,
        parent_external_id="" if parent == "root" else f"commento:{parent}",
        body=str(comment.get("markdown") or "") or html_to_text(str(comment.get("html") or "")),
        author_name=name or "Anonymous", author_email=email,
        created_at=parse_datetime(comment.get("creationDate"), where),
        source_status=_STATES.get(str(comment.get("state") or "approved"), "pending"),
        is_deleted=bool(comment.get("deleted")), upvotes=max(score, 0), downvotes=max(-score, 0),
    )
