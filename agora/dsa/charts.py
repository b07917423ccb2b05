"""The transparency page's charts: server-rendered SVG from `moderation.svg`, no script."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from agora.dsa.models import Category, Statement
from agora.moderation import svg

_LABELS = {**dict(Category.choices), **dict(Statement.Restriction.choices), **dict(Statement.Source.choices),
           **dict(Statement.Automation.choices), "open": "Open", "actioned": "Content restricted",
           "no_action": "No action", "upheld": "Decision upheld", "reversed": "Decision reversed",
           "human": "Moderators", "model": "Toxicity model", "rules": "Rules (word lists, links, flags, ...)"}


def _bars(title: str, counts: dict[str, int]) -> SafeString:
    rows = sorted(((_LABELS.get(key, key), value, "") for key, value in counts.items()), key=lambda r: -r[1])
    return svg.horizontal_bars(title, rows)


def for_report(report: dict[str, Any]) -> list[tuple[str, SafeString]]:
    statements = report["statements_of_reasons"]
    parts = [
        ("Notices by outcome", report["notices"]["by_outcome"]),
        ("Notices by type of illegal content", report["notices"]["by_category"]),
        ("Statements of reasons by restriction", statements["by_restriction"]),
        ("Statements of reasons by automation", statements["by_automation"]),
        ("Own-initiative moderation by who decided", report["own_initiative"]["by_kind"]),
        ("Complaints by outcome", report["complaints"]["by_outcome"]),
    ]
    return [(title, _bars(title, counts)) for title, counts in parts]
