"""Reader endpoints of live features: reply notification opt-in, the replies feed address."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from agora import identity
from agora.comments import services
from agora.errors import Forbidden, InvalidInput
from agora.http import ErrorOut, request_actor
from agora.live import subscriptions
from agora.live.tokens import replies_feed_token
from agora.moderation import reputation

router = Router(tags=["live"])


class SubscriptionIn(Schema):
    comment: int = Field(..., ge=1, le=2**62)
    email: str = Field(..., max_length=254)


class SubscriptionOut(Schema):
    subscribed: bool  # true once the address is confirmed
    email: str
    confirmation_sent: bool  # a confirmation link went (or is going) to the address


class FeedOut(Schema):
    url: str


@router.post("/live/subscriptions", response={201: SubscriptionOut, 403: ErrorOut, 404: ErrorOut,
                                              422: ErrorOut, 429: ErrorOut},
             summary="E-mail me when someone replies to my comment")
def subscribe(request: HttpRequest, payload: SubscriptionIn):
    """Only the comment's author (same reader token or account) may subscribe it. The address
    gets replies once confirmed (double opt-in), unless it is the account's verified address."""
    comment = services.get_comment(payload.comment)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    actor = request_actor(request)
    if not actor.owns(comment):
        raise Forbidden("Only the author can ask for replies to this comment.", code="not_author")
    reputation.refuse_banned(comment.site, actor, identity.hash_network(actor.ip))
    email = payload.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", field="email") from None
    subscription = subscriptions.subscribe(comment, email, actor.user)
    return 201, {"subscribed": subscription.verified_at is not None, "email": email,
                 "confirmation_sent": subscription.verified_at is None}


@router.get("/live/replies-feed", response={200: FeedOut, 403: ErrorOut},
            summary="The address of an Atom feed of replies to my comments")
def replies_feed(request: HttpRequest):
    actor = request_actor(request)
    if actor.user is None and not actor.reader_id:
        raise Forbidden("A reader token or an account is needed.", code="no_identity")
    token = replies_feed_token(user_id=actor.user.pk if actor.user else None, reader_id=actor.reader_id)
    return {"url": settings.PUBLIC_URL + reverse("feed-replies", args=[token])}
