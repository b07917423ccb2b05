"""Server-rendered pages: the notice form, statements and complaints for the parties, and the
workspace's notice and complaint queues and transparency report for moderators."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Comment, Site
from agora.dsa import appeals, charts, notices, presenters, report, statements, tdb
from agora.dsa.models import Appeal, Category, DsaSettings, Notice, Statement, find_notice, find_statement
from agora.errors import AgoraError
from agora.moderation.permissions import check_site, moderated_site_ids, moderated_sites, moderator_required


def _reader(request: HttpRequest) -> services.Actor:
    """Pages on Agora's own origin know a reader by their signed-in account only."""
    user = request.user if request.user.is_authenticated else None
    return services.Actor(user=user, reader_id="", ip=request.META.get("REMOTE_ADDR", ""))


def _acted(request: HttpRequest, target: str, run: Callable[[], str]) -> HttpResponseRedirect:
    """Run a form's action; its message (or the error, with nothing stored) on the next page."""
    try:
        messages.success(request, run())
    except AgoraError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(target)


# ---- notifiers ------------------------------------------------------------------------------------

def _comment_or_404(raw: str | None) -> Comment:
    comment = Comment.objects.select_related("site", "article").filter(
        pk=int(raw) if (raw or "").isdigit() else 0).first()
    if comment is None or comment.status != Comment.Status.APPROVED or comment.is_deleted:
        raise Http404("No such comment.")
    return comment


@require_http_methods(["GET", "POST"])
def notice_form(request: HttpRequest) -> HttpResponse:
    comment = _comment_or_404(request.GET.get("comment") or request.POST.get("comment"))
    context: dict[str, Any] = {"comment": comment, "categories": Category.choices, "values": request.POST,
                               "settings": DsaSettings.for_site(comment.site)}
    if request.method == "POST":
        post = request.POST
        form = notices.NoticeForm(comment.pk, post.get("category", ""), post.get("explanation", ""),
                                  post.get("notifier_name", ""), post.get("notifier_email", ""),
                                  post.get("good_faith") == "on")
        try:
            notice = notices.submit(form, _reader(request))
        except AgoraError as error:
            context["error"] = error
            return render(request, "dsa/notice_form.html", context, status=error.status)
        return render(request, "dsa/notice_received.html", {"notice": presenters.notice(notice),
                                                             "site": comment.site}, status=201)
    return render(request, "dsa/notice_form.html", context)


def _notice_for_party(request: HttpRequest, reference: str) -> tuple[Notice, str]:
    notice = find_notice(reference)
    key = request.GET.get("key") or request.POST.get("key") or ""
    if notice is None or not appeals.is_notifier(notice, _reader(request), key):
        raise Http404("No such notice.")
    return notice, key


@require_GET
def notice_page(request: HttpRequest, reference: str) -> HttpResponse:
    notice, key = _notice_for_party(request, reference)
    appeal = presenters.appeal_of(notice)
    return render(request, "dsa/notice_page.html", {
        "notice": notice, "view": presenters.notice(notice), "key": key, "appeal": appeal,
        "can_appeal": notice.status == Notice.Status.NO_ACTION and appeal is None,
    })


def _complain(request: HttpRequest, page: str, reference: str, key: str, file: Callable[..., Any],
              subject: Any) -> HttpResponseRedirect:
    """File the complaint from the form under a decision; back to that page with the outcome."""
    def run() -> str:
        file(subject, _reader(request), text=request.POST.get("text", ""), key=key,
             email=request.POST.get("email", ""))
        return "Your complaint was received. A moderator who did not take the decision will review it."

    return _acted(request, f"{reverse(page, args=[reference])}?key={key}", run)


@require_POST
def notice_appeal(request: HttpRequest, reference: str) -> HttpResponse:
    notice, key = _notice_for_party(request, reference)
    return _complain(request, "dsa:notice", reference, key, appeals.file_for_notice, notice)


# ---- authors --------------------------------------------------------------------------------------

def _statement_for_author(request: HttpRequest, puid: str) -> tuple[Statement, str]:
    statement = find_statement(puid)
    key = request.GET.get("key") or request.POST.get("key") or ""
    if statement is None or not appeals.is_author(statement, _reader(request), key):
        raise Http404("No such statement.")
    return statement, key


@require_GET
def statement_page(request: HttpRequest, puid: str) -> HttpResponse:
    statement, key = _statement_for_author(request, puid)
    appeal = presenters.appeal_of(statement)
    return render(request, "dsa/statement_page.html", {
        "statement": statement, "key": key, "appeal": appeal,
        "can_appeal": appeal is None and timezone.now() <= statement.appeal_until
        and appeals.still_restricted(statement),
        "settings": DsaSettings.for_site(statement.site),
    })


@require_POST
def statement_appeal(request: HttpRequest, puid: str) -> HttpResponse:
    statement, key = _statement_for_author(request, puid)
    return _complain(request, "dsa:statement", puid, key, appeals.file_for_statement, statement)


@require_GET
def my_statements(request: HttpRequest) -> HttpResponse:
    """The signed-in author's statements of reasons (their account's page of decisions)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts-login')}?next={request.path}")
    return render(request, "dsa/my_statements.html",
                  {"statements": statements.for_author(user=request.user)})


# ---- the workspace --------------------------------------------------------------------------------

def _status(request: HttpRequest, allowed: list[str]) -> str:
    status = request.GET.get("status", "open")
    if status not in allowed:
        raise Http404("No such queue.")
    return status


@require_GET
@moderator_required
def notice_queue(request: HttpRequest) -> HttpResponse:
    status = _status(request, Notice.Status.values)
    now = timezone.now()
    rows = [(notice, notices.timer(notice.received_at, notice.due_at, now))
            for notice in notices.queue(moderated_site_ids(request.user), status)[:200]]
    return render(request, "dsa/notice_queue.html", {
        "section": "notices", "rows": rows, "status": status, "statuses": Notice.Status.choices,
        "categories": Category.choices, "grounds": Statement.Ground.choices,
    })


@require_POST
@moderator_required
def notice_decide(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = Notice.objects.select_related("site", "comment").filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No such notice.")
    check_site(request.user, notice.site_id)

    def run() -> str:
        post = request.POST
        notices.decide(notice, request.user, action=post.get("action", ""), reasons=post.get("reasons", ""),
                       ground=post.get("ground", "illegal"), legal_ground=post.get("legal_ground", ""),
                       category=post.get("category", ""))
        return f"Notice {notice.reference[:8]} decided; the notifier was informed."

    return _acted(request, reverse("dsa:notice-queue"), run)


@require_GET
@moderator_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    status = _status(request, Appeal.Status.values)
    now = timezone.now()
    rows = [(appeal, notices.timer(appeal.filed_at, appeal.due_at, now))
            for appeal in appeals.queue(moderated_site_ids(request.user), status)[:200]]
    return render(request, "dsa/appeal_queue.html", {
        "section": "appeals", "rows": rows, "status": status, "statuses": Appeal.Status.choices,
    })


@require_POST
@moderator_required
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = Appeal.objects.select_related("site", "statement", "notice").filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404("No such complaint.")
    check_site(request.user, appeal.site_id)

    def run() -> str:
        post = request.POST
        decided = appeals.decide(appeal, request.user, outcome=post.get("outcome", ""),
                                 reasons=post.get("reasons", ""), legal_ground=post.get("legal_ground", ""))
        return f"Complaint {decided.reference[:8]}: {decided.get_status_display().lower()}."

    return _acted(request, reverse("dsa:appeal-queue"), run)


# ---- transparency (site admins) -------------------------------------------------------------------

def is_site_admin(user: User, site: Site) -> bool:
    admin_role = SiteRole.objects.filter(user=user, site=site, role=SiteRole.Role.ADMIN)
    return user.is_superuser or admin_role.exists()


def _admin_site(request: HttpRequest) -> Site:
    slug = request.GET.get("site", "")
    sites = list(moderated_sites(request.user))
    site = next((s for s in sites if s.slug == slug), None) if slug else (sites[0] if sites else None)
    if site is None:
        raise Http404("No such site.")
    if not is_site_admin(request.user, site):
        raise PermissionDenied("Transparency reports are for the site's administrators.")
    return site


def _day(raw: str | None, *, end: bool = False) -> datetime | None:
    day = parse_date(raw or "")
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return moment + timedelta(days=1) if end else moment


def _report_request(request: HttpRequest) -> tuple[Site, dict[str, Any]]:
    site = _admin_site(request)
    return site, report.build(site, _day(request.GET.get("from")), _day(request.GET.get("to"), end=True))


@require_GET
@moderator_required
def transparency(request: HttpRequest) -> HttpResponse:
    site, figures = _report_request(request)
    query = request.GET.urlencode()
    return render(request, "dsa/transparency.html", {
        "section": "transparency", "site": site, "report": figures, "charts": charts.for_report(figures),
        "sites": [s for s in moderated_sites(request.user) if is_site_admin(request.user, s)],
        "query": query, "filters": request.GET,
        "report_json": json.dumps(figures, indent=2),
    })


@require_GET
@moderator_required
def transparency_data(request: HttpRequest, fmt: str) -> HttpResponse:
    site, figures = _report_request(request)
    if fmt == "csv":
        response = HttpResponse(report.as_csv(figures), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = JsonResponse(figures, json_dumps_params={"indent": 2})
    else:
        raise Http404("No such format.")
    response["Content-Disposition"] = f'attachment; filename="transparency-{site.slug}.{fmt}"'
    return response


@require_GET
@moderator_required
def statements_export(request: HttpRequest) -> JsonResponse:
    """The period's statements in the Transparency Database's layout, ready to submit."""
    site = _admin_site(request)
    found = Statement.objects.filter(site=site).select_related("site", "notice__trusted_flagger")
    start, end = _day(request.GET.get("from")), _day(request.GET.get("to"), end=True)
    found = found.filter(created_at__gte=start) if start else found
    found = found.filter(created_at__lt=end) if end else found
    response = JsonResponse({"statements": list(tdb.export(found.order_by("created_at", "pk")))},
                            json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="statements-{site.slug}.json"'
    return response
