"""The records as the API and the pages show them to the parties."""

from __future__ import annotations

from typing import Any

from agora.dsa import links
from agora.dsa.models import Appeal, Notice, Statement


def appeal(record: Appeal | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"reference": record.reference, "status": record.status, "filed_at": record.filed_at,
            "due_at": record.due_at, "decided_at": record.decided_at, "reasons": record.decision_reasons}


def appeal_of(owner: Statement | Notice) -> Appeal | None:
    try:
        return owner.appeal
    except Appeal.DoesNotExist:
        return None


def statement(record: Statement) -> dict[str, Any]:
    return {
        "puid": record.puid, "restriction": record.restriction,
        "restriction_label": record.get_restriction_display(), "comment": record.comment_ref,
        "facts": record.facts, "ground": record.ground, "legal_ground": record.legal_ground,
        "rule": record.rule, "category": record.category, "automated_detection": record.automated_detection,
        "automation": record.automation, "phase": record.phase, "model_version": record.model_version,
        "source": record.source, "redress": record.redress, "created_at": record.created_at,
        "appeal_until": record.appeal_until, "url": links.statement_url(record.puid),
        "appeal": appeal(appeal_of(record)),
    }


def notice(record: Notice) -> dict[str, Any]:
    decided = record.status != Notice.Status.OPEN
    return {
        "reference": record.reference, "status": record.status, "comment": record.comment_ref,
        "category": record.category, "trusted_flagger": record.is_trusted, "received_at": record.received_at,
        "due_at": record.due_at, "url": links.notice_url(record.reference),
        "decision": {"decided_at": record.decided_at, "reasons": record.decision_reasons,
                     "legal_ground": record.legal_ground, "automated": False} if decided else None,
    }
