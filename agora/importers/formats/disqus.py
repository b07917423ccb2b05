"""Disqus XML export: <thread> elements (articles) then <post> elements (comments).

Read leniently: the parser recovers from broken markup and the summary lists what it could not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import StringConstraints, ValidationError

from agora.importers.formats.schema import Record, describe
from agora.importers.formats.xmlstream import (
    child,
    child_text,
    internal_id,
    iter_elements,
    local_name,
    require_marker,
)
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Notice, Skip
from agora.importers.text import html_to_text, parse_datetime


def read(path: str, **_options) -> Iterator:
    require_marker(path, b"<disqus", "a Disqus export")
    deleted_threads: set[str] = set()
    seen_root = False
    for element in iter_elements(path, ("thread", "post"), recover=True):
        if not hasattr(element, "tag"):
            yield element  # a notice
            continue
        parent = element.getparent()
        if parent is None or parent.getparent() is not None:
            continue  # the <thread dsq:id/> reference inside a post
        if not seen_root:
            if local_name(parent) != "disqus":
                raise ImportFormatError(f"line {parent.sourceline}: not a Disqus export "
                                        f"(root element <{local_name(parent)}>, expected <disqus>)")
            seen_root = True
        if local_name(element) == "thread":
            yield from _thread(element, deleted_threads)
        else:
            yield _post(element, deleted_threads)


_BOOLEAN = Literal["true", "false", "1", "0", ""]
_COUNT = Annotated[str, StringConstraints(pattern=r"^\d*$")]


class DisqusPostFields(Record):
    """The text fields of a <post> that must mean something: an unreadable one skips the post
    (reported) rather than guessing whether it was spam or deleted."""

    isDeleted: _BOOLEAN = ""
    isSpam: _BOOLEAN = ""
    likes: _COUNT = ""
    dislikes: _COUNT = ""


def _flag(element, name: str) -> bool:
    return child_text(element, name).lower() in ("true", "1")


def _unreadable_field(element) -> str:
    """The first unreadable field of a post (its name and value), or ""."""
    fields = {name: child_text(element, name).lower() for name in DisqusPostFields.model_fields}
    try:
        DisqusPostFields.model_validate(fields)
    except ValidationError as error:
        return describe(error)
    return ""


def _thread(element, deleted_threads: set[str]) -> Iterator:
    key = internal_id(element)
    if _flag(element, "isDeleted"):
        deleted_threads.add(key)
        yield Skip("thread deleted in Disqus", f"thread {key}")
        return
    link = child_text(element, "link")
    if not link:
        yield Skip("thread without a link", f"thread {key} (line {element.sourceline})")
        return
    where = f"thread {key} (line {element.sourceline})"
    try:
        published = parse_datetime(child_text(element, "createdAt"), where)
    except ImportFormatError as error:
        # The thread's comments matter more than its date: keep it undated and say so.
        yield Notice(f"{error}: the thread is imported without a date")
        published = None
    yield ArticleRecord(key=key, url=link, title=child_text(element, "title"),
                        published_at=published, is_closed=_flag(element, "isClosed"))


def _post(element, deleted_threads: set[str]):
    key = internal_id(element)
    where = f"post {key} (line {element.sourceline})"
    thread_key = internal_id(child(element, "thread"))
    if thread_key in deleted_threads:
        return Skip("comment of a thread deleted in Disqus", where)
    if not key:
        return Skip("post without dsq:id", where)
    author = child(element, "author")
    name = child_text(author, "name") if author is not None else ""
    try:
        created = parse_datetime(child_text(element, "createdAt"), where)
    except ImportFormatError:
        return Skip("post with an unreadable date", where)
    if created is None:
        return Skip("post without a date", where)
    unreadable = _unreadable_field(element)
    if unreadable:
        return Skip("post with an unreadable field", f"{where}: {unreadable}")
    return CommentRecord(
        external_id=f"disqus:{key}", article_key=thread_key,
        parent_external_id=f"disqus:{internal_id(child(element, 'parent'))}"
        if internal_id(child(element, "parent")) else "",
        body=html_to_text(child_text(element, "message")),
        author_name=name,
        author_email=child_text(author, "email") if author is not None else "",
        created_at=created,
        source_status="rejected" if _flag(element, "isSpam") else "approved",
        is_deleted=_flag(element, "isDeleted"),
        upvotes=int(child_text(element, "likes") or 0), downvotes=int(child_text(element, "dislikes") or 0),
    )
