"""Links that prove who holds them: the author's link to a statement, the notifier's to a notice.

A statement's or a notice's reference is unguessable, but anyone it is forwarded to could read
it; filing a complaint needs the party's key as well, an HMAC of the party and the reference.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

_SALT = "agora.dsa.party"

AUTHOR = "author"
NOTIFIER = "notifier"


def party_key(party: str, reference: str) -> str:
    return signing.Signer(salt=_SALT).signature(f"{party}:{reference}")


def holds_key(party: str, reference: str, key: str | None) -> bool:
    return bool(key) and constant_time_compare(party_key(party, reference), key or "")


def statement_url(puid: str) -> str:
    return f"{settings.PUBLIC_URL}/dsa/statements/{puid}?key={party_key(AUTHOR, puid)}"


def notice_url(reference: str) -> str:
    return f"{settings.PUBLIC_URL}/dsa/notices/{reference}?key={party_key(NOTIFIER, reference)}"


def permalink(comment_id: int) -> str:
    return f"{settings.PUBLIC_URL}/c/{comment_id}"
