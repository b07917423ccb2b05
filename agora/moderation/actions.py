"""What moderators do, as plain functions: one per action, each leaving a trail.

Every action on a comment changes its status through `agora.comments.services.set_status`
(which keeps the article's count, reply counts and thread caches right), writes a moderator
`Decision` (a training label when it overrides the pipeline) and an `AuditEntry` with the state
before and after. Callers (the workspace views) have already checked that the moderator holds
the comment's site; these functions trust their arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.comments import services
from agora.comments.models import Article, Comment, Site
from agora.errors import Conflict, InvalidInput
from agora.moderation import audit as audit_log
from agora.moderation import escalation, standings
from agora.moderation.models import AuditEntry, Decision, Escalation, NetworkBan, Standing

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED

# Audit actions that set a comment's status and can therefore be undone.
STATUS_ACTIONS = ("comment.approve", "comment.reject")
UNDO_ACTION = "comment.undo"
MAX_SUSPENSION_HOURS = 24 * 365
MAX_SLOW_MODE_SECONDS = 24 * 3600
MAX_REASON_LENGTH = 500


def audit(actor: User, action: str, *, site: Site, target: Any, before: dict, after: dict,
          reason: str = "") -> AuditEntry:
    return audit_log.log(action, actor=actor, site=site, target=target, before=before, after=after,
                         reason=reason)


# ---- comments ------------------------------------------------------------------------------------

def _pipeline_status(comment: Comment) -> str | None:
    """The status the automatic moderation gave the comment, if it recorded one."""
    return (Decision.objects.filter(comment=comment)
            .exclude(source=Decision.Source.MODERATOR)
            .order_by("-created_at", "-pk").values_list("status", flat=True).first())


def _decide(comment: Comment, status: str, moderator: User, *, action: str, reason: str = "",
            extra: dict | None = None) -> AuditEntry:
    before = comment.status
    automatic = _pipeline_status(comment) or before
    # A moderator who overrides the automatic outcome teaches the model something.
    overrides = status != automatic
    with transaction.atomic():
        services.set_status(comment, status)
        Decision.objects.create(
            comment=comment, status=status, source=Decision.Source.MODERATOR, actor=moderator,
            reasons=[{"phase": "moderator", "rule": action.split(".")[-1], "message": reason,
                      "spans": [], "scores": {}}] if reason else [],
            is_label=overrides, label=("toxic" if status == REJECTED else "ok") if overrides else "",
        )
        return audit(moderator, action, site=comment.site, target=comment, before={"status": before},
                     after={"status": status, **(extra or {})}, reason=reason)


def approve(comment: Comment, moderator: User, reason: str = "") -> AuditEntry:
    return _decide(comment, APPROVED, moderator, action="comment.approve", reason=reason)


def reject(comment: Comment, moderator: User, reason: str = "") -> AuditEntry:
    return _decide(comment, REJECTED, moderator, action="comment.reject", reason=reason)


def undo(comment: Comment, moderator: User) -> AuditEntry:
    """Restore the status the comment had before the latest moderator decision not yet undone."""
    entries = list(
        AuditEntry.objects.filter(target_type="comment", target_id=str(comment.pk),
                                  action__in=(*STATUS_ACTIONS, UNDO_ACTION))
        .order_by("-created_at", "-pk").values("pk", "action", "before", "after")
    )
    undone = {entry["after"].get("undoes") for entry in entries if entry["action"] == UNDO_ACTION}
    target = next((e for e in entries if e["action"] in STATUS_ACTIONS and e["pk"] not in undone), None)
    if target is None:
        raise Conflict(_("There is no moderator decision on this comment to undo."), code="nothing_to_undo")
    restored = target["before"].get("status") or PENDING
    return _decide(comment, restored, moderator, action=UNDO_ACTION, extra={"undoes": target["pk"]})


BULK_ACTIONS = {"approve": approve, "reject": reject}


def bulk(comments: Iterable[Comment], action: str, moderator: User) -> int:
    """Apply one action to many comments; returns how many changed status."""
    if action not in BULK_ACTIONS:
        raise InvalidInput(_("Bulk actions are: %(actions)s.") % {"actions": ", ".join(BULK_ACTIONS)},
                           field="action")
    target = APPROVED if action == "approve" else REJECTED
    changed = 0
    with transaction.atomic():
        for comment in comments:
            if comment.status != target:
                changed += 1
            BULK_ACTIONS[action](comment, moderator)
    return changed


# ---- authors -------------------------------------------------------------------------------------

def standing_for(site: Site, *, user: User | None = None, reader_id: str = "", email: str = "") -> Standing:
    """The author's standing on the site, created on first need (an account, a reader or an e-mail)."""
    if user is not None:
        standing, _created = Standing.objects.get_or_create(site=site, user=user,
                                                            defaults={"email": user.email})
    elif reader_id:
        standing, _created = Standing.objects.get_or_create(site=site, user=None, reader_id=reader_id,
                                                     defaults={"email": email})
    elif email:
        standing = Standing.objects.filter(site=site, user=None, reader_id="", email__iexact=email).first()
        standing = standing or Standing.objects.create(site=site, email=email)
    else:
        raise InvalidInput(_("This author has neither an account, a reader id nor an e-mail address."))
    return standing


_STANDING_FIELDS = ("banned", "ban_reason", "suspended_until", "suspension_reason", "always_premoderate",
                    "trusted")


def _snapshot(standing: Standing) -> dict[str, Any]:
    values = {name: getattr(standing, name) for name in _STANDING_FIELDS}
    if values["suspended_until"] is not None:
        values["suspended_until"] = values["suspended_until"].isoformat()
    return values


def _change_standing(standing: Standing, moderator: User, action: str, reason: str = "",
                     **changes: Any) -> Standing:
    before = _snapshot(standing)
    for name, value in changes.items():
        setattr(standing, name, value)
    with transaction.atomic():
        standing.save(update_fields=[*changes, "updated_at"])
        audit(moderator, action, site=standing.site, target=standing, before=before,
              after=_snapshot(standing), reason=reason)
    return standing


def _require_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(_("Give a reason: the author will see it."), code="reason_required",
                           field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        too_long = _("The reason is longer than %(count)d characters.")
        raise InvalidInput(too_long % {"count": MAX_REASON_LENGTH}, field="reason")
    return reason


def ban(standing: Standing, moderator: User, reason: str, *, networks: Iterable[str] = ()) -> Standing:
    """Site-wide ban; the reason is shown to the author when they try to post. With `networks`
    (hashed /24 or /48 networks the author posted from) the ban covers everyone there too."""
    reason = _require_reason(reason)
    with transaction.atomic():
        covered = [NetworkBan(site=standing.site, standing=standing, network_hash=network)
                   for network in dict.fromkeys(networks) if network]
        NetworkBan.objects.bulk_create(covered, ignore_conflicts=True)
        banned = _change_standing(standing, moderator, "author.ban", reason, banned=True, ban_reason=reason)
        if covered:
            audit(moderator, "author.ban_networks", site=standing.site, target=standing, before={},
                  after={"networks": len(covered)}, reason=reason)
    standings.forget(standing.site_id)
    return banned


def unban(standing: Standing, moderator: User, reason: str = "") -> Standing:
    with transaction.atomic():
        NetworkBan.objects.filter(standing=standing).delete()
        lifted = _change_standing(standing, moderator, "author.unban", reason, banned=False, ban_reason="")
    standings.forget(standing.site_id)
    return lifted


def authored_by(standing: Standing) -> Q:
    """The comments of the author a standing belongs to."""
    if standing.user_id is not None:
        return Q(author_id=standing.user_id)
    if standing.reader_id:
        return Q(reader_id=standing.reader_id)
    return Q(author__isnull=True, author_email__iexact=standing.email)


def remove_comments(standing: Standing, moderator: User, reason: str = "") -> int:
    """Reject every comment of a banned author on the site in one action; returns how many."""
    if not standing.banned:
        raise Conflict("Ban the author first: only a banned author's comments are removed at once.",
                       code="not_banned")
    comments = (Comment.objects.filter(authored_by(standing), site=standing.site)
                .exclude(status=REJECTED).select_related("site", "article"))
    with transaction.atomic():
        removed = [comment.pk for comment in comments]
        for comment in comments:
            _decide(comment, REJECTED, moderator, action="comment.reject", reason=reason)
        audit(moderator, "author.remove_comments", site=standing.site, target=standing,
              before={"comments": len(removed)}, after={"rejected": removed}, reason=reason)
    return len(removed)


def suspend(standing: Standing, moderator: User, hours: int, reason: str) -> Standing:
    if not 1 <= hours <= MAX_SUSPENSION_HOURS:
        raise InvalidInput(_("Suspend for 1 to %(count)d hours.") % {"count": MAX_SUSPENSION_HOURS},
                           field="hours")
    until = timezone.now() + timedelta(hours=hours)
    return _change_standing(standing, moderator, "author.suspend", reason, suspended_until=until,
                            suspension_reason=_require_reason(reason))


def end_suspension(standing: Standing, moderator: User, reason: str = "") -> Standing:
    return _change_standing(standing, moderator, "author.unsuspend", reason, suspended_until=None,
                            suspension_reason="")


def set_premoderation(standing: Standing, moderator: User, on: bool, reason: str = "") -> Standing:
    action = "author.premoderate" if on else "author.premoderate_off"
    return _change_standing(standing, moderator, action, reason, always_premoderate=on)


def set_trusted(standing: Standing, moderator: User, on: bool, reason: str = "") -> Standing:
    return _change_standing(standing, moderator, "author.trust" if on else "author.untrust", reason,
                            trusted=on)


# ---- articles ------------------------------------------------------------------------------------

_ARTICLE_FIELDS = ("is_closed", "premoderate", "slow_mode_seconds")


def _article_snapshot(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in _ARTICLE_FIELDS}


def _change_article(article: Article, moderator: User, action: str, reason: str = "",
                    **changes: Any) -> Article:
    before = _article_snapshot(article)
    with transaction.atomic():
        # The version bump invalidates every cached page of the thread (it carries is_closed).
        Article.objects.filter(pk=article.pk).update(**changes, version=F("version") + 1)
        article.refresh_from_db()
        audit(moderator, action, site=article.site, target=article, before=before,
              after=_article_snapshot(article), reason=reason)
    return article


def close_article(article: Article, moderator: User, closed: bool = True, reason: str = "") -> Article:
    return _change_article(article, moderator, "article.close" if closed else "article.open", reason,
                           is_closed=closed)


def pause_article(article: Article, moderator: User, paused: bool = True, reason: str = "") -> Article:
    """A pause stops new comments like closing does, but is logged as temporary (resume later)."""
    return _change_article(article, moderator, "article.pause" if paused else "article.resume", reason,
                           is_closed=paused)


def is_paused(article: Article) -> bool:
    """Closed by a pause (not a close): the latest open/close-type audit entry is a pause."""
    if not article.is_closed:
        return False
    latest = (AuditEntry.objects.filter(target_type="article", target_id=str(article.pk),
                                        action__in=("article.close", "article.open", "article.pause",
                                                    "article.resume"))
              .order_by("-created_at", "-pk").values_list("action", flat=True).first())
    return latest == "article.pause"


def set_article_premoderation(article: Article, moderator: User, on: bool, reason: str = "") -> Article:
    action = "article.premoderate" if on else "article.premoderate_off"
    return _change_article(article, moderator, action, reason, premoderate=on)


def set_slow_mode(article: Article, moderator: User, seconds: int, reason: str = "") -> Article:
    if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
        raise InvalidInput(_("Slow mode is 0 (off) to %(count)d seconds.") % {"count": MAX_SLOW_MODE_SECONDS},
                           field="slow_mode_seconds")
    return _change_article(article, moderator, "article.slow_mode", reason, slow_mode_seconds=seconds)


def open_escalation(article: Article) -> Escalation | None:
    return escalation.active(article)


def end_escalation(article: Article, moderator: User, reason: str = "") -> Escalation:
    """Stop an escalation and give the article back the pre-moderation it had before."""
    ended = escalation.end_escalation(article, moderator, reason)
    article.refresh_from_db()
    return ended
