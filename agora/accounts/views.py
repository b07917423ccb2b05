"""Agora's own account pages: login for the moderation workspace, e-mail links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from agora.accounts import services
from agora.errors import AgoraError


class LoginView(auth_views.LoginView):
    """Django's login: rotates the session key (no fixation) and follows `next` only to this
    host (url_has_allowed_host_and_scheme), behind the brute-force limits of the backend."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "agora_login_locked", False):
            response.context_data["locked"] = True
            response.status_code = 429
        return response

    def get_default_redirect_url(self) -> str:
        return "/moderate/"


class LogoutView(auth_views.LogoutView):
    next_page = "/"


def _message(request: HttpRequest, heading: str, message: str, status: int = 200) -> HttpResponse:
    return render(request, "accounts/message.html",
                  {"heading": heading, "message": message, "error": status >= 400}, status=status)


@never_cache
@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.verify_email(token)
    except AgoraError as error:
        return _message(request, _("E-mail not confirmed"), error.message, error.status)
    return _message(request, _("E-mail confirmed"),
                    _("Thank you, %(name)s: you can close this page and comment.")
                    % {"name": user.public_name()})


@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        services.user_for_reset(uid, token)
        if request.method == "POST":
            services.reset_password(uid, token, request.POST.get("password", ""))
            return _message(request, _("Password changed"), _("Log in with your new password."))
    except AgoraError as error:
        if error.code == "bad_link":
            return _message(request, _("Link not valid"), error.message, error.status)
        return render(request, "accounts/reset.html", {"error": error.message}, status=error.status)
    return render(request, "accounts/reset.html", {"site_url": settings.PUBLIC_URL})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch of Agora's pages: saved on the account when signed in (pages and
    e-mails follow it everywhere), and in Django's language cookie either way."""
    if request.user.is_authenticated:
        try:
            services.set_language(request.user, request.POST.get("language", ""))
        except AgoraError as error:
            return _message(request, _("Language not changed"), error.message, error.status)
    # Django's view sets the cookie and follows `next` only to this host.
    return django_set_language(request)
