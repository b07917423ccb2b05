"""Settings of live updates, tasks, webhooks and notifications.

Each value comes from Django settings when set there (tests override them), else from the
`AGORA_*` configuration (environment or TOML), else the default given here.
"""

from __future__ import annotations

from django.conf import settings

from agora import config


def _setting(name: str, default: float | int | str | None, cast=int):
    if hasattr(settings, name):
        return getattr(settings, name)
    value = config.get(name.lower())
    return default if value is None else cast(value)


def redis_url() -> str | None:
    return getattr(settings, "REDIS_URL", None) or None


def log_size() -> int:
    """Events kept per thread for `Last-Event-ID` catch-up."""
    return _setting("LIVE_LOG_SIZE", 500)


def log_ttl_seconds() -> int:
    return _setting("LIVE_LOG_TTL_SECONDS", 2 * 24 * 3600)


def heartbeat_seconds() -> float:
    return _setting("LIVE_HEARTBEAT_SECONDS", 15.0, float)


def max_stream_seconds() -> float:
    """A stream ends after about this long and the browser reconnects with Last-Event-ID: it
    spreads readers over new servers after a scale-out and bounds a graceful shutdown."""
    return _setting("LIVE_MAX_STREAM_SECONDS", 300.0, float)


def idle_days() -> int:
    """Threads without a new comment for this many days stop streaming (0: never)."""
    return _setting("LIVE_IDLE_DAYS", 14)


def webhook_retry_base_seconds() -> float:
    return _setting("WEBHOOK_RETRY_BASE_SECONDS", 30.0, float)


def webhook_max_attempts() -> int:
    return _setting("WEBHOOK_MAX_ATTEMPTS", 6)


def webhook_timeout_seconds() -> float:
    return _setting("WEBHOOK_TIMEOUT_SECONDS", 5.0, float)


def task_heartbeat_timeout_ms() -> int:
    """A worker silent for this long is dead: its unacknowledged jobs go back to the queue."""
    return _setting("TASK_HEARTBEAT_TIMEOUT_MS", 60_000)


def moderator_digest_seconds() -> int:
    return _setting("MODERATOR_DIGEST_SECONDS", 600)


def task_maintenance_chance() -> int:
    """Out of a million queue commands, how many also requeue the jobs of dead workers."""
    return _setting("TASK_MAINTENANCE_CHANCE", 1000)
