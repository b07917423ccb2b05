"""Statements of reasons (Art. 17): one for every decision that restricts an author.

They are written by signal receivers (`agora.dsa.signals`) when the moderation app stores a
decision that holds or removes a comment, or an audit entry that bans or suspends an author, so
that every path (pipeline, flags, escalation, workspace, admin) produces one. A flow that knows
more than the decision row (a notice, the law the moderator named) says so with
`statement_context` around its call into the moderation actions.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from agora.comments.models import Comment
from agora.dsa import mail
from agora.dsa.models import Category, DsaSettings, Notice, Statement
from agora.moderation import scoring
from agora.moderation.models import AuditEntry, Decision, Standing

_context: ContextVar[dict[str, Any] | None] = ContextVar("dsa_statement_context", default=None)

# Reasons the pipeline adds without deciding anything: they are never the decisive phase.
_ANNOTATIONS = {"model_unavailable", "language_unsupported", "posted_after_nudge"}
_AUTOMATED_SOURCES = {Decision.Source.PIPELINE, Decision.Source.FLAGS, Decision.Source.ESCALATION}
STANDING_ACTIONS = {"author.ban": Statement.Restriction.BAN,
                    "author.suspend": Statement.Restriction.SUSPENSION}


@contextmanager
def statement_context(**values: Any) -> Iterator[None]:
    """What the statements written inside the block should say beyond the decision itself:
    notice, source, ground, legal_ground, category, rule, explanation."""
    token = _context.set(values)
    try:
        yield
    finally:
        _context.reset(token)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the last day of a shorter month)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _decisive_phase(decision: Decision) -> str:
    if decision.source == Decision.Source.MODERATOR:
        return "moderator"
    if decision.source in (Decision.Source.FLAGS, Decision.Source.ESCALATION):
        return decision.source
    deciding = [r for r in decision.reasons if r.get("rule") not in _ANNOTATIONS]
    return (deciding[0].get("phase") if deciding else "") or "pipeline"


def _facts(decision: Decision, context: dict[str, Any]) -> str:
    messages = [r.get("message", "") for r in decision.reasons if r.get("message")]
    if decision.source == Decision.Source.MODERATOR and not messages:
        messages = ["A moderator reviewed the comment."]
    if context.get("explanation"):
        messages.append(str(context["explanation"]))
    return " ".join(messages) or "The comment matched the site's automatic moderation rules."


def _redress(settings: DsaSettings, until: datetime) -> str:
    body = f" ({settings.out_of_court_body})" if settings.out_of_court_body else ""
    return (f"You can file a complaint against this decision until {until:%Y-%m-%d} with the link on "
            f"this statement; a moderator who did not take the decision reviews it (Art. 20 DSA). You may "
            f"also turn to a certified out-of-court dispute settlement body{body} (Art. 21 DSA) or to "
            "a court.")


def _common(site: Any, created_at: datetime, context: dict[str, Any]) -> dict[str, Any]:
    settings = DsaSettings.for_site(site)
    until = add_months(created_at, settings.appeal_window_months)
    notice: Notice | None = context.get("notice")
    source = Statement.Source.VOLUNTARY
    if notice is not None:
        source = Statement.Source.TRUSTED_FLAGGER if notice.is_trusted else Statement.Source.NOTICE
    rule = context.get("rule") or ""
    if settings.community_rules_url and not context.get("legal_ground"):
        rule = f"{rule} ({settings.community_rules_url})" if rule else settings.community_rules_url
    return {
        "site": site, "created_at": created_at, "appeal_until": until, "redress": _redress(settings, until),
        "territorial_scope": list(settings.territorial_scope), "notice": notice, "source": source,
        "ground": context.get("ground") or Statement.Ground.INCOMPATIBLE,
        "legal_ground": context.get("legal_ground") or "", "rule": rule[:500],
        "category": context.get("category") or (notice.category if notice else Category.OTHER_VIOLATION),
        "explanation": context.get("explanation") or "",
    }


def for_decision(decision: Decision) -> Statement | None:
    """The statement for a decision that holds or removes a comment (None for other decisions)."""
    if decision.status == Comment.Status.APPROVED or decision.source == Decision.Source.IMPORT:
        return None
    comment = decision.comment
    context = _context.get() or {}
    automated = decision.source in _AUTOMATED_SOURCES
    phase = _decisive_phase(decision)
    detected = automated or Decision.objects.filter(
        comment=comment, source__in=_AUTOMATED_SOURCES).exclude(status=Comment.Status.APPROVED).exists()
    rules = ", ".join(dict.fromkeys(r for r in decision.rules if r))
    statement = Statement.objects.create(
        **_common(comment.site, decision.created_at, {"rule": rules or "community rules", **context}),
        comment=comment, comment_ref=comment.pk, content_date=comment.created_at,
        author_user=comment.author, author_reader_id=comment.reader_id, author_email=comment.author_email,
        author_name=comment.author_name,
        restriction=(Statement.Restriction.REMOVAL if decision.status == Comment.Status.REJECTED
                     else Statement.Restriction.HOLD),
        facts=_facts(decision, context), automated_detection=detected,
        automation=Statement.Automation.FULLY if automated else Statement.Automation.NOT_AUTOMATED,
        phase=phase,
        model_version=scoring.model_version(comment.site) if "model" in _phases(decision) else "",
        moderator=decision.actor, decision=decision,
    )
    _mail_author(statement)
    return statement


def _phases(decision: Decision) -> set[str]:
    return {r.get("phase", "") for r in decision.reasons if r.get("rule") not in _ANNOTATIONS}


def for_standing_action(entry: AuditEntry) -> Statement | None:
    """The statement for a ban or a suspension recorded in the audit log."""
    restriction = STANDING_ACTIONS.get(entry.action)
    standing = Standing.objects.select_related("site", "user").filter(pk=entry.target_id).first()
    if restriction is None or standing is None or entry.actor_id is None:
        return None
    ends = entry.after.get("suspended_until") if restriction == Statement.Restriction.SUSPENSION else None
    statement = Statement.objects.create(
        **_common(standing.site, entry.created_at, {"rule": "community rules", **(_context.get() or {})}),
        author_user=standing.user, author_reader_id=standing.reader_id, author_email=standing.email,
        author_name=standing.user.public_name() if standing.user else "",
        restriction=restriction, facts=entry.reason or "A moderator restricted this author.",
        automation=Statement.Automation.NOT_AUTOMATED, phase="moderator", moderator=entry.actor,
        ends_at=datetime.fromisoformat(ends) if ends else None,
    )
    _mail_author(statement)
    return statement


def _mail_author(statement: Statement) -> None:
    user = statement.author_user
    if user is not None and user.email and user.email_verified:
        mail.statement_issued(statement, user.email)


def latest_for_comment(comment: Comment) -> Statement | None:
    return Statement.objects.filter(comment=comment).order_by("-created_at", "-pk").first()


def for_author(*, user: Any = None, reader_id: str = "") -> list[Statement]:
    """An author's statements, newest first (the account page)."""
    if user is not None:
        found = Statement.objects.filter(author_user=user)
    elif reader_id:
        found = Statement.objects.filter(author_reader_id=reader_id, author_user=None)
    else:
        return []
    return list(found.select_related("site", "appeal").order_by("-created_at", "-pk")[:200])
