"""One Redis client per process, and the degraded mode used while Redis is unreachable.

When a Redis call fails, live updates fall back to this process alone (in-process log and
fan-out) and Redis is left alone for a few seconds, so requests never wait on a dead server.

This is a circuit breaker: every Redis client of the process (cache, rate limits, live events,
the task queue) has short socket timeouts, and the first failure opens the breaker for
RETRY_AFTER_SECONDS. Then ONE caller tries Redis again while the others keep the fallback (a
Redis that hangs costs one request one timeout per interval, not every request one each).
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache

import redis
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger("agora.live")

RETRY_AFTER_SECONDS = 5.0
# Socket timeouts of every Redis client: Redis answers in well under a millisecond when well.
CONNECT_TIMEOUT_SECONDS = 0.5
SOCKET_TIMEOUT_SECONDS = 1.0
TIMEOUTS = {"socket_connect_timeout": CONNECT_TIMEOUT_SECONDS, "socket_timeout": SOCKET_TIMEOUT_SECONDS}
_lock = threading.Lock()
_down_until = 0.0
_down_logged = False
_open = False  # the breaker tripped and no call succeeded since


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, health_check_interval=30, **TIMEOUTS)


def ping(url: str) -> None:
    """Raises one of ERRORS when Redis at `url` does not answer."""
    _client(url).ping()


def client() -> redis.Redis | None:
    """The Redis client, or None without Redis or while it is considered down."""
    url = settings.REDIS_URL
    if not url or is_down():
        return None
    return _client(url)


def mark_down(error: Exception) -> None:
    global _down_until, _down_logged, _open
    with _lock:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        _open = True
        if not _down_logged:
            _down_logged = True
            logger.warning("Redis is unreachable (%s): live updates, the cache and rate limits work "
                           "within this process only until it is back", error)


def mark_up() -> None:
    global _down_logged, _open
    if not _open and not _down_logged:
        return
    with _lock:
        _open = False
        if _down_logged:
            _down_logged = False
            logger.warning("Redis is reachable again: every process shares live updates and the cache")


def reset() -> None:
    """Forget the degraded state, e.g. when the Redis settings change."""
    global _down_until, _down_logged, _open
    with _lock:
        _down_until, _down_logged, _open = 0.0, False, False


@receiver(setting_changed)
def _redis_settings_changed(setting: str, **_: object) -> None:
    if setting in ("REDIS_URL", "CACHES"):
        reset()


def is_down() -> bool:
    """Whether to leave Redis alone now. Once the interval is over, the first caller is let
    through to try (the breaker stays open for the others until that try has had its timeout)."""
    global _down_until
    if not _open:
        return False
    now = time.monotonic()
    if now < _down_until:
        return True
    with _lock:
        if now < _down_until:
            return True
        _down_until = now + CONNECT_TIMEOUT_SECONDS + SOCKET_TIMEOUT_SECONDS
    return False


ERRORS = (redis.RedisError, OSError)
