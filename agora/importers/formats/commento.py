"""Commento JSON export: {"version", "comments": [...], "commenters": [...]}.

The commenters come after the comments, so the file is read twice: once for the (small) list of
commenters, once streaming the comments. Every record is checked against its schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import ijson
from ijson.common import ObjectBuilder

from agora.importers.formats.jsonstream import items
from agora.importers.formats.schema import Record, validated
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import html_to_text, parse_datetime

_STATES = {"approved": "approved", "unapproved": "pending", "flagged": "pending"}
_LISTS = ("comments", "commenters")
_ITEM_EVENTS = {"start_map", "map_key", "end_map"}


class CommentoComment(Record):
    commentHex: str = ""
    url: str = ""
    domain: str = ""
    commenterHex: str = "anonymous"
    parentHex: str = "root"
    markdown: str | None = None
    html: str | None = None
    score: int = 0
    state: Literal["approved", "unapproved", "flagged"] = "approved"
    creationDate: str | None = None
    deleted: bool = False


class CommentoCommenter(Record):
    commenterHex: str
    name: str | None = None
    email: str | None = None


def read(path: str, **_options) -> Iterator:
    with open_binary(path) as stream:
        commenters = _commenters(stream)
    seen_urls: set[str] = set()
    with open_binary(path) as stream:
        for number, comment in items(stream, "comments.item", "comment"):
            where = f"comment {number}"
            yield from _comment(where, validated(CommentoComment, comment, where), commenters, seen_urls)


def _commenters(stream) -> dict[str, tuple[str, str]]:
    """First pass: the commenters (name, e-mail) by id; also checks the file's shape and that all
    of it is valid JSON, naming the comment or commenter where it breaks."""
    commenters: dict[str, tuple[str, str]] = {}
    counts = {"comments.item": 0, "commenters.item": 0}
    lists_seen: set[str] = set()
    builder: ObjectBuilder | None = None
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            _check_shape(prefix, event, counts, lists_seen)
            if prefix in counts and event == "start_map":
                counts[prefix] += 1
                builder = ObjectBuilder() if prefix == "commenters.item" else None
            if builder is None:
                continue
            builder.event(event, value)
            if prefix == "commenters.item" and event == "end_map":
                where = f"commenter {counts['commenters.item']}"
                person = validated(CommentoCommenter, builder.value, where)
                commenters[person.commenterHex] = (person.name or "", person.email or "")
                builder = None
    except ijson.JSONError as error:
        where = (f"commenter {counts['commenters.item']}" if counts["commenters.item"]
                 else f"comment {counts['comments.item']}")
        raise ImportFormatError(f"{where}: invalid JSON ({' '.join(str(error).split())[:200]})") from None
    if "comments" not in lists_seen:
        raise ImportFormatError('not a Commento export: no "comments" list')
    return commenters


def _check_shape(prefix: str, event: str, counts: dict[str, int], lists_seen: set[str]) -> None:
    """The top level is an object; "comments" and "commenters" are lists of objects."""
    if prefix == "" and event not in ("start_map", "map_key", "end_map"):
        found = "a list" if event == "start_array" else f"a {event}"
        raise ImportFormatError(f'not a Commento export: the file holds {found}, expected an object with '
                                '"comments" and "commenters"')
    if prefix in _LISTS and event != "end_array":
        if event != "start_array":
            found = "an object" if event == "start_map" else f"a {event}"
            raise ImportFormatError(f"field {prefix}: expected a list, found {found}")
        lists_seen.add(prefix)
    if prefix in counts and event not in _ITEM_EVENTS:
        what = prefix.partition(".")[0].removesuffix("s")
        found = "a list" if event == "start_array" else f"a {event}"
        raise ImportFormatError(f"{what} {counts[prefix] + 1}: expected an object, found {found}")


def _url(comment: CommentoComment) -> str:
    path = comment.url
    if path.startswith(("http://", "https://")):
        return path
    if comment.domain:
        domain = comment.domain
        return f"https://{domain}/{path.lstrip('/')}" if not path.startswith(domain) else f"https://{path}"
    return path


def _comment(where: str, comment: CommentoComment, commenters: dict, seen_urls: set[str]) -> Iterator:
    url = _url(comment)
    if not comment.commentHex or not url:
        yield Skip("comment without commentHex or url", where)
        return
    if url not in seen_urls:
        seen_urls.add(url)
        yield ArticleRecord(key=url, url=url)
    name, email = commenters.get(comment.commenterHex, ("", ""))
    parent = comment.parentHex or "root"
    yield CommentRecord(
        external_id=f"commento:{comment.commentHex}", article_key=url,
        parent_external_id="" if parent == "root" else f"commento:{parent}",
        body=comment.markdown or html_to_text(comment.html or ""),
        author_name=name or "Anonymous", author_email=email,
        created_at=parse_datetime(comment.creationDate, f"{where}, field creationDate"),
        source_status=_STATES[comment.state], is_deleted=comment.deleted,
        upvotes=max(comment.score, 0), downvotes=max(-comment.score, 0),
    )
