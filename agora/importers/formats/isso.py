"""Isso: its SQLite database (threads + comments tables) or its generic JSON
(`[{"id": uri, "title": ..., "comments": [...]}]`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from agora.importers.formats.jsonstream import items
from agora.importers.formats.schema import Record, validated
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import parse_datetime


class IssoComment(Record):
    id: int | str | None = None
    parent: int | str | None = None
    author: str | None = None
    email: str | None = None
    text: str = ""
    created: str | int | float | None = None


class IssoThread(Record):
    id: str = ""
    title: str | None = None
    comments: list[dict] = []


class IssoRow(Record):
    """A row of Isso's comments table, as SQLite stores it."""

    tid: int
    id: int
    parent: int | None = None
    created: float | int | None = None
    modified: float | int | None = None
    mode: int = 1
    text: str | None = None
    author: str | None = None
    email: str | None = None
    likes: int | None = 0
    dislikes: int | None = 0

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
        names = [column[0] for column in rows.description]
        for values in rows:
            row = dict(zip(names, values, strict=True))
            where = f"comment {row['id']}"
            comment = validated(IssoRow, row, where)
            yield CommentRecord(
                external_id=f"isso:{comment.id}", article_key=str(comment.tid),
                parent_external_id=f"isso:{comment.parent}" if comment.parent else "",
                body=comment.text or "", author_name=comment.author or "", author_email=comment.email or "",
                created_at=parse_datetime(comment.created, f"{where}, field created"),
                edited_at=parse_datetime(comment.modified, f"{where}, field modified"),
                source_status=_MODES.get(comment.mode, "approved"), is_deleted=comment.mode == _DELETED,
                upvotes=comment.likes or 0, downvotes=comment.dislikes or 0,
            )
    finally:
        connection.close()


def _read_json(path: str) -> Iterator:
    with open_binary(path) as stream:
        for number, item in items(stream, "item", "thread"):
            thread = validated(IssoThread, item, f"thread {number}")
            if not thread.id:
                yield Skip("thread without an id", f"thread {number}")
                continue
            yield ArticleRecord(key=thread.id, url=thread.id, title=thread.title or "")
            for position, comment in enumerate(thread.comments, start=1):
                yield _json_comment(thread.id, number, position, comment)


def _json_comment(uri: str, number: int, position: int, comment: dict):
    where = f"thread {number}, comment {position}"
    fields = validated(IssoComment, comment, where)
    created = parse_datetime(fields.created, f"{where}, field created")
    if created is None:
        return Skip("comment without a date", where)
    # Ids are only unique within a thread in this format.
    key = position if fields.id is None else fields.id
    parent = fields.parent
    return CommentRecord(
        external_id=f"isso:{uri}#{key}", article_key=uri,
        parent_external_id=f"isso:{uri}#{parent}" if parent not in (None, "") else "",
        body=fields.text, author_name=fields.author or "",
        author_email=fields.email or "", created_at=created,
    )
