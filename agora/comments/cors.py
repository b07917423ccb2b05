"""CORS for the embedded widget: the API answers only origins some site allows.

Each endpoint then checks that the origin belongs to the site named in the request, so one
site's origin cannot act on another site's threads.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from agora.comments.models import Site

_CACHE_KEY = "cors:allowed-origins"
_ALLOW_HEADERS = "Content-Type, X-Agora-Reader, Authorization, Last-Event-ID, Idempotency-Key"
_ALLOW_METHODS = "GET, POST, PATCH, PUT, DELETE, OPTIONS"


def allowed_origins() -> frozenset[str]:
    origins = cache.get(_CACHE_KEY)
    if origins is None:
        origins = frozenset(
            origin.rstrip("/")
            for site_origins in Site.objects.values_list("allowed_origins", flat=True)
            for origin in site_origins or ()
        )
        cache.set(_CACHE_KEY, origins, 30)
    return origins


def forget_allowed_origins() -> None:
    cache.delete(_CACHE_KEY)


class CorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.META.get("HTTP_ORIGIN")
        applies = request.path.startswith(("/api/", "/live/")) and origin
        if applies and request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if applies and origin.rstrip("/") in allowed_origins():
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = _ALLOW_HEADERS
            response["Access-Control-Allow-Methods"] = _ALLOW_METHODS
            response["Access-Control-Max-Age"] = "600"
            response["Vary"] = "Origin"
        return response
