"""Shared fixtures. Services (PostgreSQL, Redis, Chromium) are optional on a laptop and
mandatory in CI: with CI=true a missing service fails the run instead of skipping."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("AGORA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get("AGORA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("AGORA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def require_service(available: bool, what: str) -> None:
    """Skip with a clear message on a machine without the service; fail in CI."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI (CI=true) but is not available", pytrace=False)
    pytest.skip(f"{what} is not available on this machine")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    require_service(port_open("127.0.0.1", 6379), "Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require_service(os.path.exists(CHROMIUM), f"Chromium ({CHROMIUM})")
    return CHROMIUM


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """SQLite tests use a database file rather than memory, so that the live server's request
    threads open connections of their own (an in-memory database shares one connection across
    threads, which Django's threaded test server then closes from the wrong thread)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Jobs a test queued run on this process's background threads: let them finish before the
    test's database is flushed, or they would deadlock with the flush or write into the next test."""
    from asgiref.sync import SyncToAsync
    from django.db import connections

    from agora.infra import queue

    queue.drain_local_jobs(timeout_seconds=3)
    # Async code outside a request (streams under asyncio.run) reaches the ORM on asgiref's one
    # shared thread, whose connection would otherwise keep the test database from being dropped.
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()
    return (yield)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from agora.moderation import ratelimits

    cache.clear()
    ratelimits.forget_all_in_memory()
    yield


@pytest.fixture
def site(db):
    from agora.comments.models import Site

    return Site.objects.create(slug="chronicle", name="The Chronicle",
                               allowed_origins=["https://news.example"])


@pytest.fixture
def article_url() -> str:
    return "https://news.example/2026/harbour-bridge"
