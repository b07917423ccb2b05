"""Readiness: the database answers and, when configured, Redis answers."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from agora.infra import redis_state


def readiness() -> dict[str, str]:
    """"ok" or "error: <type>" per dependency."""
    checks: dict[str, str] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means: not ready, and say which kind
        checks["database"] = f"error: {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            redis_state.ping(settings.REDIS_URL)
            checks["redis"] = "ok"
        except redis_state.ERRORS as error:
            checks["redis"] = f"error: {type(error).__name__}"
    return checks
