"""Remark42 backup: a first JSON line with metadata, then one JSON comment per line."""

from __future__ import annotations

from collections.abc import Iterator

from agora.importers.formats.jsonstream import lines
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError, Skip
from agora.importers.text import html_to_text, parse_datetime


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
    url = str((item.get("locator") or {}).get("url") or "")
    if not url or not item.get("id"):
        yield Skip("comment without id or URL", where)
        return
    if url not in seen_urls:
        seen_urls.add(url)
        yield ArticleRecord(key=url, url=url, title=str(item.get("title") or ""))
    votes = item.get("votes") or {}
    user = item.get("user") or {}
    body = item.get("orig")
    yield CommentRecord(
        external_id=f"remark42:{item['id']}", article_key=url,
        parent_external_id=f"remark42:{item['pid']}" if item.get("pid") else "",
        body=str(body) if body else html_to_text(str(item.get("text") or "")),
        author_name=str(user.get("name") or ""),
        created_at=parse_datetime(item.get("time"), where),
        source_status="rejected" if user.get("block") else "approved",
        is_deleted=bool(item.get("delete")),
        upvotes=sum(1 for value in votes.values() if value is True),
        downvotes=sum(1 for value in votes.values() if value is False),
        edited_at=parse_datetime((item.get("edit") or {}).get("time"), where),
    )
