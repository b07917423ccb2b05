"""Django's Redis cache, degrading to a per-process memory cache while Redis is unreachable.

Thread pages, rate-limit counters and site lookups live in the cache. If Redis goes away,
requests keep working on this process's own memory (limits then count per process) and one
warning is logged; Redis is tried again after a few seconds.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from agora.infra import redis_state


def _resilient(name: str):
    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        if not redis_state.is_down():
            try:
                found = getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
            except redis_state.ERRORS as error:
                redis_state.mark_down(error)
            else:
                redis_state.mark_up()
                return found
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {**redis_state.TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 5000},
                                                           "KEY_PREFIX": params.get("KEY_PREFIX", "")})

    add = _resilient("add")
    get = _resilient("get")
    set = _resilient("set")
    touch = _resilient("touch")
    delete = _resilient("delete")
    get_many = _resilient("get_many")
    has_key = _resilient("has_key")
    incr = _resilient("incr")
    set_many = _resilient("set_many")
    delete_many = _resilient("delete_many")
    clear = _resilient("clear")
