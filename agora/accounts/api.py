"""Accounts API under /api/v1/auth/: sign-up, login, SSO, logout, profile, own data."""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from agora.accounts import privacy, services, sso
from agora.accounts.readers import identity_from_token
from agora.comments.cors import allowed_origins
from agora.comments.models import Comment, Site
from agora.errors import AgoraError, Forbidden
from agora.http import READER_HEADER, ErrorOut, request_site

router = Router(tags=["accounts"])


# ---- schemas ---------------------------------------------------------------------------------

class UserOut(Schema):
    id: int
    name: str
    role: str
    email: str
    email_verified: bool
    sso: bool
    avatar: str
    language: str = Field("", description="Language of Agora's pages and e-mails; empty: the browser's.")


class SessionOut(Schema):
    reader_token: str
    user: UserOut


class MeOut(Schema):
    user: UserOut | None


class SignupIn(Schema):
    site: str = Field(..., max_length=50)
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=1024)
    display_name: str = Field(..., max_length=200)


class LoginIn(Schema):
    site: str = Field(..., max_length=50)
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=1024)


class SsoIn(Schema):
    site: str = Field(..., max_length=50)
    token: str = Field(..., max_length=sso.MAX_TOKEN_LENGTH)


class LogoutIn(Schema):
    everywhere: bool = Field(False, description="End every session of the account, not only this one.")


class OkOut(Schema):
    ok: bool
    message: str = ""


class EmailIn(Schema):
    email: str = Field(..., max_length=254)


class ResetIn(Schema):
    uid: str = Field(..., max_length=64)
    token: str = Field(..., max_length=128)
    password: str = Field(..., max_length=1024)


class ProfileIn(Schema):
    display_name: str | None = Field(None, max_length=200)
    site: str | None = Field(None, max_length=50, description="Check the name against this site's rules.")
    language: str | None = Field(None, max_length=10, description="e.g. de, pt-br, ar; empty: the browser's.")


class OwnCommentOut(Schema):
    id: int
    site: str
    article_url: str
    article_title: str
    body: str
    status: str
    deleted: bool
    created: str
    edited: str | None


class OwnCommentsOut(Schema):
    comments: list[OwnCommentOut]
    next_offset: int | None


class DeletionOut(Schema):
    deletion_due: str
    message: str


# ---- helpers ---------------------------------------------------------------------------------

def _token(request: HttpRequest) -> str | None:
    return request.META.get(READER_HEADER)


def _check_known_origin(request: HttpRequest) -> None:
    """Endpoints without a site still answer only Agora itself and origins some site allows."""
    origin = (request.META.get("HTTP_ORIGIN") or "").rstrip("/")
    own = request.build_absolute_uri("/").rstrip("/")
    if origin and origin != own and origin not in allowed_origins():
        raise Forbidden(f"Origin {origin} may not use this Agora.", code="origin_not_allowed")


def _current_user(request: HttpRequest):
    _check_known_origin(request)
    identity = identity_from_token(_token(request))
    if identity is None or identity.user is None:
        raise AgoraError("Log in first.", code="unauthorized", status=401)
    return identity.user


def _optional_site(request: HttpRequest, slug: str | None) -> Site | None:
    return request_site(request, slug) if slug else None


def _session(request: HttpRequest, user, site: Site) -> dict:
    return {"reader_token": services.session_token_for(user, _token(request)),
            "user": services.user_out(user, site)}


_AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


# ---- endpoints -------------------------------------------------------------------------------

@router.post("/auth/signup", response={201: SessionOut, **_AUTH_ERRORS}, summary="Create an account")
def signup(request: HttpRequest, payload: SignupIn):
    """Creates the account, mails a confirmation link and logs the new user in."""
    site = request_site(request, payload.site)
    user = services.signup(site, payload.email, payload.password, payload.display_name)
    return 201, _session(request, user, site)


@router.post("/auth/login", response={200: SessionOut, **_AUTH_ERRORS}, summary="Log in")
def login(request: HttpRequest, payload: LoginIn):
    site = request_site(request, payload.site)
    user = services.login(request, payload.email, payload.password)
    return _session(request, user, site)


@router.post("/auth/sso", response={200: SessionOut, **_AUTH_ERRORS}, summary="Publisher single sign-on")
def single_sign_on(request: HttpRequest, payload: SsoIn):
    """Exchange the host site's signed token (JWT, HS256) for a session token."""
    site = request_site(request, payload.site)
    user = sso.sign_in(site, payload.token)
    return _session(request, user, site)


@router.post("/auth/logout", response={200: OkOut, 403: ErrorOut, 422: ErrorOut}, summary="Log out")
def logout(request: HttpRequest, payload: LogoutIn | None = None):
    _check_known_origin(request)
    services.logout(_token(request), everywhere=bool(payload and payload.everywhere))
    return {"ok": True, "message": "Logged out."}


@router.get("/auth/me", response={200: MeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="The logged-in user")
def me(request: HttpRequest, site: str | None = Query(None, max_length=50)):
    """`user` is null for anonymous readers; `role` is for `site` when given."""
    _check_known_origin(request)
    site_obj = _optional_site(request, site)
    identity = identity_from_token(_token(request))
    if identity is None or identity.user is None:
        return {"user": None}
    return {"user": services.user_out(identity.user, site_obj)}


@router.patch("/auth/me", response={200: MeOut, **_AUTH_ERRORS}, summary="Update the profile")
def update_me(request: HttpRequest, payload: ProfileIn):
    site = _optional_site(request, payload.site)
    user = services.update_profile(_current_user(request), payload.display_name, site, payload.language)
    return {"user": services.user_out(user, site)}


@router.delete("/auth/me", response={202: DeletionOut, **_AUTH_ERRORS}, summary="Delete the account")
def delete_me(request: HttpRequest):
    """Logs out everywhere and deletes the account after the grace period (logging in again
    before then cancels it). Comments are anonymised or removed, per each site's policy."""
    due = privacy.request_deletion(_current_user(request))
    return 202, {"deletion_due": due.isoformat(),
                 "message": "Your account will be deleted on that date. Log in before then to keep it."}


@router.get("/auth/me/comments", response={200: OwnCommentsOut, **_AUTH_ERRORS},
            summary="The user's own comments")
def my_comments(request: HttpRequest, offset: int = Query(0, ge=0, le=1_000_000),
                limit: int = Query(50, ge=1, le=100)):
    user = _current_user(request)
    rows = list(Comment.objects.filter(author=user).select_related("site", "article")
                .order_by("-created_at", "-pk")[offset:offset + limit + 1])
    comments = [{
        "id": c.pk, "site": c.site.slug, "article_url": c.article.url, "article_title": c.article.title,
        "body": c.body, "status": c.status, "deleted": c.is_deleted, "created": c.created_at.isoformat(),
        "edited": c.edited_at.isoformat() if c.edited_at else None,
    } for c in rows[:limit]]
    return {"comments": comments, "next_offset": offset + limit if len(rows) > limit else None}


@router.get("/auth/me/export", response={200: dict, **_AUTH_ERRORS}, summary="Download all my data")
def export_me(request: HttpRequest):
    data = privacy.export_user_data(_current_user(request))
    response = HttpResponse(orjson.dumps(data, option=orjson.OPT_INDENT_2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="agora-data.json"'
    return response


@router.post("/auth/verification", response={200: OkOut, **_AUTH_ERRORS},
             summary="Send the e-mail confirmation link again")
def resend_verification(request: HttpRequest):
    services.send_verification_email(_current_user(request))
    return {"ok": True, "message": "If your address is unconfirmed, a new link is on its way."}


@router.post("/auth/password-reset", response={200: OkOut, 403: ErrorOut, 422: ErrorOut},
             summary="Mail a password reset link")
def password_reset(request: HttpRequest, payload: EmailIn):
    _check_known_origin(request)
    services.request_password_reset(payload.email)
    return {"ok": True, "message": "If an account uses this address, a reset link is on its way."}


@router.post("/auth/password-reset/confirm", response={200: OkOut, 403: ErrorOut, 422: ErrorOut},
             summary="Set a new password with the mailed link")
def password_reset_confirm(request: HttpRequest, payload: ResetIn):
    _check_known_origin(request)
    services.reset_password(payload.uid, payload.token, payload.password)
    return {"ok": True, "message": "Your password is changed. Log in with the new one."}
