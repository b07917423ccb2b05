"""Reader identity carried by the one `X-Agora-Reader` header the widget sends.

A token is either
- an anonymous reader token: a random reader id signed by the server, or
- a session token: user id, the same kind of reader id, and a fingerprint of the user's
  session version and password hash, signed with a timestamp (valid READER_TOKEN_MAX_AGE).
  Logging out everywhere bumps the session version, a password change changes the hash, and
  deleting the account deletes the user: each invalidates every token issued before.

Why a header and not a cookie: the widget runs on the publisher's origin, where Agora's
cookies would be third-party (blocked by many browsers). A header is never attached by the
browser on its own, so a forged cross-site request carries no credentials: no CSRF token is
needed for the API. The widget keeps the token in its own storage.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from agora.accounts.models import User

_SALT = "agora.reader"
_SESSION_SALT = "agora.session"
MAX_TOKEN_LENGTH = 400


@dataclass(frozen=True)
class Identity:
    reader_id: str
    user: User | None = None
    # The anonymous token is older than READER_STANDING_SECONDS: its flags and votes count fully.
    aged: bool = False


def issue_reader_token() -> tuple[str, str]:
    reader_id = secrets.token_hex(16)
    return reader_id, signing.dumps(reader_id, salt=_SALT, compress=False)


def _fingerprint(user: User) -> str:
    material = f"{user.pk}:{user.session_version}:{user.password}".encode()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:24]


def issue_session_token(user: User, reader_id: str = "") -> str:
    """A token that logs `user` in; keeps the reader id so earlier anonymous comments stay theirs."""
    reader_id = reader_id or secrets.token_hex(16)
    payload = {"u": user.pk, "r": reader_id, "f": _fingerprint(user)}
    return signing.dumps(payload, salt=_SESSION_SALT, compress=False)


def identity_from_token(token: str | None) -> Identity | None:
    """The reader (and user, for a valid session token) a token stands for; None if invalid."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    aged = False
    try:
        value = signing.loads(token, salt=_SALT, max_age=settings.READER_STANDING_SECONDS)
    except signing.SignatureExpired:  # valid, and older than that: what earns standing
        value, aged = signing.loads(token, salt=_SALT), True
    except signing.BadSignature:
        return _session_identity(token)
    return Identity(reader_id=value, aged=aged) if isinstance(value, str) else None


def _session_identity(token: str) -> Identity | None:
    try:
        payload = signing.loads(token, salt=_SESSION_SALT, max_age=settings.READER_TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    if cache.get(_revoked_key(token)):
        return None
    user = User.objects.filter(pk=payload["u"], is_active=True, deletion_requested_at=None).first()
    if user is None or not hmac.compare_digest(str(payload.get("f", "")), _fingerprint(user)):
        return None
    return Identity(reader_id=str(payload.get("r", "")), user=user)


def reader_from_token(token: str | None) -> str | None:
    identity = identity_from_token(token)
    return identity.reader_id if identity else None


def _revoked_key(token: str) -> str:
    return "reader-token-revoked:" + hashlib.sha256(token.encode()).hexdigest()


def revoke_session_token(token: str) -> None:
    """Log one token out (the cache is shared through Redis in production)."""
    cache.set(_revoked_key(token), 1, timeout=settings.READER_TOKEN_MAX_AGE)
