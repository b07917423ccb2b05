"""The moderation workspace under /moderate/: thin views over `actions`, `queues`, `authors` and
`dashboard`. Every view needs a moderator; every object is looked up through `permissions`, which
answers 404 for sites the moderator does not hold. Actions are POST only (CSRF-protected) and
answer JSON to the queue's script, or redirect back for plain HTML forms."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.comments.models import Comment
from agora.errors import AgoraError, InvalidInput
from agora.moderation import actions, authors, dashboard, names, params, queues
from agora.moderation.models import AuditEntry, Escalation
from agora.moderation.permissions import (
    article_for,
    comment_for,
    moderated_site_ids,
    moderated_sites,
    moderator_required,
    site_for,
)

MAX_BULK = 500
AUDIT_PAGE = 100
_ASSETS = {"queue.js": "text/javascript", "workspace.css": "text/css"}
_STATIC = Path(__file__).parent / "static" / "moderation"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.headers.get("Referer") or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target)


def _answer(request: HttpRequest, fallback: str, run: Callable[[], dict[str, Any]]) -> HttpResponse:
    """Run an action; JSON for the queue script, a message and a redirect for plain forms."""
    try:
        result = run()
    except AgoraError as error:
        if _wants_json(request):
            return JsonResponse(error.as_dict(), status=error.status)
        messages.error(request, error.message)
        return _back(request, fallback)
    if _wants_json(request):
        return JsonResponse(result)
    messages.success(request, result.get("message") or _("Done."))
    return _back(request, fallback)


# ---- queues and comment actions ------------------------------------------------------------------

@require_GET
@moderator_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("moderation:queue", queue="pending")


@require_GET
@moderator_required
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    if queue not in queues.QUEUES:
        raise Http404(_("No such queue."))
    site_ids = moderated_site_ids(request.user)
    filters = queues.Filters.from_query(request.GET)
    offset = _int(request.GET.get("offset"), 0, 0, 10_000_000)
    cards = queues.page(site_ids, queue, filters, offset=offset)
    counts = queues.counts(site_ids, filters)
    return render(request, "moderation/queue.html", {
        "section": "queue",
        "queue": queue,
        "tabs": [(name, counts[name]) for name in queues.QUEUES],
        "cards": cards,
        "filters": filters,
        "filter_query": filters.as_query(),
        "sites": moderated_sites(request.user),
        "labels": queues.LABELS,
        "rules": queues.rules_seen(site_ids),
        "sorts": queues.SORTS,
        "offset": offset,
        "next_offset": offset + len(cards) if len(cards) == queues.PAGE_SIZE else None,
        "queue_status": queue if queue in ("pending", "rejected", "approved") else "",
        "script_messages": names.script_messages(),
        "live": _live_feeds(request, filters),
        "escalations": list(Escalation.objects.filter(ended_at__isnull=True, article__site_id__in=site_ids)
                            .select_related("article").order_by("-started_at")[:10]),
    })


MAX_LIVE_SITES = 2  # one stream per site; browsers allow few connections per host


def _live_feeds(request: HttpRequest, filters: queues.Filters) -> dict[str, Any] | None:
    """Where the queue page subscribes to held/resolved events, when live updates are installed."""
    try:
        url = reverse("live-moderation")
    except NoReverseMatch:
        return None
    slugs = [filters.site] if filters.site else list(
        moderated_sites(request.user).values_list("slug", flat=True)[:MAX_LIVE_SITES + 1])
    if not slugs or len(slugs) > MAX_LIVE_SITES:
        return None
    return {"url": url, "sites": ",".join(slugs)}


_COMMENT_ACTIONS = {"approve": actions.approve, "reject": actions.reject, "undo": actions.undo}


@require_POST
@moderator_required
def comment_action(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    if action not in _COMMENT_ACTIONS:
        raise Http404(_("No such action."))
    comment = comment_for(request.user, comment_id)
    previous = comment.status

    def run() -> dict[str, Any]:
        _COMMENT_ACTIONS[action](comment, request.user)
        return {"id": comment.pk, "status": comment.status, "previous": previous,
                "message": _("Comment %(id)s %(status)s.") % {
                    "id": comment.pk, "status": names.name("status", comment.status)}}

    return _answer(request, reverse("moderation:queue", args=["pending"]), run)


@require_POST
@moderator_required
def bulk_action(request: HttpRequest) -> HttpResponse:
    ids = request.POST.getlist("ids")

    def run() -> dict[str, Any]:
        wanted = _ids(ids)
        comments = list(Comment.objects.select_related("site", "article")
                        .filter(pk__in=wanted, site_id__in=moderated_site_ids(request.user)))
        if len(comments) != len(wanted):
            raise Http404(_("No such comment."))
        changed = actions.bulk(comments, request.POST.get("action", ""), request.user)
        return {"changed": changed, "ids": sorted(wanted),
                "message": ngettext("%(count)d comment changed.", "%(count)d comments changed.",
                                    changed) % {"count": changed}}

    return _answer(request, reverse("moderation:queue", args=["pending"]), run)


def _ids(raw: list[str]) -> set[int]:
    if not raw:
        raise InvalidInput(_("Select at least one comment."), field="ids")
    if len(raw) > MAX_BULK:
        raise InvalidInput(_("Act on at most %(count)d comments at once.") % {"count": MAX_BULK}, field="ids")
    return {params.object_id(value, "ids") for value in raw}


# ---- authors -------------------------------------------------------------------------------------

@require_GET
@moderator_required
def author(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    panel = authors.panel(request.user, kind, key)
    return render(request, "moderation/author.html", {"panel": panel, "section": "queue",
                                                        "max_hours": actions.MAX_SUSPENSION_HOURS})


@require_POST
@moderator_required
def author_action(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    identity = authors.identity(kind, key)
    site = site_for(request.user, request.POST.get("site", ""))
    fallback = reverse("moderation:author", args=[kind, key])

    def run() -> dict[str, Any]:
        standing = authors.standing(identity, site)
        authors.act(standing, request.user, request.POST.get("action", ""),
                    reason=request.POST.get("reason", ""), hours=_int(request.POST.get("hours"), 0, 0, 10**6),
                    who=identity, cover=request.POST.getlist("cover"))
        saved = _("%(author)s on %(site)s: saved.")
        return {"message": saved % {"author": identity.label, "site": site.name}}

    return _answer(request, fallback, run)


# ---- articles ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@moderator_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = article_for(request.user, article_id)
    if request.method == "POST":
        fallback = reverse("moderation:article", args=[article.pk])
        return _answer(request, fallback, lambda: _article_action(request, article))
    return render(request, "moderation/article.html", {
        "section": "queue",
        "article": article,
        "paused": actions.is_paused(article),
        "escalation": actions.open_escalation(article),
        "counts": queues.counts(moderated_site_ids(request.user), queues.Filters(article=article.pk)),
        "history": AuditEntry.objects.filter(target_type="article", target_id=str(article.pk))[:20],
        "max_slow": actions.MAX_SLOW_MODE_SECONDS,
    })


def _article_action(request: HttpRequest, article: Any) -> dict[str, Any]:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    user = request.user
    toggles = {
        "close": lambda: actions.close_article(article, user, True, reason),
        "open": lambda: actions.close_article(article, user, False, reason),
        "pause": lambda: actions.pause_article(article, user, True, reason),
        "resume": lambda: actions.pause_article(article, user, False, reason),
        "premoderate": lambda: actions.set_article_premoderation(article, user, True, reason),
        "premoderate_off": lambda: actions.set_article_premoderation(article, user, False, reason),
        "slow_mode": lambda: actions.set_slow_mode(
            article, user, _int(request.POST.get("slow_mode_seconds"), -1, -1, 10**9), reason),
        "end_escalation": lambda: actions.end_escalation(article, user, reason),
    }
    if action not in toggles:
        raise InvalidInput(_("Article actions are: %(actions)s.") % {"actions": ", ".join(toggles)},
                           field="action")
    toggles[action]()
    return {"message": _("Article settings saved."), "is_closed": article.is_closed,
            "premoderate": article.premoderate, "slow_mode_seconds": article.slow_mode_seconds}


# ---- audit log -----------------------------------------------------------------------------------

def _audit_entries(request: HttpRequest):
    visible = Q(site_id__in=moderated_site_ids(request.user))
    if request.user.is_superuser:
        visible |= Q(site__isnull=True)  # site-less entries (global settings) are for admins only
    entries = AuditEntry.objects.filter(visible)
    query = request.GET
    if query.get("actor"):
        entries = entries.filter(actor_name__iexact=query["actor"].strip())
    if query.get("action"):
        entries = entries.filter(action__startswith=query["action"].strip())
    if query.get("site"):
        entries = entries.filter(site__slug=query["site"])
    since = params.optional_date(query.get("since"), "since")
    until = params.optional_date(query.get("until"), "until")
    if since:
        entries = entries.filter(created_at__gte=make_aware(datetime.combine(since, time.min)))
    if until:
        entries = entries.filter(created_at__lte=make_aware(datetime.combine(until, time.max)))
    return entries.select_related("site").order_by("-created_at", "-pk")


@require_GET
@moderator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = _audit_entries(request)
    page = Paginator(entries, AUDIT_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/audit.html", {
        "section": "audit",
        "page": page, "query": query.urlencode(), "sites": moderated_sites(request.user),
        "filters": request.GET,
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = ("time", "actor", "action", "site", "target_type", "target_id", "reason", "before", "after")


def _csv_rows(entries) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=1000):
        yield writer.writerow([
            entry.created_at.isoformat(), entry.actor_name, entry.action,
            entry.site.slug if entry.site else "", entry.target_type, entry.target_id,
            _csv_safe(entry.reason), _csv_safe(_json(entry.before)), _csv_safe(_json(entry.after)),
        ])


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading quote defuses them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
@moderator_required
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(_audit_entries(request)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agora-audit.csv"'
    return response


# ---- dashboard and assets ------------------------------------------------------------------------

@require_GET
@moderator_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    site_ids = moderated_site_ids(request.user)
    slug = request.GET.get("site", "")
    if slug:
        site_ids = frozenset({site_for(request.user, slug).pk})
    return render(request, "moderation/dashboard.html", {
        "section": "dashboard",
        "charts": dashboard.charts(site_ids), "sites": moderated_sites(request.user), "site": slug,
    })


@cache
def _asset(name: str) -> bytes:
    return (_STATIC / name).read_bytes()


@require_GET
def asset(request: HttpRequest, name: str) -> HttpResponse:
    """The workspace's own script and style, served without a static-files setup."""
    if name not in _ASSETS:
        raise Http404(_("No such file."))
    response = HttpResponse(_asset(name), content_type=f"{_ASSETS[name]}; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return max(low, min(value, high))
