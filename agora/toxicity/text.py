"""Source-artefact removal that keeps string length, so offsets stay valid.

Twitter handles, "RT", URLs, HTML entities, GermEval's ``|LBR|`` and Wikipedia
markup are artefacts of where the training data came from, not of toxicity; a
model that learns them does not transfer to news comments. Every removed
character becomes a space (an entity becomes its character plus spaces), so an
index into the cleaned text is an index into the original.
"""

from __future__ import annotations

import html
import re

MAX_CHARS = 20_000  # scored prefix; longer texts are flagged ``truncated``

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30})")
_RT = re.compile(r"(?<!\w)RT(?=\s|:|$)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_WIKI = re.compile(
    r"\[\[|\]\]|\{\{|\}\}|'''?|={2,}|\|LBR\||"
    r"\(UTC\)|\d{1,2}:\d{2}, \d{1,2} [A-Z][a-z]+ \d{4}|"
    r"\b(?:User talk|User|Talk|Wikipedia|WP|Special:Contributions)(?=:)|\(talk\)"
)
# "@ss" is obfuscation, not a handle.
_NOT_HANDLES = frozenset({"ss", "sshole", "sses", "sswipe", "rse", "rsehole"})


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _handle(m: re.Match[str]) -> str:
    return m.group() if m.group(1).lower() in _NOT_HANDLES else _blank(m)


def _entity(m: re.Match[str]) -> str:
    decoded = html.unescape(m.group())
    if len(decoded) != 1 or decoded == m.group():
        return m.group()
    return decoded + " " * (len(m.group()) - 1)


def clean(text: str) -> str:
    """Blank out source artefacts; the result has the same length as ``text``."""
    text = _URL.sub(_blank, text)
    text = _HANDLE.sub(_handle, text)
    text = _RT.sub(_blank, text)
    text = _ENTITY.sub(_entity, text)
    text = _WIKI.sub(_blank, text)
    return text.replace("#", " ")


def sanitize(text: object) -> tuple[str, bool]:
    """Coerce any input to a bounded ``str``; returns (text, truncated)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_CHARS:
        return text[:MAX_CHARS], True
    return text, False
