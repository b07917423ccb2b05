"""Remark42 backup: a first JSON line with metadata, then one JSON comment per line."""

from __future__ import annotations

from collections.abc import Iterator

from agora.importers.formats.jsonstream import lines
from agora.importers.formats.schema import Record, validated
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import html_to_text, parse_datetime


class Locator(Record):
    url: str = ""
    site: str = ""


class Remark42User(Record):
    name: str = ""
    block: bool = False


class Remark42Edit(Record):
    time: str | None = None


class Remark42Comment(Record):
    id: str = ""
    pid: str = ""
    locator: Locator
    user: Remark42User = Remark42User()
    text: str = ""
    orig: str | None = None
    title: str = ""
    time: str | None = None
    votes: dict[str, bool] | None = None
    delete: bool = False
    edit: Remark42Edit | None = None


def read(path: str, **_options) -> Iterator:
    seen_urls: set[str] = set()
    with open_binary(path) as stream:
        for number, item in lines(stream, "comment"):
            if "locator" not in item:
                if number == 1 or "version" in item:
                    continue  # the metadata line
                raise ImportFormatError(f"line {number}: not a Remark42 comment (no locator)")
            yield from _comment(number, item, seen_urls)


def _comment(number: int, item: dict, seen_urls: set[str]) -> Iterator:
    where = f"line {number}"
    comment = validated(Remark42Comment, item, where)
    url = comment.locator.url
    if not url or not comment.id:
        yield Skip("comment without id or URL", where)
        return
    if url not in seen_urls:
        seen_urls.add(url)
        yield ArticleRecord(key=url, url=url, title=comment.title)
    votes = comment.votes or {}
    yield CommentRecord(
        external_id=f"remark42:{comment.id}", article_key=url,
        parent_external_id=f"remark42:{comment.pid}" if comment.pid else "",
        body=comment.orig or html_to_text(comment.text),
        author_name=comment.user.name,
        created_at=parse_datetime(comment.time, f"{where}, field time"),
        source_status="rejected" if comment.user.block else "approved",
        is_deleted=comment.delete,
        upvotes=sum(1 for value in votes.values() if value),
        downvotes=sum(1 for value in votes.values() if not value),
        edited_at=parse_datetime(comment.edit.time if comment.edit else None, f"{where}, field edit.time"),
    )
