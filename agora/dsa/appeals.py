"""Internal complaints (Art. 20): filed by the author against a statement of reasons, or by the
notifier against a decision not to act on their notice; decided by a moderator who did not take
the decision under appeal (never by automated means alone)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agora.accounts.models import User
from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import links, mail
from agora.dsa.models import Appeal, DsaSettings, Notice, Statement
from agora.dsa.statements import add_months, statement_context
from agora.errors import Conflict, Forbidden, InvalidInput
from agora.moderation import actions, audit
from agora.moderation.models import Standing

MAX_TEXT = 5000
OUTCOMES = ("uphold", "reverse")


def is_author(statement: Statement, actor: services.Actor, key: str | None) -> bool:
    """The author proves who they are with the statement's link, their account or reader token."""
    if links.holds_key(links.AUTHOR, statement.puid, key):
        return True
    if actor.user is not None and statement.author_user_id == actor.user.pk:
        return True
    return bool(actor.reader_id) and statement.author_user_id is None and \
        statement.author_reader_id == actor.reader_id


def is_notifier(notice: Notice, actor: services.Actor, key: str | None) -> bool:
    if links.holds_key(links.NOTIFIER, notice.reference, key):
        return True
    if actor.user is not None and notice.notifier_user_id == actor.user.pk:
        return True
    return bool(actor.voter_key) and notice.notifier_key == actor.voter_key


def _clean_text(text: str) -> str:
    text = text.replace("\x00", "").strip()
    if not text:
        raise InvalidInput("Explain why the decision should be changed.", code="text_required", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The complaint is longer than {MAX_TEXT:,} characters.", code="too_long",
                           field="text")
    return text


def _clean_email(email: str) -> str:
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("Enter a valid e-mail address.", code="invalid_email", field="email") from None
    return email


def _check_window(until: datetime, now: datetime) -> None:
    if now > until:
        raise Forbidden(f"The period for complaints about this decision ended on {until:%Y-%m-%d}.",
                        code="appeal_window_closed")


def still_restricted(statement: Statement) -> bool:
    if statement.restriction in (Statement.Restriction.HOLD, Statement.Restriction.REMOVAL):
        comment = statement.comment
        return comment is not None and comment.status != Comment.Status.APPROVED
    standing = _standing(statement)
    if standing is None:
        return False
    if statement.restriction == Statement.Restriction.BAN:
        return standing.banned
    return standing.suspended_until is not None


def _standing(statement: Statement) -> Standing | None:
    found = Standing.objects.filter(site=statement.site)
    if statement.author_user_id:
        return found.filter(user_id=statement.author_user_id).first()
    return found.filter(user=None, reader_id=statement.author_reader_id).first() \
        if statement.author_reader_id else None


def _file(*, subject: dict, site, until: datetime, first_moderator: User | None, text: str, email: str,
          now: datetime | None) -> Appeal:
    filed = now or timezone.now()
    _check_window(until, filed)
    hours = DsaSettings.for_site(site).appeal_sla_hours
    with transaction.atomic():
        appeal = Appeal.objects.create(site=site, text=text, contact_email=email,
                                       first_moderator=first_moderator, filed_at=filed,
                                       due_at=filed + timedelta(hours=hours), **subject)
        audit.log("appeal.file", actor=None, site=site, target=appeal,
                  after={"party": appeal.party, "statement": appeal.statement_id, "notice": appeal.notice_id},
                  reason=text)
        mail.appeal_received(appeal)
    return appeal


def file_for_statement(statement: Statement, actor: services.Actor, *, text: str, key: str | None = None,
                       email: str = "", now: datetime | None = None) -> Appeal:
    if not is_author(statement, actor, key):
        raise Forbidden("Only the author of the comment can file a complaint about this statement "
                        "(use the link in the statement).", code="not_a_party")
    text, email = _clean_text(text), _clean_email(email)
    if Appeal.objects.filter(statement=statement).exists():
        raise Conflict("A complaint about this decision was already filed.", code="already_appealed")
    if not still_restricted(statement):
        raise Conflict("This restriction has already been lifted; there is nothing to complain about.",
                       code="not_restricted")
    user = statement.author_user
    email = email or (user.email if user is not None and user.email_verified else "")
    return _file(subject={"party": Appeal.Party.AUTHOR, "statement": statement}, site=statement.site,
                 until=statement.appeal_until, first_moderator=statement.moderator, text=text, email=email,
                 now=now)


def file_for_notice(notice: Notice, actor: services.Actor, *, text: str, key: str | None = None,
                    email: str = "", now: datetime | None = None) -> Appeal:
    if not is_notifier(notice, actor, key):
        raise Forbidden("Only the person who sent this notice can contest its decision "
                        "(use the link in the decision e-mail).", code="not_a_party")
    text, email = _clean_text(text), _clean_email(email)
    if notice.status != Notice.Status.NO_ACTION:
        raise Conflict("Only a decision not to act on a notice can be contested by its notifier.",
                       code="not_contestable")
    if Appeal.objects.filter(notice=notice).exists():
        raise Conflict("A complaint about this decision was already filed.", code="already_appealed")
    until = add_months(notice.decided_at, DsaSettings.for_site(notice.site).appeal_window_months)
    return _file(subject={"party": Appeal.Party.NOTIFIER, "notice": notice}, site=notice.site, until=until,
                 first_moderator=notice.decided_by, text=text, email=email or notice.notifier_email, now=now)


def queue(site_ids: frozenset[int], status: str = Appeal.Status.OPEN) -> QuerySet[Appeal]:
    return (Appeal.objects.filter(site_id__in=site_ids, status=status)
            .select_related("site", "statement", "statement__comment", "notice", "notice__comment",
                            "first_moderator", "decided_by")
            .order_by("due_at", "pk"))


def decide(appeal: Appeal, moderator: User, *, outcome: str, reasons: str, legal_ground: str = "",
           now: datetime | None = None) -> Appeal:
    """Uphold or reverse the decision under appeal. A reversal restores the comment (or lifts the
    ban), or for a notifier's complaint removes the comment after all."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"A complaint is decided with one of: {', '.join(OUTCOMES)}.", field="outcome")
    reasons = " ".join(reasons.replace("\x00", "").split())
    if not reasons:
        raise InvalidInput("Give the reasons: the complainant reads them.", code="reasons_required",
                           field="reasons")
    if appeal.first_moderator_id is not None and appeal.first_moderator_id == moderator.pk:
        raise Forbidden("You took the decision under appeal: another moderator must decide this complaint.",
                        code="same_moderator")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != Appeal.Status.OPEN:
            raise Conflict("This complaint was already decided.", code="already_decided")
        if outcome == "reverse":
            _reverse(locked, moderator, reasons, legal_ground)
        status = Appeal.Status.REVERSED if outcome == "reverse" else Appeal.Status.UPHELD
        Appeal.objects.filter(pk=locked.pk).update(status=status, decided_at=now or timezone.now(),
                                                   decided_by=moderator, decision_reasons=reasons)
        locked.refresh_from_db()
        audit.log(f"appeal.{outcome}", actor=moderator, site=locked.site, target=locked,
                  before={"status": Appeal.Status.OPEN},
                  after={"status": status, "statement": locked.statement_id, "notice": locked.notice_id},
                  reason=reasons)
        mail.appeal_decided(locked)
    appeal.refresh_from_db()
    return appeal


def _reverse(appeal: Appeal, moderator: User, reasons: str, legal_ground: str) -> None:
    reason = f"Complaint {appeal.reference[:8]} upheld: {reasons}"
    if appeal.party == Appeal.Party.NOTIFIER:
        _act_on_notice(appeal.notice, moderator, reasons, legal_ground)
        return
    statement = appeal.statement
    if statement.restriction in (Statement.Restriction.HOLD, Statement.Restriction.REMOVAL):
        if statement.comment is None:
            raise Conflict("The comment no longer exists.", code="comment_gone")
        actions.approve(services.get_comment(statement.comment_id), moderator, reason)
        return
    standing = _standing(statement)
    if standing is None:
        raise Conflict("The author's standing no longer exists.", code="standing_gone")
    if statement.restriction == Statement.Restriction.BAN:
        actions.unban(standing, moderator, reason)
    else:
        actions.end_suspension(standing, moderator, reason)


def _act_on_notice(notice: Notice, moderator: User, reasons: str, legal_ground: str) -> None:
    legal_ground = " ".join(legal_ground.split())
    if not legal_ground:
        raise InvalidInput("Name the law the content breaks.", code="legal_ground_required",
                           field="legal_ground")
    if notice.comment is None:
        raise Conflict("The comment no longer exists.", code="comment_gone")
    with statement_context(notice=notice, ground=Statement.Ground.ILLEGAL, legal_ground=legal_ground[:500],
                           category=notice.category, explanation=reasons):
        actions.reject(services.get_comment(notice.comment_id), moderator, reasons)
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.ACTIONED, legal_ground=legal_ground[:500])
