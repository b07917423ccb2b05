"""Hardening middleware: who may frame Agora's own pages, and NUL-free API input.

Reader-facing pages (the demo newspaper) may be framed by Agora itself and by the origins of
the site they belong to (`framable_by`), never by another site's; the admin, the moderation
workspace and the account pages by nobody (clickjacking of privileged actions).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse

from agora.comments.models import Site

PRIVATE_PREFIXES = ("/admin/", "/moderate/", "/accounts/")
# API answers are data, never documents: should a browser ever render one, it may load and
# run nothing, and no page may frame it.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Only well-formed origins reach the header (a stray ';' would start a new directive).
_NUL_IN_QUERY = re.compile(r"%00|\x00")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


class FrameAncestorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_html = "text/html" in response.get("Content-Type", "")
        if request.path.startswith("/api/") and not is_html:
            response["Content-Security-Policy"] = API_POLICY
            response._csp_exempt = response._csp_exempt_ro = True
        elif request.path.startswith(PRIVATE_PREFIXES):
            response._csp_replace = {"frame-ancestors": ["'none'"]}
        elif is_html:
            origins = sorted({o.rstrip("/") for o in getattr(response, "frame_origins", ())
                              if _ORIGIN.match(o.rstrip("/"))})
            response._csp_replace = {"frame-ancestors": ["'self'", *origins]}
            if origins:
                # X-Frame-Options cannot list origins; browsers that know CSP use frame-ancestors.
                response.xframe_options_exempt = True
        return response


def framable_by(response: HttpResponse, site: Site | None) -> HttpResponse:
    """Let the origins of `site` frame this reader page (and no other site's)."""
    response.frame_origins = tuple(site.allowed_origins or ()) if site is not None else ()
    return response


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


class StripNulMiddleware:
    """NUL characters carry no meaning in comments or names, and PostgreSQL text columns
    refuse them (an error deep inside a transaction). API input loses them up front: in the
    query string and in every string of a JSON body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            query = request.META.get("QUERY_STRING", "")
            if "%00" in query or "\x00" in query:
                request.META["QUERY_STRING"] = _NUL_IN_QUERY.sub("", query)
            if b"\\u0000" in request.body:
                # Not JSON after all: the API answers that with its own clear error.
                with contextlib.suppress(orjson.JSONDecodeError):
                    request._body = orjson.dumps(_without_nul(orjson.loads(request.body)))
        return self.get_response(request)
