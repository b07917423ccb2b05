"""The public JSON API under /api/v1/: one NinjaAPI, routers contributed by the apps."""

from __future__ import annotations

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from agora.errors import AgoraError, Forbidden, RateLimited
from agora.moderation.verdicts import Refusal


class UnsupportedMediaType(AgoraError):
    status = 415
    code = "unsupported_media_type"


class StrictJSONParser(Parser):
    """Parses JSON bodies; a body of another media type is a 415, broken UTF-8 or broken JSON
    a clear 400, not a 500."""

    def parse_body(self, request: HttpRequest):
        if request.body and not _is_json(request.content_type):
            raise UnsupportedMediaType(
                f"Send the body as application/json, not {request.content_type or 'untyped'}.")
        try:
            return orjson.loads(request.body or b"{}")
        except orjson.JSONDecodeError as error:
            message = "The request body is not valid UTF-8 JSON."
            raise AgoraError(f"{message} ({error.msg})", code="malformed_json") from None


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


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
    if isinstance(error.__cause__, UnsupportedMediaType):
        return error_response(error.__cause__)
    if error.status_code == 400:  # Ninja wraps every body parsing failure in this
        message = "The request body is not valid JSON encoded as UTF-8."
        return error_response(AgoraError(message, code="malformed_body"))
    return error_response(AgoraError(str(error), code="http_error", status=error.status_code))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 handler (a body over AGORA_MAX_REQUEST_BYTES, a bad Host...): API clients get
    the JSON error shape, with 413 for a body that is too large; pages get Django's own page."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(AgoraError(f"The request body is larger than {limit:,} bytes.",
                                         code="payload_too_large", status=413))
    return error_response(AgoraError("The request could not be read.", code="bad_request"))


def _register_routers() -> None:
    """Each app that has an `api.py` with a `router` contributes its endpoints."""
    from importlib import import_module
    from importlib.util import find_spec

    for app in ("comments", "accounts", "moderation", "importers", "live", "dsa"):
        if find_spec(f"agora.{app}.api"):
            api.add_router("/", import_module(f"agora.{app}.api").router)


_register_routers()
