"""The widget's catalogues, `/static/agora/i18n/<lang>.json`, served to any host page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

CATALOGUES = Path(__file__).resolve().parent.parent / "comments" / "static" / "agora" / "i18n"
_NAME = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")


@cache
def _catalogue(name: str) -> bytes | None:
    path = CATALOGUES / f"{name}.json"
    return path.read_bytes() if path.is_file() else None


@require_GET
def widget_catalogue(request: HttpRequest, name: str) -> HttpResponse:
    # Catalogues are per language (`pt.json` serves every `pt-*` page: the widget asks for the
    # base language too); a page may spell the language in capitals.
    if not _NAME.fullmatch(name):
        raise Http404("No such catalogue.")
    body = _catalogue(name) or _catalogue(name.lower())
    if body is None:
        raise Http404("No such catalogue.")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
