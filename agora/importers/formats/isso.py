"""Isso: its SQLite database (threads + comments tables) or its generic JSON
(`[{"id": uri, "title": ..., "comments": [...]}]`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from agora.importers.formats.jsonstream import items
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import parse_datetime

_MODES = {1: "approved", 2: "pending"}
_DELETED = 4


def read(path: str, **_options) -> Iterator:
    with open_binary(path) as stream:
        magic = stream.read(16)
    if magic.startswith(b"SQLite format 3"):
        yield from _read_database(path)
    else:
        yield from _read_json(path)


def _read_database(path: str) -> Iterator:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            threads = connection.execute("SELECT id, uri, title FROM threads ORDER BY id")
            for thread_id, uri, title in threads:
                yield ArticleRecord(key=str(thread_id), url=uri or "", title=title or "")
            rows = connection.execute(
                "SELECT tid, id, parent, created, modified, mode, text, author, email, likes, dislikes "
                "FROM comments ORDER BY id"
            )
        except sqlite3.DatabaseError as error:
            raise ImportFormatError(f"not an Isso database: {error}") from None
        for tid, cid, parent, created, modified, mode, text, author, email, likes, dislikes in rows:
            where = f"comment {cid}"
            yield CommentRecord(
                external_id=f"isso:{cid}", article_key=str(tid),
                parent_external_id=f"isso:{parent}" if parent else "",
                body=text or "", author_name=author or "", author_email=email or "",
                created_at=parse_datetime(created, where), edited_at=parse_datetime(modified, where),
                source_status=_MODES.get(mode, "approved"), is_deleted=mode == _DELETED,
                upvotes=likes or 0, downvotes=dislikes or 0,
            )
    finally:
        connection.close()


def _read_json(path: str) -> Iterator:
    with open_binary(path) as stream:
        for number, thread in items(stream, "item", "thread"):
            uri = str(thread.get("id") or "")
            if not uri:
                yield Skip("thread without an id", f"thread {number}")
                continue
            yield ArticleRecord(key=uri, url=uri, title=str(thread.get("title") or ""))
            for position, comment in enumerate(thread.get("comments") or [], start=1):
                yield _json_comment(uri, number, position, comment)


def _json_comment(uri: str, number: int, position: int, comment: dict):
    where = f"thread {number}, comment {position}"
    if not isinstance(comment, dict):
        raise ImportFormatError(f"{where}: expected an object")
    created = parse_datetime(comment.get("created"), where)
    if created is None:
        return Skip("comment without a date", where)
    # Ids are only unique within a thread in this format.
    key = comment.get("id", position)
    parent = comment.get("parent")
    return CommentRecord(
        external_id=f"isso:{uri}#{key}", article_key=uri,
        parent_external_id=f"isso:{uri}#{parent}" if parent not in (None, "") else "",
        body=str(comment.get("text") or ""), author_name=str(comment.get("author") or ""),
        author_email=str(comment.get("email") or ""), created_at=created,
    )
