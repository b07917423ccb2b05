"""Anonymous reader identity: a random id signed by the server, kept by the widget.

The token travels in the `X-Agora-Reader` header rather than in a cookie, so the widget works
where third-party cookies are blocked and cross-site requests carry no ambient credentials.
It proves ownership of the reader's comments (edit, delete) and makes votes one per reader.
"""

from __future__ import annotations

import secrets

from django.core import signing

_SALT = "agora.reader"


def issue_reader_token() -> tuple[str, str]:
    reader_id = secrets.token_hex(16)
    return reader_id, signing.dumps(reader_id, salt=_SALT, compress=False)


def reader_from_token(token: str | None) -> str | None:
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None
