"""Imported bodies arrive as HTML from most systems. They are never trusted: they become plain
text with a little Markdown (links, emphasis, quotes, line breaks), which Agora then renders
through its own sanitising renderer like any new comment."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree
from lxml import html as lxml_html

from agora.importers.records import ImportFormatError

_BLOCK_TAGS = {"p", "div", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_chars(text: str) -> str:
    return _CONTROL_CHARS.sub("", text)


def html_to_text(markup: str) -> str:
    """Convert a comment's HTML into Markdown-ish plain text; scripts and styles are dropped."""
    markup = strip_control_chars(markup or "").strip()
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return markup
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    parts: list[str] = []
    _walk(root, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _walk(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"script", "style", "head", "title"}:
        parts.append(element.tail or "")
        return
    if tag == "br":
        parts.append("\n")
    elif tag in _BLOCK_TAGS or tag == "blockquote":
        parts.append("\n\n")
    elif tag == "li":
        parts.append("\n- ")
    inner: list[str] = [element.text or ""] if tag else []
    for child in element:
        _walk(child, inner)
    content = "".join(inner)
    parts.append(_wrap(tag, element, content))
    if tag in _BLOCK_TAGS or tag == "blockquote":
        parts.append("\n\n")
    parts.append(element.tail or "")


def _wrap(tag: str, element, content: str) -> str:
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href.lower().startswith(_SAFE_SCHEMES) and content.strip() and content.strip() != href:
            return f"[{content.strip()}]({href})"
        return content or href
    if tag in {"b", "strong"} and content.strip():
        return f"**{content.strip()}**"
    if tag in {"i", "em"} and content.strip():
        return f"*{content.strip()}*"
    if tag == "blockquote":
        return "\n".join(f"> {line}" for line in content.strip().splitlines())
    return content


def parse_datetime(value: str | int | float | None, where: str = "") -> datetime | None:
    """ISO 8601 (with or without zone, 'Z' accepted), 'YYYY-MM-DD HH:MM:SS', or a Unix time.
    Times without a zone are taken as UTC."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value), tz=UTC)
        text = str(value).strip()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise ImportFormatError(f"{where}: unreadable date {str(value)[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
