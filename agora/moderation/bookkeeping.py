"""What happens once a moderated comment is stored: its decision, the memories the next
submissions are checked against, the author's standing and the thread's escalation."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from agora.comments.models import Comment
from agora.moderation import escalation, ratelimits, standings
from agora.moderation.models import Decision, Standing
from agora.moderation.sitesettings import settings_for
from agora.moderation.verdicts import APPROVED, Verdict


def record_verdict(comment: Comment, verdict: Verdict) -> Decision:
    decision = Decision.objects.create(
        comment=comment, status=verdict.status, source=Decision.Source.PIPELINE,
        reasons=[reason.as_dict() for reason in verdict.reasons], scores=verdict.scores,
    )
    followup = verdict.followup
    settings = settings_for(comment.site)
    author_key = followup.author_key
    if followup.fingerprint:
        ratelimits.remember_text(comment.site_id, followup.fingerprint, author_key,
                                 comment.article_id, settings.repeat_window_seconds)
    if followup.slow_mode_seconds and author_key:
        ratelimits.start_slow_mode(comment.article_id, author_key, followup.slow_mode_seconds)
    if followup.checked_name:
        _remember_name(comment, followup.checked_name)
        if followup.standings_key:
            standings.forget_entry(followup.standings_key)
    if verdict.status != APPROVED:
        escalation.check(comment.article, settings)
    return decision


def _remember_name(comment: Comment, name: str) -> None:
    """Note that the author's display name passed the checks, creating their standing."""
    if comment.author_id is not None:
        lookup = {"site_id": comment.site_id, "user_id": comment.author_id}
    elif comment.reader_id:
        lookup = {"site_id": comment.site_id, "user": None, "reader_id": comment.reader_id}
    else:
        return
    updated = Standing.objects.filter(**lookup).update(checked_name=name)
    if updated:
        return
    try:
        with transaction.atomic():
            Standing.objects.create(**lookup, checked_name=name, email=comment.author_email,
                                    ip_hash=comment.ip_hash)
    except IntegrityError:  # created concurrently
        Standing.objects.filter(**lookup).update(checked_name=name)
