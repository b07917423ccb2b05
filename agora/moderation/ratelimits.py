"""Counters and short memories in Django's cache. With AGORA_REDIS_URL the cache is Redis, so
every server process shares them; `cache.add` + `cache.incr` keep the counting atomic."""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache


def _safe(key: str) -> str:
    """Author keys and names may hold spaces or anything else: hash them into the cache key."""
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def hit(key: str, window_seconds: int) -> tuple[int, int]:
    """Count one event in the current fixed window; returns (count so far, seconds left)."""
    now = time.time()
    bucket = int(now // window_seconds)
    counter = f"moderation:rate:{_safe(key)}:{bucket}"
    cache.add(counter, 0, window_seconds + 1)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.add(counter, 1, window_seconds + 1)
        count = 1
    return count, max(1, math.ceil((bucket + 1) * window_seconds - now))


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
