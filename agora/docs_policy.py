"""The API docs page (/api/v1/docs) runs django-ninja's bundled Swagger UI, served by Agora
itself; its Content-Security-Policy allows exactly those files and nothing else to run."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static

SWAGGER_SCRIPTS = ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js")
SWAGGER_STYLES = ("ninja/swagger-ui.css",)


def docs_policy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        absolute = request.build_absolute_uri
        response._csp_replace = {
            "script-src": [absolute(static(name)) for name in SWAGGER_SCRIPTS],
            # Swagger UI sets style attributes on its elements as it renders.
            "style-src": [absolute(static(name)) for name in SWAGGER_STYLES] + ["'unsafe-inline'"],
            "img-src": ["'self'", "data:"],
            "connect-src": ["'self'"],
        }
        return response

    return wrapped
