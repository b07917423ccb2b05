"""`POST /v1alpha1/comments:analyze?key=...`: Google Perspective's AnalyzeComment, answered by
the local model, so a Coral installation (or any Perspective client) can point its endpoint
at Agora unchanged. `POST /v1alpha1/comments:suggestscore?key=...` (SuggestCommentScore, which
Coral sends when its moderators approve or reject) stores the judgement as the key's site's
moderator decision, which adapting the site's model learns from. The key is a site's API key;
each key has a per-minute request budget."""

from __future__ import annotations

import time

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agora.comments.models import Site
from agora.perspective.services import record_suggestions
from agora.toxicity import load
from agora.toxicity.perspective import PerspectiveError, analyze, suggest_response, suggestions


def _json(body: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


def _site_for_key(key: str) -> Site:
    site = Site.objects.filter(api_key=key).first() if 0 < len(key) <= 100 else None
    if site is None:
        raise PerspectiveError(400, "API key not valid. Please pass a valid API key.",
                               "INVALID_ARGUMENT", "API_KEY_INVALID")
    return site


def _spend_quota(site: Site) -> None:
    """A fixed one-minute window per key, counted in the shared cache (Redis when configured)."""
    key = f"perspective:quota:{site.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, 70)
    if cache.incr(key) > settings.PERSPECTIVE_REQUESTS_PER_MINUTE:
        raise PerspectiveError(429, "Quota exceeded for quota metric 'Analysis requests' "
                                    "and limit 'Analysis requests per minute'.", "RESOURCE_EXHAUSTED")


def _body(request: HttpRequest) -> dict:
    try:
        body = orjson.loads(request.body)
    except orjson.JSONDecodeError:
        raise PerspectiveError(400, "Invalid JSON payload received.") from None
    if not isinstance(body, dict):
        raise PerspectiveError(400, "Invalid JSON payload received.")
    return body


@csrf_exempt
@require_POST
def analyze_comment(request: HttpRequest) -> HttpResponse:
    try:
        _spend_quota(_site_for_key(request.GET.get("key", "")))
        return _json(analyze(load(), _body(request)))
    except PerspectiveError as error:
        return _json(error.to_dict(), error.status)


@csrf_exempt
@require_POST
def suggest_score(request: HttpRequest) -> HttpResponse:
    try:
        site = _site_for_key(request.GET.get("key", ""))
        _spend_quota(site)
        body = _body(request)
        record_suggestions(site, suggestions(body))
        return _json(suggest_response(body))
    except PerspectiveError as error:
        return _json(error.to_dict(), error.status)
