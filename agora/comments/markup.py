"""Markdown subset to safe HTML: emphasis, links, quotes, code and lists; no raw HTML."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .disable(["image", "heading", "lheading", "hr", "table", "html_block", "html_inline"],
             ignoreInvalid=True)
)

_ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def render(body: str) -> str:
    """Render a comment body. The sanitiser runs last, so nothing the parser lets through
    can carry script: only the tags above, and only http(s)/mailto links."""
    html = _markdown.render(body)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    ).strip()
