"""Rate limits: moving windows (no edge lets twice the limit through), decided before any other
work, counting edits like posts, shared through Redis. The clock is the test's (time-machine),
never the wall clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from agora import identity
from agora.comments.models import Article
from agora.moderation import ratelimits
from agora.moderation.verdicts import Refusal
from tests.api_client import post, reader_token
from tests.moderation.conftest import post_direct

pytestmark = pytest.mark.django_db
# One second before a minute turns: a fixed one-minute window ends a second from now.
BEFORE_THE_MINUTE = datetime(2026, 3, 2, 9, 14, 59, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(BEFORE_THE_MINUTE, tick=False) as traveller:
        yield traveller


def edit(client: Client, comment_id: int, body: str, token: str) -> int:
    return client.patch(f"/api/v1/comments/{comment_id}", {"body": body}, content_type="application/json",
                        HTTP_X_AGORA_READER=token).status_code


def test_no_window_edge_lets_more_than_the_limit_through(site, article_url, without_model, clock):
    without_model.rate_limit_per_author = 15
    without_model.save()
    for n in range(15):
        post_direct(site, article_url, f"Comment number {n} before the minute turns.")
    clock.shift(2)  # a new fixed window would start here and let 15 more through
    with pytest.raises(Refusal) as limited:
        post_direct(site, article_url, "Just after the minute turned.")
    assert "Try again in 58 seconds" in limited.value.message
    clock.shift(59)  # a whole window after the first comment
    assert post_direct(site, article_url, "A minute after the first one.").comment is not None


def test_a_refused_flood_costs_no_query_and_comes_before_the_name_check(
        site, client, article_url, without_model, clock, django_assert_num_queries):
    without_model.rate_limit_per_author = 2
    without_model.save()
    token = reader_token(client)
    for n in range(2):
        assert post(client, article_url, f"Comment {n}.", token)["status"] == 201
    payload = {"site": "chronicle", "url": article_url, "body": "x", "author_name": "   "}
    with django_assert_num_queries(0):
        response = client.post("/api/v1/comments", payload, content_type="application/json",
                               HTTP_X_AGORA_READER=token)
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")


def test_edits_count_against_the_rate_limit(site, client, article_url, without_model, clock):
    without_model.rate_limit_per_author = 5
    without_model.save()
    token = reader_token(client)
    comment_id = post(client, article_url, "The first version.", token)["comment"]["id"]
    statuses = [edit(client, comment_id, f"Version {n}.", token) for n in range(40)]
    assert statuses[:4] == [201] * 4 and set(statuses[4:]) == {429}, statuses


def test_edits_count_against_slow_mode(site, client, article_url, without_model, clock):
    Article.objects.create(site=site, url=article_url, slow_mode_seconds=120)
    token = reader_token(client)
    comment_id = post(client, article_url, "Slow thread, first version.", token)["comment"]["id"]
    assert edit(client, comment_id, "Rewritten at once.", token) == 429
    clock.shift(121)
    assert edit(client, comment_id, "Rewritten after the interval.", token) == 201
    assert edit(client, comment_id, "And at once again.", token) == 429


def test_limits_are_shared_by_processes_through_redis(redis_url, settings, clock):
    settings.REDIS_URL = redis_url
    key = "post:1:net:203.0.113.0/24"
    assert [ratelimits.hit(key, 3, 60) for _ in range(2)] == [0, 0]
    ratelimits._redis_limiter.cache_clear()  # another server process: its own connection
    assert ratelimits.hit(key, 3, 60) == 0
    assert ratelimits.hit(key, 3, 60) == 60
    ratelimits.forget_all_in_memory()  # nothing of it was counted in this process's memory
    assert ratelimits.used(key, 3, 60) == 3


def test_concurrent_hits_through_redis_allow_exactly_the_limit(redis_url, settings):
    settings.REDIS_URL = redis_url
    allowed: list[bool] = []

    def hammer() -> None:
        for _ in range(25):
            allowed.append(ratelimits.hit("post:1:author:reader:x", 50, 3600) == 0)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(allowed), allowed.count(True)) == (100, 50)


def test_loopback_counts_when_a_proxy_is_configured_or_asked_for(settings):
    assert identity.network_of("127.0.0.1") == ""
    settings.TRUSTED_PROXY_HOPS = 1
    assert identity.network_of("127.0.0.1") == "127.0.0.0/24"
    settings.TRUSTED_PROXY_HOPS = 0
    settings.RATE_LIMIT_LOOPBACK = True
    assert identity.network_of("::1") == "::/48"
