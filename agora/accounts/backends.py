"""Authentication for every login form (admin, moderation workspace) and the login API."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from agora.accounts import throttle
from agora.errors import RateLimited


def client_ip(request: HttpRequest | None) -> str:
    """The address `agora.http.ClientAddressMiddleware` settled on ("" without a request)."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the per-account and per-address failure limits.

    Accepts the username or, for local accounts, the e-mail address (their username).
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs):
        username = (username or kwargs.get("email") or "").strip()
        if "@" in username:
            username = username.lower()
        ip = client_ip(request)
        try:
            throttle.check_login_allowed(username, ip)
        except RateLimited:
            if request is not None:
                request.agora_login_locked = True
            raise PermissionDenied from None  # stops Django trying other backends
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            throttle.record_login_failure(username, ip)
        else:
            throttle.clear_account_failures(username)
        return user
