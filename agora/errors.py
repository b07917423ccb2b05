"""Errors that reach API clients as JSON: a stable `code`, a human `message`, maybe a `field`."""

from __future__ import annotations


class AgoraError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 status: int | None = None, details: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        self.status = status or self.status
        # More for the client to act on (e.g. which origin a site owner must allow, and where).
        self.details = details or {}

    def as_dict(self) -> dict[str, str]:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        body.update(self.details)
        return body


class InvalidInput(AgoraError):
    status = 422
    code = "invalid"


class NotFound(AgoraError):
    status = 404
    code = "not_found"


class Forbidden(AgoraError):
    status = 403
    code = "forbidden"


class Conflict(AgoraError):
    status = 409
    code = "conflict"


class RateLimited(AgoraError):
    status = 429
    code = "rate_limited"
