"""Notices of illegal content (Art. 16): receiving them, their queue, and deciding them.

A notice sent with a reader identity is also an "illegal" reader flag (`moderation.flags`), so
it counts towards the site's flag threshold like any other flag. A plain illegal flag sent
without the notice form still becomes a notice (`from_flag`), so none is lost.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from agora.accounts.models import User
from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import links, mail
from agora.dsa.models import ANONYMOUS_CATEGORIES, Category, DsaSettings, Notice, Statement, TrustedFlagger
from agora.dsa.statements import statement_context
from agora.errors import Conflict, InvalidInput, NotFound
from agora.moderation import actions, audit, flags
from agora.moderation.models import Flag

MAX_EXPLANATION = flags.MAX_EXPLANATION
MAX_REASONS = 2000
_submitting: ContextVar[bool] = ContextVar("dsa_submitting_notice", default=False)


@dataclass(frozen=True)
class NoticeForm:
    """What the notifier sends (Art. 16(2))."""

    comment_id: int
    category: str
    explanation: str
    notifier_name: str = ""
    notifier_email: str = ""
    good_faith: bool = False


def _clean(form: NoticeForm) -> NoticeForm:
    explanation = form.explanation.replace("\x00", "").strip()
    name = " ".join(form.notifier_name.replace("\x00", "").split())[:200]
    email = form.notifier_email.strip()
    if form.category not in Category.values:
        raise InvalidInput("Choose what kind of illegal content this is.", code="category_required",
                           field="category")
    if not explanation:
        raise InvalidInput("Explain why you consider this comment illegal.", code="explanation_required",
                           field="explanation")
    if len(explanation) > MAX_EXPLANATION:
        raise InvalidInput(f"The explanation is longer than {MAX_EXPLANATION:,} characters.",
                           code="too_long", field="explanation")
    anonymous_allowed = form.category in ANONYMOUS_CATEGORIES
    if not name and not anonymous_allowed:
        raise InvalidInput("Give your name: the law requires it for this kind of notice.",
                           code="name_required", field="notifier_name")
    if not email and not anonymous_allowed:
        raise InvalidInput("Give your e-mail address: we send you the receipt and the decision.",
                           code="email_required", field="notifier_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("Enter a valid e-mail address.", code="invalid_email",
                               field="notifier_email") from None
    if not form.good_faith:
        raise InvalidInput("Confirm that you believe in good faith that the information in this notice "
                           "is accurate and complete.", code="good_faith_required", field="good_faith")
    return NoticeForm(form.comment_id, form.category, explanation, name, email, True)


def _reported_comment(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("site").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED or comment.is_deleted:
        raise NotFound(f"No published comment {comment_id}.", code="comment_not_found", field="comment")
    return comment


def _trusted(site_id: int, user: User | None) -> TrustedFlagger | None:
    if user is None:
        return None
    return TrustedFlagger.objects.filter(site_id=site_id, user=user, active=True).first()


def _due(site_settings: DsaSettings, received: datetime, trusted: bool) -> datetime:
    hours = site_settings.trusted_notice_sla_hours if trusted else site_settings.notice_sla_hours
    return received + timedelta(hours=hours)


def _check_not_repeated(comment: Comment, key: str, email: str) -> None:
    same = Q(notifier_key=key) if key else Q(pk__in=[])
    if email:
        same |= Q(notifier_email__iexact=email)
    earlier = Notice.objects.filter(same, comment=comment, status=Notice.Status.OPEN).first()
    if earlier is not None:
        raise Conflict(f"You already sent a notice about this comment (reference {earlier.reference[:8]}); "
                       "it is awaiting a decision.", code="already_noticed")


def submit(form: NoticeForm, actor: services.Actor, *, now: datetime | None = None) -> Notice:
    """Receive a notice: validated in full before anything is stored."""
    form = _clean(form)
    comment = _reported_comment(form.comment_id)
    if actor.owns(comment):
        raise InvalidInput("This is your own comment: delete or edit it instead.", code="own_comment")
    received = now or timezone.now()
    trusted = _trusted(comment.site_id, actor.user)
    _check_not_repeated(comment, actor.voter_key, form.notifier_email)
    with transaction.atomic():
        if actor.voter_key and not Flag.objects.filter(comment=comment, reporter=actor.voter_key).exists():
            token = _submitting.set(True)
            try:
                flags.flag(comment, actor, Flag.Reason.ILLEGAL, form.explanation)
            finally:
                _submitting.reset(token)
        notice = Notice.objects.create(
            site=comment.site, comment=comment, comment_ref=comment.pk, location=links.permalink(comment.pk),
            category=form.category, explanation=form.explanation, notifier_name=form.notifier_name,
            notifier_email=form.notifier_email, notifier_user=actor.user, notifier_key=actor.voter_key,
            good_faith=True, trusted_flagger=trusted, received_at=received,
            due_at=_due(DsaSettings.for_site(comment.site), received, trusted is not None),
        )
        audit.log("notice.receive", actor=None, site=comment.site, target=notice,
                  after={"comment": comment.pk, "category": notice.category, "trusted": trusted is not None},
                  reason=notice.explanation)
        mail.notice_received(notice)
    return notice


def from_flag(flag: Flag) -> Notice | None:
    """An "illegal" flag sent without the notice form is still a notice (without its details)."""
    if flag.reason != Flag.Reason.ILLEGAL or _submitting.get():
        return None
    comment = flag.comment
    notice = Notice.objects.create(
        site=comment.site, comment=comment, comment_ref=comment.pk, location=links.permalink(comment.pk),
        category=Category.NOT_SPECIFIED, explanation=flag.explanation, notifier_key=flag.reporter,
        from_flag=True, received_at=flag.created_at,
        due_at=_due(DsaSettings.for_site(comment.site), flag.created_at, False),
    )
    audit.log("notice.receive", actor=None, site=comment.site, target=notice,
              after={"comment": comment.pk, "category": notice.category, "from_flag": True},
              reason=notice.explanation)
    return notice


# ---- the queue -------------------------------------------------------------------------------

def queue(site_ids: frozenset[int], status: str = Notice.Status.OPEN) -> QuerySet[Notice]:
    """Trusted flaggers' notices first, then the ones due soonest."""
    trusted_first = Case(When(trusted_flagger__isnull=False, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return (Notice.objects.filter(site_id__in=site_ids, status=status)
            .select_related("site", "comment", "trusted_flagger", "decided_by")
            .order_by(trusted_first, "due_at", "pk"))


@dataclass(frozen=True)
class Timer:
    age_hours: float
    left_hours: float

    @property
    def overdue(self) -> bool:
        return self.left_hours < 0

    @property
    def overdue_hours(self) -> float:
        return -self.left_hours


def timer(received: datetime, due: datetime, now: datetime | None = None) -> Timer:
    now = now or timezone.now()
    return Timer(round((now - received).total_seconds() / 3600, 1),
                 round((due - now).total_seconds() / 3600, 1))


# ---- deciding --------------------------------------------------------------------------------

ACTIONS = ("remove", "no_action")


def _required(text: str, field: str, message: str, limit: int = MAX_REASONS) -> str:
    text = " ".join(text.replace("\x00", "").split())
    if not text:
        raise InvalidInput(message, code=f"{field}_required", field=field)
    if len(text) > limit:
        raise InvalidInput(f"Write at most {limit:,} characters.", code="too_long", field=field)
    return text


def decide(notice: Notice, moderator: User, *, action: str, reasons: str, ground: str = "illegal",
           legal_ground: str = "", category: str = "", now: datetime | None = None) -> Notice:
    """Remove the comment (a statement of reasons goes to its author) or decide not to act; the
    notifier hears of it either way. The caller has checked the moderator holds the site."""
    if action not in ACTIONS:
        raise InvalidInput(f"A notice is decided with one of: {', '.join(ACTIONS)}.", field="action")
    reasons = _required(reasons, "reasons", "Give the reasons for the decision: the notifier reads them.")
    if action == "remove":
        if ground not in Statement.Ground.values:
            raise InvalidInput("The ground is 'illegal' or 'incompatible'.", field="ground")
        if ground == Statement.Ground.ILLEGAL:
            legal_ground = _required(legal_ground, "legal_ground", "Name the law the content breaks.", 500)
        if category and category not in Category.values:
            raise InvalidInput("Unknown category.", field="category")
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != Notice.Status.OPEN:
            raise Conflict("This notice was already decided.", code="already_decided")
        if action == "remove":
            _remove(locked, moderator, reasons, ground, legal_ground, category or locked.category)
        decided = now or timezone.now()
        status = Notice.Status.ACTIONED if action == "remove" else Notice.Status.NO_ACTION
        Notice.objects.filter(pk=locked.pk).update(
            status=status, decided_at=decided, decided_by=moderator, decision_reasons=reasons,
            legal_ground=legal_ground if action == "remove" else "")
        locked.refresh_from_db()
        audit.log("notice.decide", actor=moderator, site=locked.site, target=locked,
                  before={"status": Notice.Status.OPEN},
                  after={"status": status, "comment": locked.comment_ref,
                         "legal_ground": locked.legal_ground},
                  reason=reasons)
        mail.notice_decided(locked)
    notice.refresh_from_db()
    return notice


def _remove(notice: Notice, moderator: User, reasons: str, ground: str, legal_ground: str,
            category: str) -> None:
    comment = notice.comment
    if comment is None:
        raise Conflict("The comment no longer exists; decide 'no_action' with the reason.",
                       code="comment_gone")
    comment = services.get_comment(comment.pk)
    with statement_context(notice=notice, ground=ground, legal_ground=legal_ground, category=category,
                           explanation=reasons, rule=reasons if ground != "illegal" else ""):
        actions.reject(comment, moderator, reasons)
