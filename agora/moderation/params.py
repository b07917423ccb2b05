"""Reading the workspace's query and form values. A value that cannot be what it names is the
client's mistake: a 400 with a message, never a server error deeper down (`"²".isdigit()` is
true in Python, and ids beyond 2^63 - 1 overflow every database's integer column)."""

from __future__ import annotations

import re
from datetime import date

from agora.errors import AgoraError

MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


class BadParameter(AgoraError):
    status = 400
    code = "bad_parameter"


def is_object_id(raw: str) -> bool:
    return bool(_ASCII_DIGITS.fullmatch(raw)) and 0 < int(raw) <= MAX_ID


def object_id(raw: str, field: str) -> int:
    if not is_object_id(raw):
        raise BadParameter(f"{field} must be an id from 1 to {MAX_ID}, not {raw[:40]!r}.", field=field)
    return int(raw)


def optional_id(raw: str | None, field: str) -> int | None:
    return object_id(raw, field) if raw else None


def optional_date(raw: str | None, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD), or None when the field is empty."""
    if not raw:
        return None
    text = raw.strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise BadParameter(f"{field} must be a date such as 2024-03-15, not {raw[:40]!r}.", field=field)
