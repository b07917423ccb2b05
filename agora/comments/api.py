"""Reader-facing API: threads, comments, votes, counts, and article registration."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Literal

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from agora.accounts.readers import issue_reader_token
from agora.comments import idempotency, services, threads
from agora.comments.models import Comment, IdempotentPost
from agora.comments.threads import comment_json
from agora.errors import Forbidden, NotFound
from agora.http import ErrorOut, request_actor, request_site
from agora.identity import hash_ip
from agora.moderation import reputation
from agora.moderation.verdicts import Verdict

router = Router(tags=["comments"])

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"

# ---- schemas ---------------------------------------------------------------------------------

class AuthorOut(Schema):
    name: str
    badge: str | None = None


class CommentOut(Schema):
    id: int
    parent: int | None
    depth: int
    author: AuthorOut
    html: str
    deleted: bool
    status: Literal["approved", "pending", "rejected"]
    created: str
    edited: str | None
    upvotes: int
    downvotes: int
    score: int
    reply_count: int
    hidden_replies: int = 0


class ArticleOut(Schema):
    id: int
    url: str
    title: str
    is_closed: bool
    comment_count: int


class ThreadOut(Schema):
    article: ArticleOut | None
    comments: list[CommentOut]
    next_offset: int | None
    total_top_level: int
    own_pending: list[CommentOut] = []


class RepliesOut(Schema):
    comments: list[CommentOut]
    next_offset: int | None


class ReaderOut(Schema):
    reader_token: str


class SpanOut(Schema):
    start: int
    end: int
    text: str


class ReasonOut(Schema):
    phase: str
    rule: str
    message: str
    spans: list[SpanOut]


class PostOut(Schema):
    result: Literal["approved", "pending", "rejected", "nudge"]
    message: str
    comment: CommentOut | None = None
    reasons: list[ReasonOut] = []


class ThreadQuery(Schema):
    site: str = Field(..., max_length=50)
    url: str = Field(..., max_length=1000)
    sort: Literal["oldest", "newest", "top", "controversial"] = "oldest"
    offset: int = Field(0, ge=0, le=1_000_000)
    page_size: int = Field(20, ge=1, le=threads.MAX_PAGE_SIZE)
    replies: int = Field(5, ge=0, le=threads.MAX_PAGE_SIZE)
    full: bool = False
    own: bool = Field(False, description="Also return the reader's own comments awaiting review.")


class CommentIn(Schema):
    site: str = Field(..., max_length=50)
    url: str = Field(..., max_length=1000)
    body: str = Field(..., max_length=200_000)
    author_name: str = Field("", max_length=200)
    author_email: str = Field("", max_length=254)
    parent: int | None = Field(None, ge=1, le=2**62)
    title: str = Field("", max_length=500)
    post_anyway: bool = Field(False, description="Post although the nudge suggested a rewrite.")


class CommentEditIn(Schema):
    body: str = Field(..., max_length=200_000)


class VoteIn(Schema):
    value: Literal[1, -1]


class CountsIn(Schema):
    site: str = Field(..., max_length=50)
    urls: list[str] = Field(..., max_length=200)


class CountsOut(Schema):
    counts: dict[str, int]


class ArticleIn(Schema):
    url: str = Field(..., max_length=1000)
    title: str = Field("", max_length=500)
    published_at: datetime | None = None
    is_closed: bool | None = None


# ---- helpers ----------------------------------------------------------------------------------

_MESSAGES = {
    "approved": "Your comment is published.",
    "pending": "Your comment is awaiting review by a moderator.",
    "rejected": "Your comment breaks the community rules and was not published.",
    "nudge": "Your comment may break the community rules. Edit it, or post it anyway for review.",
}


def _post_answer(result: services.PostResult) -> idempotency.Answer:
    verdict: Verdict = result.verdict
    kind = "nudge" if result.comment is None else result.comment.status
    reasons = [
        {**reason.as_dict(), "spans": [{"start": s, "end": e, "text": t} for s, e, t in reason.spans]}
        for reason in verdict.reasons
    ]
    body = {"result": kind, "message": _MESSAGES[kind],
            "comment": comment_json(result.comment) if result.comment else None,
            "reasons": reasons}
    return 201 if result.comment else 200, body


def _post_out(result: services.PostResult) -> Status:
    return Status(*_post_answer(result))


def _replayed_post(comment: Comment) -> idempotency.Answer:
    """The answer to a post whose first request stored the comment but never answered."""
    return 201, {"result": comment.status, "message": _MESSAGES[comment.status],
                 "comment": comment_json(comment), "reasons": []}


# ---- endpoints -------------------------------------------------------------------------------

@router.post("/reader", response={201: ReaderOut, 429: ErrorOut}, summary="Issue an anonymous reader token")
def create_reader(request: HttpRequest):
    """The widget keeps this token and sends it as `X-Agora-Reader`: it identifies the reader's
    own comments (edit, delete, awaiting review) and makes votes one per reader. New tokens are
    limited per network and hour (429 past it)."""
    reputation.admit_new_token(request.META.get("REMOTE_ADDR", ""))
    _, token = issue_reader_token()
    return Status(201, {"reader_token": token})


@router.get("/threads", response={200: ThreadOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="A page of a thread")
def get_thread(request: HttpRequest, query: Query[ThreadQuery]):
    """Top-level comments (sorted, paged with `offset`) each followed by its first `replies`
    replies in thread order; `full=true` returns every visible comment."""
    site = request_site(request, query.site)
    found = threads.article_version(site.pk, services.canonical_url(query.url))
    if found is None:
        body = {"article": None, "comments": [], "next_offset": None, "total_top_level": 0}
        return HttpResponse(orjson.dumps(body), content_type="application/json")
    page = threads.PageRequest(sort=query.sort, offset=query.offset, page_size=query.page_size,
                               replies_per_comment=query.replies, full=query.full)
    payload = threads.page_bytes(*found, page)
    actor = request_actor(request)
    if query.own and (actor.reader_id or actor.user):
        pending = threads.own_pending(found[0], actor.reader_id, actor.user.pk if actor.user else None)
        if pending:
            payload = payload[:-1] + b',"own_pending":' + orjson.dumps(pending) + b"}"
    return HttpResponse(payload, content_type="application/json")


@router.get("/comments/{comment_id}", response={200: CommentOut, 404: ErrorOut})
def get_comment(request: HttpRequest, comment_id: int):
    comment = services.get_comment(comment_id)
    if comment.status != Comment.Status.APPROVED and not request_actor(request).owns(comment):
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    return comment_json(comment)


@router.get("/comments/{comment_id}/replies", response={200: RepliesOut, 404: ErrorOut, 422: ErrorOut},
            summary="More replies below a comment")
def get_replies(request: HttpRequest, comment_id: int, offset: int = Query(0, ge=0, le=1_000_000),
                limit: int = Query(50, ge=1, le=threads.MAX_PAGE_SIZE)):
    comment = services.get_comment(comment_id)
    if comment.status != Comment.Status.APPROVED:
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    return threads.replies_page(comment, offset, limit)


@router.post("/comments", response={200: PostOut, 201: PostOut, 403: ErrorOut, 404: ErrorOut,
                                    409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="Post a comment or a reply")
def post_comment(request: HttpRequest, payload: CommentIn):
    """201 with `result` approved, pending or rejected when the comment was stored; 200 with
    `result: nudge` and highlighted reasons when the reader should reconsider first (send again
    with `post_anyway: true` to post it for review).

    With an `Idempotency-Key` header (any unique string per submission, e.g. a UUID), a retry
    gets the first request's answer, marked `Idempotent-Replayed: true`, and stores nothing."""
    site = request_site(request, payload.site)
    actor = request_actor(request)

    def run(claim: IdempotentPost | None = None) -> idempotency.Answer:
        return _post_answer(services.post_comment(
            site=site, url=payload.url, body=payload.body, actor=actor,
            author_name=payload.author_name, author_email=payload.author_email,
            parent_id=payload.parent, title=payload.title, ignore_nudge=payload.post_anyway,
            on_stored=(lambda comment: idempotency.link(claim, comment)) if claim else None,
        ))

    key = request.META.get(IDEMPOTENCY_HEADER)
    if key is None:
        return Status(*run())
    scope = idempotency.scope_of(site, actor.voter_key or hash_ip(actor.ip), key)
    (status, body), replayed = idempotency.once(site, scope, run, _replayed_post)
    if not replayed:
        return Status(status, body)
    response = HttpResponse(orjson.dumps(body), status=status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


@router.patch("/comments/{comment_id}", response={201: PostOut, 403: ErrorOut, 404: ErrorOut,
                                                   409: ErrorOut, 422: ErrorOut})
def edit_comment(request: HttpRequest, comment_id: int, payload: CommentEditIn):
    comment = services.get_comment(comment_id)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    return _post_out(services.edit_comment(comment, payload.body, request_actor(request)))


@router.delete("/comments/{comment_id}", response={200: CommentOut, 403: ErrorOut, 404: ErrorOut,
                                                    409: ErrorOut})
def delete_comment(request: HttpRequest, comment_id: int):
    comment = services.get_comment(comment_id)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    return comment_json(services.delete_comment(comment, request_actor(request)))


@router.post("/comments/{comment_id}/votes", response={200: CommentOut, 403: ErrorOut,
                                                        404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def vote(request: HttpRequest, comment_id: int, payload: VoteIn):
    comment = services.get_comment(comment_id)
    services.check_origin(comment.site, request.META.get("HTTP_ORIGIN"))
    return comment_json(services.vote(comment, payload.value, request_actor(request)))


@router.post("/counts", response={200: CountsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Comment counts for many article URLs")
def counts(request: HttpRequest, payload: CountsIn):
    site = request_site(request, payload.site)
    return {"counts": services.counts(site, payload.urls)}


@router.put("/sites/{site_slug}/articles", response={200: ArticleOut, 403: ErrorOut, 404: ErrorOut,
                                                     422: ErrorOut},
            summary="Register or update an article (publisher key)")
def put_article(request: HttpRequest, site_slug: str, payload: ArticleIn):
    """Needs `Authorization: Bearer <site API key>`."""
    site = services.get_site(site_slug)
    if not hmac.compare_digest(request.META.get("HTTP_AUTHORIZATION", ""), f"Bearer {site.api_key}"):
        raise Forbidden("A valid site API key is required.", code="bad_api_key")
    article = services.register_article(site, payload.url, title=payload.title,
                                        published_at=payload.published_at,
                                        is_closed=payload.is_closed)
    return threads.article_summary(article)
