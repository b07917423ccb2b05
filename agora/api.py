"""The public JSON API under /api/v1/: one NinjaAPI, routers contributed by the apps."""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from agora.errors import AgoraError, Forbidden, RateLimited
from agora.moderation.verdicts import Refusal


class StrictJSONParser(Parser):
    """Parses JSON bodies; broken UTF-8 or broken JSON becomes a clear 400, not a 500."""

    def parse_body(self, request: HttpRequest):
        try:
            return orjson.loads(request.body or b"{}")
        except orjson.JSONDecodeError as error:
            message = "The request body is not valid UTF-8 JSON."
            raise AgoraError(f"{message} ({error.msg})", code="malformed_json") from None


api = NinjaAPI(
    title="Agora API",
    version="1",
    description="Comments, threads, votes and counts for the Agora comment platform.",
    urls_namespace="api",
    parser=StrictJSONParser(),
    docs_url="/docs",
)


def error_response(error: AgoraError) -> HttpResponse:
    return HttpResponse(orjson.dumps(error.as_dict()), status=error.status,
                        content_type="application/json")


@api.exception_handler(AgoraError)
def _agora_error(request: HttpRequest, error: AgoraError) -> HttpResponse:
    return error_response(error)


@api.exception_handler(Refusal)
def _refusal(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The author may not post now: 429 while it passes with time, else 403."""
    error_class = RateLimited if refusal.throttled else Forbidden
    return error_response(error_class(refusal.message, code=refusal.code))


_LOCATIONS = {"body", "query", "path", "payload", "header", "cookie"}


def _field_path(location: tuple | list) -> list[str]:
    return [str(part) for part in location if part not in _LOCATIONS]


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    first = error.errors[0] if error.errors else {}
    location = _field_path(first.get("loc", ()))
    field = ".".join(location) or None
    message = first.get("msg", "Invalid input.")
    body = {"code": "invalid", "message": f"{field}: {message}" if field else message,
            "field": field, "errors": [
                {"field": ".".join(_field_path(e.get("loc", ()))), "message": e.get("msg")}
                for e in error.errors]}
    return HttpResponse(orjson.dumps(body), status=422, content_type="application/json")


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return error_response(AgoraError("Authentication required.", code="unauthorized", status=401))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:  # Ninja wraps every body parsing failure in this
        message = "The request body is not valid JSON encoded as UTF-8."
        return error_response(AgoraError(message, code="malformed_body"))
    return error_response(AgoraError(str(error), code="http_error", status=error.status_code))


def _register_routers() -> None:
    """Each app that has an `api.py` with a `router` contributes its endpoints."""
    from importlib import import_module
    from importlib.util import find_spec

    for app in ("comments", "accounts", "moderation", "importers", "live", "dsa"):
        if find_spec(f"agora.{app}.api"):
            api.add_router("/", import_module(f"agora.{app}.api").router)


_register_routers()
