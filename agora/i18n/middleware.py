"""Server pages speak the signed-in user's language, else the language cookie, else the browser's
Accept-Language (Django's LocaleMiddleware does the last two)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from agora.i18n.languages import CODES


class UserLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, placed after authentication so an account's setting wins."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = user_language(request)
        if chosen is None:
            super().process_request(request)
            return
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # Only pages are written in a language: the API, the widget's script and its catalogues
        # are the same for every reader, and `Vary: Accept-Language` would split shared caches.
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


def user_language(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    language = getattr(user, "language", "")
    return language if language in CODES else None
