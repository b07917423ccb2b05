"""Reader-facing moderation endpoints: flags."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from agora.comments import services
from agora.http import ErrorOut, request_actor
from agora.moderation import flags

router = Router(tags=["moderation"])


class FlagIn(Schema):
    reason: Literal["abusive", "spam", "off_topic", "illegal"]
    explanation: str = Field("", max_length=flags.MAX_EXPLANATION,
                             description="Required for `illegal` (EU Digital Services Act notice).")


class FlagOut(Schema):
    flagged: bool


@router.post("/comments/{comment_id}/flags",
             response={201: FlagOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Flag a comment for moderators")
def flag_comment(request: HttpRequest, comment_id: int, payload: FlagIn):
    """One flag per reader per comment (409 `already_flagged` on a repeat). Enough flags (a site
    setting) hold the comment for review."""
    comment = services.get_comment(comment_id)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    flags.flag(comment, request_actor(request), payload.reason, payload.explanation)
    return 201, {"flagged": True}
