"""A Redis that accepts connections but never answers must not take the server down: `agora
serve` behind a TCP proxy to Redis that falls silent keeps answering posts and cached reads
(degraded to this process), stores each comment exactly once, and is whole again once Redis
answers again.

Each request must answer within the client's timeout, far above the degraded path (about one
socket timeout, 1 s) and far below the time a request without timeouts waits (forever)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.servers import agora_env, agora_serve, free_port, run_agora
from tests.tcpproxy import SilentProxy

pytestmark = pytest.mark.redis
ORIGIN = "https://news.example"
ARTICLE = "https://news.example/2026/sick-redis"
CLIENT_TIMEOUT = 20.0


@pytest.fixture
def server(redis_url, tmp_path) -> Iterator[tuple[str, SilentProxy]]:
    redis = urlsplit(redis_url)
    proxy = SilentProxy(redis.hostname, redis.port or 6379).start()
    port = free_port()
    env = agora_env(tmp_path, port, "sick-redis-test")
    env["AGORA_REDIS_URL"] = f"redis://127.0.0.1:{proxy.port}{redis.path}"
    run_agora(env, "migrate", "-v", "0")
    run_agora(env, "shell", "-c", "from agora.comments.models import Site\n"
              f"Site.objects.create(slug='chronicle', name='The Chronicle', allowed_origins=['{ORIGIN}'])")
    try:
        with agora_serve(env, port) as base:
            yield base, proxy
    finally:
        proxy.stop()


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Origin": ORIGIN}, timeout=CLIENT_TIMEOUT)


def _post(client: httpx.Client, text: str, parent: int | None = None) -> httpx.Response:
    token = client.post("/api/v1/reader").json()["reader_token"]
    return client.post("/api/v1/comments", headers={"X-Agora-Reader": token},
                       json={"site": "chronicle", "url": ARTICLE, "body": text, "author_name": "Ana",
                             "parent": parent})


def _thread(client: httpx.Client, full: bool = False) -> dict:
    response = client.get("/api/v1/threads", params={"site": "chronicle", "url": ARTICLE,
                                                     "full": str(full).lower()})
    assert response.status_code == 200, response.text
    return response.json()


def test_posts_and_reads_keep_answering_while_redis_is_silent(server):
    base, proxy = server
    with _client(base) as client:
        first = _post(client, "Written while Redis is well.")
        assert first.status_code == 201, first.text
        parent = first.json()["comment"]["id"]
        assert len(_thread(client)["comments"]) == 1
        proxy.silent = True
        results = []
        for n in range(6):
            # Approved replies (a reply notification job) and held comments (the moderators'
            # digest job) are what queue background work after the commit.
            text = f"Reply number {n} while Redis hangs." if n % 2 else f"See https://elsewhere.example/{n}"
            response = _post(client, text, parent)
            assert response.status_code == 201, response.text
            results.append(response.json()["result"])
            _thread(client)  # a read served from this process's own cache meanwhile
        proxy.silent = False
        assert _post(client, "Written once Redis answers again.").status_code == 201
        shown = [comment["id"] for comment in _thread(client, full=True)["comments"]]
    assert results == ["pending", "approved"] * 3
    assert len(shown) == len(set(shown)) == 1 + 3 + 1  # the held ones wait for a moderator
