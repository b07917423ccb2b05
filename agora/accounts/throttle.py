"""Login brute-force protection (failures counted per account and per client address), and a
cap on the account mails one address receives, so nobody can flood a stranger's inbox.

Counters live in Django's cache, so with AGORA_REDIS_URL they are shared by all processes.
A locked account or address is refused before the password is even checked (no timing oracle,
no extra hashing work for the attacker to cause).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from agora.errors import RateLimited


def _key(kind: str, value: str) -> str:
    return f"login-failures:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> None:
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def check_login_allowed(identifier: str, ip: str) -> None:
    minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
    if identifier and _count(_key("account", identifier)) >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        raise RateLimited(f"Too many failed logins for this account: try again in {minutes} minutes "
                          "or reset your password.", code="login_locked")
    if ip and _count(_key("address", ip)) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        raise RateLimited(f"Too many failed logins from your address: try again in {minutes} minutes.",
                          code="login_locked")


def record_login_failure(identifier: str, ip: str) -> None:
    if identifier:
        _bump(_key("account", identifier))
    if ip:
        _bump(_key("address", ip))


def clear_account_failures(identifier: str) -> None:
    cache.delete(_key("account", identifier))


ACCOUNT_MAILS_PER_HOUR = 3


def allow_account_mail(address: str) -> bool:
    """Count one verification or reset mail to `address`; False once the hourly cap is reached."""
    key = "account-mails:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()[:40]
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= ACCOUNT_MAILS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return True
