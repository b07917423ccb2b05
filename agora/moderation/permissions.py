"""Who may use the moderation workspace, and on which sites.

A moderator acts only on the sites where they hold a `SiteRole`; superusers act on every site.
Everything else (commenters, anonymous visitors) never reaches a workspace page. Objects of a
site the moderator does not hold are reported as missing (404), so their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from agora.accounts.models import User, sites_moderated_by
from agora.comments.models import Article, Comment, Site
from agora.errors import AgoraError

_CACHE_ATTR = "_agora_moderated_site_ids"


def moderated_site_ids(user: User) -> frozenset[int]:
    """Ids of the sites `user` moderates, computed once per user object (one query)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(sites_moderated_by(user).values_list("pk", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def moderated_sites(user: User) -> QuerySet[Site]:
    return Site.objects.filter(pk__in=moderated_site_ids(user)).order_by("name")


def is_moderator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or moderated_site_ids(user)))


def can_moderate(user: User, site_id: int) -> bool:
    return site_id in moderated_site_ids(user)


def check_site(user: User, site_id: int) -> None:
    """Raise 404 unless `user` moderates the site: callers use it on every object they touch."""
    if not can_moderate(user, site_id):
        raise Http404("No such object.")


def comment_for(user: User, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("article", "site").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    check_site(user, comment.site_id)
    return comment


def article_for(user: User, article_id: int) -> Article:
    article = Article.objects.select_related("site").filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    check_site(user, article.site_id)
    return article


def site_for(user: User, slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise Http404("No such site.")
    check_site(user, site.pk)
    return site


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; signed-in users without a role get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Moderators only.")
        try:
            return view(request, *args, **kwargs)
        except AgoraError as error:  # a bad query value (actions answer their own errors)
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse(error.as_dict(), status=error.status)
            return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")

    return wrapper
