"""A saved article page in plain text: header lines (date, the title, often repeated, a photo
credit), the article body, then the discussion as `• Author` lines whose indentation gives the
reply depth, each followed by its indented text. Text is kept exactly as written (curly quotes,
ellipses, empty comments).

Such pages carry no URL and no comment times: the URL comes from --url (or the site's origin
plus the title as a slug) and comments are dated in page order from the article's date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from agora.importers.formats.source import open_text
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError

_BULLET = re.compile(r"^(?P<indent>[ \t]*)•[ \t]*(?P<author>.*?)\s*$")
_DATE_FORMATS = ("%B %Y", "%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%Y-%m-%d")


def parse_date(line: str) -> datetime | None:
    text = " ".join(line.split()).title()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class _Header:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def article(self, url: str) -> ArticleRecord:
        lines = [line.strip() for line in self.lines if line.strip()]
        if not lines:
            raise ImportFormatError("line 1: the page has no header (date and title) before the comments")
        published = parse_date(lines[0])
        title_lines = lines[1:] if published else lines
        title = title_lines[0] if title_lines else ""
        return ArticleRecord(key="page", url=url or slugify(title)[:200] or "article",
                             title=title, published_at=published)


def read(path: str, *, url: str = "", **_options) -> Iterator:
    header = _Header()
    article: ArticleRecord | None = None
    stack: list[tuple[int, str]] = []  # (indent, external id) of the open ancestors
    current: dict | None = None
    seen: dict[str, int] = {}
    position = 0
    with open_text(path) as stream:
        try:
            for number, raw in enumerate(stream, start=1):
                line = raw.rstrip("\r\n").expandtabs(4)
                bullet = _BULLET.match(line)
                if bullet is None:
                    if current is None:
                        header.lines.append(line)
                    else:
                        current["lines"].append(line)
                    continue
                if article is None:
                    article = header.article(url)
                    yield article
                if current is not None:
                    yield _comment(current, article, position, seen)
                    position += 1
                indent = len(bullet.group("indent"))
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                current = {"author": bullet.group("author"), "parent": stack[-1][1] if stack else "",
                           "lines": [], "line": number}
                current["key"] = _key(article, current, seen)
                stack.append((indent, current["key"]))
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"byte {error.start}: the page is not UTF-8 text") from None
    if article is None:
        raise ImportFormatError("no comments found: expected lines starting with '• Author'")
    if current is not None:
        yield _comment(current, article, position, seen)


def _key(article: ArticleRecord, current: dict, seen: dict[str, int]) -> str:
    # Stable across re-saves of the page: the title, the parent and the author (plus a counter for
    # the same author replying twice to the same comment), not the position on the page.
    base = f"{article.title}\n{current['parent']}\n{current['author']}"
    seen[base] = seen.get(base, 0) + 1
    digest = hashlib.sha256(f"{base}\n{seen[base]}".encode()).hexdigest()[:24]
    return f"page:{digest}"


def _comment(current: dict, article: ArticleRecord, position: int, seen: dict) -> CommentRecord:
    lines = current["lines"]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    body = "\n".join(line[margin:] for line in lines)
    start = article.published_at or timezone.now().replace(microsecond=0)
    return CommentRecord(
        external_id=current["key"], article_key=article.key, parent_external_id=current["parent"],
        body=body, author_name=current["author"], created_at=start + timedelta(minutes=position),
    )
