"""Live streams (SSE), unsubscribe links, and the operations endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from agora.accounts.models import sites_moderated_by
from agora.api import error_response
from agora.comments import services
from agora.comments.models import Article
from agora.errors import AgoraError, Forbidden, InvalidInput
from agora.infra import health, metrics, queue
from agora.live import events, streams, subscriptions
from agora.live.models import Subscription
from agora.live.tokens import read_confirmation_token, read_unsubscribe_token
from agora.moderation.stats import decision_counts_last_hour


@dataclass(frozen=True)
class ThreadTarget:
    key: str
    idle: bool


def _is_idle(article: Article | None) -> bool:
    days = settings.LIVE_IDLE_DAYS
    if article is None or days <= 0:
        return False
    last_activity = article.last_comment_at or article.created_at
    return last_activity < timezone.now() - timedelta(days=days)


def _thread_target(slug: str, url: str, origin: str | None) -> ThreadTarget:
    if not slug or not url:
        raise InvalidInput("Give the site and the article url.", field="url" if slug else "site")
    site = services.get_site(slug)
    services.check_origin(site, origin)
    canonical = services.canonical_url(url)
    article = Article.objects.filter(site=site, url=canonical).first()
    return ThreadTarget(events.thread_key(site.pk, canonical), _is_idle(article))


def _last_event_id(request: HttpRequest) -> str:
    return (request.headers.get("Last-Event-ID") or request.GET.get("last_event_id", ""))[:40]


@require_GET
async def thread_stream(request: HttpRequest) -> HttpResponse:
    """`GET /live/threads?site=SLUG&url=URL`: the thread's live events as Server-Sent Events.
    204 (which tells EventSource not to reconnect) when the thread has been idle for long."""
    try:
        target = await sync_to_async(_thread_target)(
            request.GET.get("site", "")[:50], request.GET.get("url", "")[:1000],
            request.headers.get("Origin"))
    except AgoraError as error:
        return error_response(error)
    if target.idle:
        return HttpResponse(status=204, headers={"X-Agora-Live": "idle"})
    return streams.sse_response(streams.event_stream(target.key, _last_event_id(request)))


def _moderation_key(user, slug: str) -> str:
    site = services.get_site(slug)
    if not sites_moderated_by(user).filter(pk=site.pk).exists():
        raise Forbidden("Only this site's moderators may watch its queue.", code="not_moderator")
    return events.moderation_key(site.pk)


@require_GET
async def moderation_stream(request: HttpRequest) -> HttpResponse:
    """`GET /live/moderation?site=SLUG`: `queue.held` / `queue.resolved` events for moderators."""
    user = await request.auser()
    if not user.is_authenticated:
        return error_response(AgoraError("Log in as a moderator.", code="unauthorized", status=401))
    try:
        key = await sync_to_async(_moderation_key)(user, request.GET.get("site", "")[:50])
    except AgoraError as error:
        return error_response(error)
    return streams.sse_response(streams.event_stream(key, _last_event_id(request)))


@csrf_exempt  # the signed token is the credential; mail clients POST without a form (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page (link scanners must not unsubscribe anyone); POST does it."""
    found = read_unsubscribe_token(token)
    subscription = None
    if found is not None:
        subscription_id, email = found
        subscription = Subscription.objects.filter(pk=subscription_id, email__iexact=email).first()
    if subscription is None:
        return render(request, "live/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        Subscription.objects.filter(pk=subscription.pk).update(active=False)
        return render(request, "live/unsubscribe.html", {"done": True, "email": subscription.email})
    return render(request, "live/unsubscribe.html", {"email": subscription.email})


@csrf_exempt  # the signed token is the credential
def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page (link scanners must not confirm anyone); POST confirms."""
    found = read_confirmation_token(token)
    subscription = None
    if found is not None:
        subscription_id, email = found
        subscription = (Subscription.objects.filter(pk=subscription_id, email__iexact=email, active=True)
                        .first())
    if subscription is None:
        return render(request, "live/confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        return render(request, "live/confirm.html", {"done": True, "email": subscription.email})
    return render(request, "live/confirm.html", {"email": subscription.email})


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Ready when the database answers and, if configured, Redis answers."""
    checks = health.readiness()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


def metrics_view(request: HttpRequest) -> HttpResponse:
    from prometheus_client import CONTENT_TYPE_LATEST

    if not metrics.may_scrape(request):
        response = HttpResponse("Metrics are for the configured scrapers only.\n", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = metrics.render(queue_depths=queue.queue_depths(),
                          recent_decisions=decision_counts_last_hour())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
