"""Reply-notification subscriptions: double opt-in and the caps that keep Agora from being used
to mail strangers (per subscriber and day, per address and day)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.comments.models import Comment
from agora.errors import RateLimited
from agora.infra.queue import enqueue
from agora.jobs.actors import send_subscription_confirmation
from agora.live.models import SentMail, Subscription
from agora.live.notify import sent_today


def subscribe(comment: Comment, email: str, user: User | None) -> Subscription:
    """Subscribe `email` to replies to `comment` (whose author asks); a confirmation e-mail is
    queued unless the address is already confirmed or is the account's verified address."""
    _check_subscriber_cap(comment)
    existing = Subscription.objects.filter(comment=comment, email=email).first()
    if existing is not None and existing.verified_at is not None:
        Subscription.objects.filter(pk=existing.pk).update(active=True)
        existing.active = True
        return existing
    own_verified = user is not None and user.email_verified and user.email.lower() == email
    if not own_verified:
        _check_address_cap(email)
    with contextlib.suppress(IntegrityError), transaction.atomic():  # a concurrent request won
        Subscription.objects.update_or_create(
            comment=comment, email=email,
            defaults={"active": True, "verified_at": timezone.now() if own_verified else None})
    subscription = Subscription.objects.get(comment=comment, email=email)
    if subscription.verified_at is None:
        # Counted when queued, so that the cap holds however fast requests come.
        SentMail.objects.create(email=email, kind=SentMail.Kind.CONFIRMATION)
        transaction.on_commit(lambda: enqueue(send_subscription_confirmation, subscription.pk))
    return subscription


def confirm(subscription: Subscription) -> None:
    unconfirmed = Subscription.objects.filter(pk=subscription.pk, verified_at__isnull=True)
    unconfirmed.update(verified_at=timezone.now())


def _check_subscriber_cap(comment: Comment) -> None:
    """Subscriptions asked for by the same reader token or account in a day (only a comment's
    author may subscribe it, so the comment names who asks)."""
    since = timezone.now() - timedelta(days=1)
    mine = Subscription.objects.filter(created_at__gte=since)
    if comment.author_id:
        mine = mine.filter(comment__author_id=comment.author_id)
    elif comment.reader_id:
        mine = mine.filter(comment__reader_id=comment.reader_id)
    else:
        return
    if mine.exclude(comment=comment).count() >= settings.SUBSCRIPTIONS_PER_READER_PER_DAY:
        raise RateLimited("You asked for reply notifications too often today. Try again tomorrow.",
                          code="subscription_limit")


def _check_address_cap(email: str) -> None:
    if sent_today(email, SentMail.Kind.CONFIRMATION) >= settings.CONFIRMATIONS_PER_ADDRESS_PER_DAY:
        raise RateLimited("This address was sent enough confirmation e-mails today. Confirm one of them, "
                          "or try again tomorrow.", code="confirmation_limit", field="email")
