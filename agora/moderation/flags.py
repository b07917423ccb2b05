"""Reader flags. Enough flags hold an approved comment until a moderator looks at it."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from agora import identity
from agora.comments import services
from agora.comments.models import Comment
from agora.errors import Conflict, Forbidden, InvalidInput, NotFound
from agora.identity import Actor
from agora.moderation import audit, reputation
from agora.moderation.models import Decision, Flag
from agora.moderation.sitesettings import settings_for

MAX_EXPLANATION = 2000


def flag(comment: Comment, actor: Actor, reason: str, explanation: str = "") -> Flag:
    """Record one reader's flag; hold the comment when the site's threshold is reached."""
    explanation = explanation.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    if reason not in Flag.Reason.values:
        raise InvalidInput(f"A flag reason is one of: {', '.join(Flag.Reason.values)}.", field="reason")
    if reason == Flag.Reason.ILLEGAL and not explanation:
        raise InvalidInput("Explain why this comment is illegal content (required by the EU Digital "
                           "Services Act).", code="explanation_required", field="explanation")
    if len(explanation) > MAX_EXPLANATION:
        raise InvalidInput(f"The explanation is longer than {MAX_EXPLANATION:,} characters.",
                           code="too_long", field="explanation")
    if not actor.voter_key:
        raise Forbidden("Flagging needs a reader token or an account.", code="no_identity")
    if comment.status != Comment.Status.APPROVED or comment.is_deleted:
        raise NotFound(f"No comment {comment.pk}.", code="comment_not_found")
    if actor.owns(comment):
        raise Forbidden("You cannot flag your own comment.", code="own_comment")
    network = identity.hash_network(actor.ip)
    reputation.refuse_banned(comment.site, actor, network)
    try:
        with transaction.atomic():
            created = Flag.objects.create(comment=comment, reason=reason, explanation=explanation,
                                          reporter=actor.voter_key, network_hash=network,
                                          weight=reputation.weight(comment.site, actor))
    except IntegrityError:
        raise Conflict("You have already flagged this comment.", code="already_flagged") from None
    _hold_if_flagged_enough(comment)
    return created


def flag_weight(comment: Comment) -> tuple[float, int]:
    """The comment's flags as they count: per network, the weight of its strongest reporter
    (flags from an uncounted network count per reporter); and how many networks that was."""
    strongest: dict[str, float] = {}
    for reporter, network, weight in Flag.objects.filter(comment=comment).values_list(
            "reporter", "network_hash", "weight"):
        group = network or f"reporter:{reporter}"
        strongest[group] = max(strongest.get(group, 0.0), weight)
    return sum(strongest.values()), len(strongest)


def _hold_if_flagged_enough(comment: Comment) -> None:
    threshold = settings_for(comment.site).flag_threshold
    if not threshold:
        return
    weight, sources = flag_weight(comment)
    if weight < threshold:
        return
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status != Comment.Status.APPROVED:
            return
        message = (f"Reader flags weighing {weight:g} from {sources} network{'s' if sources != 1 else ''} "
                   f"(threshold {threshold}).")
        services.set_status(comment, Comment.Status.PENDING)
        Decision.objects.create(comment=comment, status=Comment.Status.PENDING, source=Decision.Source.FLAGS,
                                reasons=[{"phase": "flags", "rule": "flag_threshold", "message": message,
                                          "spans": [], "scores": {}}])
        audit.log("comment.auto_hold", actor=None, site=comment.site, target=comment,
                  before={"status": Comment.Status.APPROVED}, after={"status": Comment.Status.PENDING},
                  reason=message)
