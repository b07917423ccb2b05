"""Statements of reasons in the field layout of the Commission's DSA Transparency Database API
(`POST /api/v1/statements` takes `{"statements": [...]}` of these). No personal data goes in:
neither the author's nor the notifier's name, and not the comment text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from agora.dsa.models import DsaSettings, Statement

_VISIBILITY = {
    Statement.Restriction.REMOVAL: "DECISION_VISIBILITY_CONTENT_REMOVED",
    # Held for review: the comment is not shown until a moderator looks at it.
    Statement.Restriction.HOLD: "DECISION_VISIBILITY_CONTENT_DISABLED",
}
_PROVISION = {
    Statement.Restriction.BAN: "DECISION_PROVISION_TOTAL_TERMINATION",
    Statement.Restriction.SUSPENSION: "DECISION_PROVISION_TOTAL_SUSPENSION",
}
_ACCOUNT = {
    Statement.Restriction.BAN: "DECISION_ACCOUNT_TERMINATED",
    Statement.Restriction.SUSPENSION: "DECISION_ACCOUNT_SUSPENDED",
}
_SOURCE = {
    Statement.Source.VOLUNTARY: "SOURCE_VOLUNTARY",
    Statement.Source.NOTICE: "SOURCE_ARTICLE_16",
    Statement.Source.TRUSTED_FLAGGER: "SOURCE_TRUSTED_FLAGGER",
}
_AUTOMATION = {
    Statement.Automation.FULLY: "AUTOMATED_DECISION_FULLY",
    Statement.Automation.PARTIALLY: "AUTOMATED_DECISION_PARTIALLY",
    Statement.Automation.NOT_AUTOMATED: "AUTOMATED_DECISION_NOT_AUTOMATED",
}


def _date(value: Any) -> str | None:
    return value.date().isoformat() if value is not None else None


def _ground(statement: Statement, rules_url: str) -> dict[str, Any]:
    if statement.ground == Statement.Ground.ILLEGAL:
        return {"decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
                "illegal_content_legal_ground": statement.legal_ground,
                "illegal_content_explanation": statement.explanation or statement.facts}
    fields = {"decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
              "incompatible_content_ground": statement.rule or "Community rules",
              "incompatible_content_explanation": statement.explanation or statement.facts,
              "incompatible_content_illegal": "No"}
    if rules_url:
        fields["decision_ground_reference_url"] = rules_url
    return fields


def as_tdb(statement: Statement, rules_url: str = "") -> dict[str, Any]:
    restriction = statement.restriction
    fields: dict[str, Any] = {
        "puid": statement.puid,
        "decision_facts": statement.facts,
        "category": statement.category,
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_date": _date(statement.content_date or statement.created_at),
        "application_date": _date(statement.created_at),
        "territorial_scope": list(statement.territorial_scope),
        "source_type": _SOURCE[statement.source],
        "automated_detection": "Yes" if statement.automated_detection else "No",
        "automated_decision": _AUTOMATION[statement.automation],
        **_ground(statement, rules_url),
    }
    if restriction in _VISIBILITY:
        fields["decision_visibility"] = [_VISIBILITY[restriction]]
    else:
        fields["decision_provision"] = _PROVISION[restriction]
        if statement.author_user_id:
            fields["decision_account"] = _ACCOUNT[restriction]
            fields["account_type"] = "ACCOUNT_TYPE_PRIVATE"
        if statement.ends_at is not None:
            fields["end_date_service_restriction"] = _date(statement.ends_at)
    if statement.source == Statement.Source.TRUSTED_FLAGGER and statement.notice_id:
        fields["source_identity"] = statement.notice.trusted_flagger.organisation \
            if statement.notice.trusted_flagger_id else ""
    return fields


def export(statements: Iterable[Statement]) -> Iterator[dict[str, Any]]:
    rules: dict[int, str] = {}
    for statement in statements:
        if statement.site_id not in rules:
            rules[statement.site_id] = DsaSettings.for_site(statement.site).community_rules_url
        yield as_tdb(statement, rules[statement.site_id])
