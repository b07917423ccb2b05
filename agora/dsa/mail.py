"""The e-mails of the notice and complaint flows, through Django's configured mail backend.
They are sent once the database transaction commits, so a rolled-back action mails nobody."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction

from agora.dsa import links
from agora.dsa.models import Appeal, Notice, Statement


def _send(subject: str, body: str, to: str) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def notice_received(notice: Notice) -> None:
    _send(
        f"[{notice.site.name}] We received your notice {notice.reference[:8]}",
        f"Hello {notice.notifier_name or 'there'},\n\nwe received your notice about {notice.location} "
        f"on {notice.received_at:%Y-%m-%d %H:%M} UTC. A moderator will decide on it; we aim to do so "
        f"by {notice.due_at:%Y-%m-%d %H:%M} UTC and will tell you the outcome.\n\n"
        f"Follow your notice here: {links.notice_url(notice.reference)}\n",
        notice.notifier_email,
    )


def notice_decided(notice: Notice) -> None:
    if notice.status == Notice.Status.ACTIONED:
        outcome = "We restricted the content you reported."
        redress = ""
    else:
        outcome = "We decided not to restrict the content you reported."
        redress = (f"\nYou can contest this decision within the period shown on this page:\n"
                   f"{links.notice_url(notice.reference)}\n")
    _send(
        f"[{notice.site.name}] Decision on your notice {notice.reference[:8]}",
        f"Hello {notice.notifier_name or 'there'},\n\n{outcome}\n\nReasons: {notice.decision_reasons}\n"
        + (f"Legal ground: {notice.legal_ground}\n" if notice.legal_ground else "")
        + "\nThe decision was taken by a moderator; no automated means were used to decide it.\n"
        + redress,
        notice.notifier_email,
    )


def statement_issued(statement: Statement, to: str) -> None:
    _send(
        f"[{statement.site.name}] {statement.get_restriction_display()}: statement of reasons",
        f"Hello {statement.author_name or 'there'},\n\n{statement.get_restriction_display()}.\n\n"
        f"Facts: {statement.facts}\nGround: {statement.get_ground_display()}"
        f" ({statement.legal_ground or statement.rule})\n"
        f"Automated means: {statement.get_automation_display()}\n\n{statement.redress}\n\n"
        f"Read the statement and file a complaint: {links.statement_url(statement.puid)}\n",
        to,
    )


def appeal_received(appeal: Appeal) -> None:
    _send(f"[{appeal.site.name}] We received your complaint {appeal.reference[:8]}",
          f"Hello,\n\nwe received your complaint on {appeal.filed_at:%Y-%m-%d %H:%M} UTC. A moderator "
          "who did not take the original decision will review it and tell you the outcome.\n",
          appeal.contact_email)


def appeal_decided(appeal: Appeal) -> None:
    _send(f"[{appeal.site.name}] Decision on your complaint {appeal.reference[:8]}",
          f"Hello,\n\n{appeal.get_status_display()}.\n\nReasons: {appeal.decision_reasons}\n\n"
          "The complaint was decided by a moderator. If you disagree you may turn to a certified "
          "out-of-court dispute settlement body (Art. 21 DSA) or to the courts.\n",
          appeal.contact_email)
