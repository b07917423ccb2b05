"""One Redis client per process, and the degraded mode used while Redis is unreachable.

When a Redis call fails, live updates fall back to this process alone (in-process log and
fan-out) and Redis is left alone for a few seconds, so requests never wait on a dead server.
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
_lock = threading.Lock()
_down_until = 0.0
_down_logged = False


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=0.5,
                                health_check_interval=30)


def ping(url: str) -> None:
    """Raises one of ERRORS when Redis at `url` does not answer."""
    _client(url).ping()


def client() -> redis.Redis | None:
    """The Redis client, or None without Redis or while it is considered down."""
    url = settings.REDIS_URL
    if not url or time.monotonic() < _down_until:
        return None
    return _client(url)


def mark_down(error: Exception) -> None:
    global _down_until, _down_logged
    with _lock:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        if not _down_logged:
            _down_logged = True
            logger.warning("Redis is unreachable (%s): live updates, the cache and rate limits work "
                           "within this process only until it is back", error)


def mark_up() -> None:
    global _down_logged
    with _lock:
        if _down_logged:
            _down_logged = False
            logger.warning("Redis is reachable again: every process shares live updates and the cache")


def reset() -> None:
    """Forget the degraded state, e.g. when the Redis settings change."""
    global _down_until, _down_logged
    with _lock:
        _down_until, _down_logged = 0.0, False


@receiver(setting_changed)
def _redis_settings_changed(setting: str, **_: object) -> None:
    if setting in ("REDIS_URL", "CACHES"):
        reset()


def is_down() -> bool:
    return time.monotonic() < _down_until


ERRORS = (redis.RedisError, OSError)
