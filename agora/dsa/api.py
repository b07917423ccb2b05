"""Reader-facing JSON endpoints of the notice and complaint flows (the server-rendered pages in
`views` call the same services)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from agora.comments import services
from agora.dsa import appeals, notices, presenters, statements
from agora.dsa.models import Notice, Statement, find_notice, find_statement
from agora.errors import NotFound
from agora.http import ErrorOut, request_actor

router = Router(tags=["dsa"])
_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class NoticeIn(Schema):
    comment: int = Field(..., ge=1, le=2**62)
    category: str = Field("", max_length=80)
    explanation: str = Field("", max_length=notices.MAX_EXPLANATION * 2)
    notifier_name: str = Field("", max_length=400)
    notifier_email: str = Field("", max_length=254)
    good_faith: bool = False


class DecisionOut(Schema):
    decided_at: datetime | None
    reasons: str
    legal_ground: str
    automated: bool = False


class NoticeOut(Schema):
    reference: str
    status: str
    comment: int
    category: str
    trusted_flagger: bool
    received_at: datetime
    due_at: datetime
    url: str
    decision: DecisionOut | None = None


class AppealIn(Schema):
    text: str = Field("", max_length=appeals.MAX_TEXT * 2)
    email: str = Field("", max_length=254)
    key: str = Field("", max_length=200, description="The key from the statement's or notice's link.")


class AppealOut(Schema):
    reference: str
    status: str
    filed_at: datetime
    due_at: datetime
    decided_at: datetime | None = None
    reasons: str = ""


class StatementOut(Schema):
    puid: str
    restriction: str
    restriction_label: str
    comment: int | None
    facts: str
    ground: str
    legal_ground: str
    rule: str
    category: str
    automated_detection: bool
    automation: str
    phase: str
    model_version: str
    source: str
    redress: str
    created_at: datetime
    appeal_until: datetime
    url: str
    appeal: AppealOut | None = None


def _origin_checked(request: HttpRequest, site) -> None:
    services.check_origin(site, request.META.get("HTTP_ORIGIN"))


def _statement(puid: str) -> Statement:
    statement = find_statement(puid)
    if statement is None:
        raise NotFound(f"No statement {puid[:40]}.", code="statement_not_found")
    return statement


def _notice(reference: str) -> Notice:
    notice = find_notice(reference)
    if notice is None:
        raise NotFound(f"No notice {reference[:40]}.", code="notice_not_found")
    return notice


@router.post("/dsa/notices", response={201: NoticeOut, **_ERRORS}, summary="Send a notice of illegal content")
def send_notice(request: HttpRequest, payload: NoticeIn):
    """Art. 16 DSA: the reasons, the comment (its permalink is the exact location), the
    notifier's name and e-mail (optional only for child sexual abuse material) and the
    good-faith statement. Answers with the notice's reference and the link to follow it."""
    form = notices.NoticeForm(payload.comment, payload.category, payload.explanation, payload.notifier_name,
                              payload.notifier_email, payload.good_faith)
    comment = services.get_comment(payload.comment)
    _origin_checked(request, comment.site)
    return Status(201, presenters.notice(notices.submit(form, request_actor(request))))


@router.get("/dsa/notices/{reference}", response={200: NoticeOut, 404: ErrorOut})
def get_notice(request: HttpRequest, reference: str, key: str = ""):
    notice = _notice(reference)
    if not appeals.is_notifier(notice, request_actor(request), key):
        raise NotFound(f"No notice {reference[:40]}.", code="notice_not_found")
    return presenters.notice(notice)


@router.post("/dsa/notices/{reference}/appeals", response={201: AppealOut, **_ERRORS},
             summary="Contest a decision not to act on a notice")
def appeal_notice(request: HttpRequest, reference: str, payload: AppealIn):
    notice = _notice(reference)
    appeal = appeals.file_for_notice(notice, request_actor(request), text=payload.text, key=payload.key,
                                     email=payload.email)
    return Status(201, presenters.appeal(appeal))


@router.get("/dsa/comments/{comment_id}/statement", response={200: StatementOut, 404: ErrorOut},
            summary="The statement of reasons for the reader's own comment")
def own_statement(request: HttpRequest, comment_id: int):
    comment = services.get_comment(comment_id)
    statement = statements.latest_for_comment(comment)
    if statement is None or not request_actor(request).owns(comment):
        raise NotFound(f"No statement for comment {comment_id}.", code="statement_not_found")
    return presenters.statement(statement)


@router.get("/dsa/statements/{puid}", response={200: StatementOut, 404: ErrorOut})
def get_statement(request: HttpRequest, puid: str, key: str = ""):
    statement = _statement(puid)
    if not appeals.is_author(statement, request_actor(request), key):
        raise NotFound(f"No statement {puid[:40]}.", code="statement_not_found")
    return presenters.statement(statement)


@router.post("/dsa/statements/{puid}/appeals", response={201: AppealOut, **_ERRORS},
             summary="File a complaint about a statement of reasons")
def appeal_statement(request: HttpRequest, puid: str, payload: AppealIn):
    """Art. 20 DSA: within the period named in the statement, once per statement."""
    appeal = appeals.file_for_statement(_statement(puid), request_actor(request), text=payload.text,
                                        key=payload.key, email=payload.email)
    return Status(201, presenters.appeal(appeal))
