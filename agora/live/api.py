"""Reader endpoints of live features: reply notification opt-in, the replies feed address."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from agora import identity
from agora.comments import services
from agora.errors import Forbidden, InvalidInput
from agora.http import ErrorOut, request_actor
from agora.live.models import Subscription
from agora.live.tokens import replies_feed_token
from agora.moderation import reputation

router = Router(tags=["live"])


class SubscriptionIn(Schema):
    comment: int = Field(..., ge=1, le=2**62)
    email: str = Field(..., max_length=254)


class SubscriptionOut(Schema):
    subscribed: bool
    email: str


class FeedOut(Schema):
    url: str


@router.post("/live/subscriptions", response={201: SubscriptionOut, 403: ErrorOut, 404: ErrorOut,
                                              422: ErrorOut},
             summary="E-mail me when someone replies to my comment")
def subscribe(request: HttpRequest, payload: SubscriptionIn):
    """Only the comment's author (same reader token or account) may subscribe it."""
    comment = services.get_comment(payload.comment)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    actor = request_actor(request)
    if not actor.owns(comment):
        raise Forbidden("Only the author can ask for replies to this comment.", code="not_author")
    reputation.refuse_banned(comment.site, actor, identity.hash_network(actor.ip))
    email = payload.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", field="email") from None
    with contextlib.suppress(IntegrityError):  # a concurrent identical request won
        Subscription.objects.update_or_create(comment=comment, email=email.lower(),
                                              defaults={"active": True})
    return 201, {"subscribed": True, "email": email.lower()}


@router.get("/live/replies-feed", response={200: FeedOut, 403: ErrorOut},
            summary="The address of an Atom feed of replies to my comments")
def replies_feed(request: HttpRequest):
    actor = request_actor(request)
    if actor.user is None and not actor.reader_id:
        raise Forbidden("A reader token or an account is needed.", code="no_identity")
    token = replies_feed_token(user_id=actor.user.pk if actor.user else None, reader_id=actor.reader_id)
    return {"url": settings.PUBLIC_URL + reverse("feed-replies", args=[token])}
