"""Highlighted comment text for moderators, built from the stored reason spans.

The body is plain user text: it is cut into pieces at the span boundaries and each piece is
left to the template's autoescaping, so no user text is ever marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool = False
    # The rules that matched this stretch, shown as the <mark> title.
    rules: str = ""


def spans_of(reasons: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, rule) for every well-formed span of every reason."""
    found = []
    for reason in reasons:
        rule = str(reason.get("rule") or reason.get("phase") or "")
        for span in reason.get("spans") or ():
            try:
                start, end = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError, KeyError):
                continue
            if end > start >= 0:
                found.append((start, end, rule))
    return found


def segments(body: str, reasons: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """The body as alternating plain and marked pieces; overlapping spans are merged."""
    merged: list[list[Any]] = []
    for start, end, rule in sorted(spans_of(reasons)):
        start, end = min(start, len(body)), min(end, len(body))
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].add(rule)
        else:
            merged.append([start, end, {rule}])
    pieces: list[Segment] = []
    cursor = 0
    for start, end, rules in merged:
        if start > cursor:
            pieces.append(Segment(body[cursor:start]))
        pieces.append(Segment(body[start:end], True, ", ".join(sorted(r for r in rules if r))))
        cursor = end
    if cursor < len(body) or not pieces:
        pieces.append(Segment(body[cursor:]))
    return pieces
