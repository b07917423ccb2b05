"""Rate limits and short memories.

Limits are moving windows of the `limits` library: a limit of N per window never lets more than
N through in any window-long stretch of time (fixed windows let 2N through across an edge).
With AGORA_REDIS_URL they are kept in Redis, so every server process shares them; while Redis
is unreachable each process counts in its own memory. Repeat fingerprints and slow mode live in
Django's cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from functools import cache as once
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from limits import RateLimitItemPerSecond, storage, strategies

from agora.infra import redis_state

T = TypeVar("T")


def _safe(key: str) -> str:
    """Author keys and names may hold spaces or anything else: hash them into the cache key."""
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


class _InlineExpiryStorage(storage.MemoryStorage):
    """limits' memory storage, expiring old entries inline once a minute. The original starts a
    new 10 ms timer thread whenever the previous one ran out: under a flood, a thread per burst
    of hits (most of a refused request's cost). The moving window counts right without it:
    each check compares the entries' own times."""

    EXPIRE_EVERY_SECONDS = 60.0
    _next_expiry = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the hook limits calls on every hit
        now = time.monotonic()
        if now >= self._next_expiry:
            self._next_expiry = now + self.EXPIRE_EVERY_SECONDS
            self._MemoryStorage__expire_events()


@once
def _memory_limiter() -> strategies.MovingWindowRateLimiter:
    return strategies.MovingWindowRateLimiter(_InlineExpiryStorage())


@once
def _redis_limiter(url: str) -> strategies.MovingWindowRateLimiter:
    return strategies.MovingWindowRateLimiter(storage.RedisStorage(url, **redis_state.TIMEOUTS))


def _take(limiter: strategies.MovingWindowRateLimiter, item: RateLimitItemPerSecond, key: str) -> int:
    if limiter.hit(item, key):
        return 0
    reset_at = limiter.get_window_stats(item, key).reset_time
    return max(1, math.ceil(reset_at - time.time()))


def _with_limiter(action: Callable[[strategies.MovingWindowRateLimiter], T]) -> T:
    """Run `action` on the shared (Redis) limiter, or on this process's while Redis is down."""
    url = settings.REDIS_URL
    if url and not redis_state.is_down():
        try:
            done = action(_redis_limiter(url))
        except redis_state.ERRORS as error:
            redis_state.mark_down(error)
        else:
            redis_state.mark_up()
            return done
    return action(_memory_limiter())


def hit(key: str, limit: int, window_seconds: int) -> int:
    """Count one event against `limit` per moving window; 0 when it is allowed, else the seconds
    until it would be. A refused event is not counted."""
    item = RateLimitItemPerSecond(limit, max(1, window_seconds))
    return _with_limiter(lambda limiter: _take(limiter, item, _safe(key)))


def used(key: str, limit: int, window_seconds: int) -> int:
    """How many of `limit` per moving window `key` used (reads only)."""
    item = RateLimitItemPerSecond(limit, max(1, window_seconds))
    return limit - _with_limiter(lambda limiter: limiter.get_window_stats(item, _safe(key)).remaining)


def forget_all_in_memory() -> None:
    """Drop this process's in-memory counts (between tests)."""
    _memory_limiter().storage.reset()


def _texts_key(site_id: int, fingerprint: str) -> str:
    return f"moderation:text:{site_id}:{fingerprint}"


def seen_texts(site_id: int, fingerprint: str) -> list[tuple[str, int]]:
    """(author key, article id) of recent comments with this text fingerprint."""
    return [tuple(entry) for entry in cache.get(_texts_key(site_id, fingerprint), [])]


def remember_text(site_id: int, fingerprint: str, author_key: str, article_id: int,
                  ttl_seconds: int, keep: int = 20) -> None:
    key = _texts_key(site_id, fingerprint)
    entries = [*cache.get(key, []), (author_key, article_id)]
    cache.set(key, entries[-keep:], ttl_seconds)


def _slow_key(article_id: int, author_key: str) -> str:
    return f"moderation:slow:{article_id}:{_safe(author_key)}"


def slow_mode_wait(article_id: int, author_key: str) -> int:
    """Seconds the author must still wait before commenting again on the article (0: none)."""
    until = cache.get(_slow_key(article_id, author_key))
    if until is None:
        return 0
    return max(0, math.ceil(until - time.time()))


def start_slow_mode(article_id: int, author_key: str, seconds: int) -> None:
    cache.set(_slow_key(article_id, author_key), time.time() + seconds, seconds)
