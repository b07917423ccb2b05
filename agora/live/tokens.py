"""Signed tokens in links: unsubscribe (one per recipient) and the replies feed of a reader."""

from __future__ import annotations

from django.core import signing

_UNSUBSCRIBE_SALT = "agora.live.unsubscribe"
_FEED_SALT = "agora.live.replies-feed"
_CONFIRM_SALT = "agora.live.confirm-subscription"
CONFIRMATION_MAX_AGE = 3 * 24 * 3600


def unsubscribe_token(subscription_id: int, email: str) -> str:
    return signing.dumps({"s": subscription_id, "e": email.lower()}, salt=_UNSUBSCRIBE_SALT,
                         compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        return int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def confirmation_token(subscription_id: int, email: str) -> str:
    return signing.dumps({"s": subscription_id, "e": email.lower()}, salt=_CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
        return int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def replies_feed_token(*, user_id: int | None = None, reader_id: str = "") -> str:
    return signing.dumps({"u": user_id} if user_id else {"r": reader_id}, salt=_FEED_SALT,
                         compress=True)


def read_replies_feed_token(token: str) -> tuple[int | None, str] | None:
    try:
        data = signing.loads(token, salt=_FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not (data.get("u") or data.get("r")):
        return None
    return data.get("u"), str(data.get("r") or "")
