"""Atom feeds, health and readiness, Prometheus metrics, JSON logs, the replica router."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import orjson
import pytest
from django.test import Client

from agora.comments import services
from agora.comments.models import Comment
from agora.infra import metrics
from agora.infra.logs import JsonFormatter
from agora.infra.routers import ReplicaRouter
from agora.live.tokens import replies_feed_token

ATOM = "{http://www.w3.org/2005/Atom}"
ORIGIN = "https://news.example"


def atom_entries(response) -> tuple[ET.Element, list[ET.Element]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return feed, entries


@pytest.mark.django_db
def test_article_site_and_replies_feeds_list_approved_comments_only(site, article_url):
    actor = services.Actor(reader_id="reader-a")
    parent = services.post_comment(site=site, url=article_url, body="Hi <script>alert(1)</script>",
                                   actor=actor, author_name="Ana").comment
    reply = services.post_comment(site=site, url=article_url, body="A reply", parent_id=parent.pk,
                                  actor=services.Actor(reader_id="reader-b"), author_name="Ben").comment
    held = services.post_comment(site=site, url=article_url, body="held back", actor=actor,
                                 author_name="Ana").comment
    services.set_status(held, Comment.Status.PENDING)
    client = Client()

    _, entries = atom_entries(client.get(f"/feeds/articles/{parent.article_id}.atom"))
    assert len(entries) == 2
    assert b"held back" not in client.get(f"/feeds/articles/{parent.article_id}.atom").content
    site_feed = client.get(f"/feeds/sites/{site.slug}.atom").content.lower()
    assert b"<script" not in site_feed and b"&lt;script" not in site_feed, "user markup is sanitised"
    _, site_entries = atom_entries(client.get(f"/feeds/sites/{site.slug}.atom"))
    assert len(site_entries) == 2

    _, replies = atom_entries(client.get(f"/feeds/replies/{replies_feed_token(reader_id='reader-a')}.atom"))
    assert [e.find(f"{ATOM}id").text for e in replies] == [f"http://127.0.0.1:8000/c/{reply.pk}"]
    assert client.get("/feeds/replies/forged.atom").status_code == 404
    assert client.get("/feeds/articles/999999.atom").status_code == 404

    token = client.post("/api/v1/reader").json()["reader_token"]
    url = client.get("/api/v1/live/replies-feed", headers={"X-Agora-Reader": token}).json()["url"]
    assert client.get(url[url.index("/feeds/"):]).status_code == 200
    assert client.get("/api/v1/live/replies-feed").status_code == 403


@pytest.mark.django_db
def test_health_readiness_and_metrics():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}
    metrics.record_decision("pending", ["toxicity"])
    with metrics.model_latency.labels("test-model").time():
        pass
    text = client.get("/metrics").content.decode()
    assert 'agora_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "agora_http_request_duration_seconds_bucket" in text
    assert 'agora_moderation_decisions_total{rule="toxicity",status="pending"}' in text
    assert 'agora_model_latency_seconds_count{model="test-model"}' in text
    assert "agora_queue_depth" in text and "agora_live_streams" in text


@pytest.mark.django_db
def test_metrics_count_the_last_hour_of_moderation_decisions_by_rule(site, article_url):
    from agora.moderation.models import Decision

    comment = services.post_comment(site=site, url=article_url, body="Hello", author_name="Ana",
                                    actor=services.Actor(reader_id="r")).comment
    Decision.objects.all().delete()
    Decision.objects.create(comment=comment, status="pending",
                            reasons=[{"phase": "words", "rule": "banned_word", "message": "x"}])
    Decision.objects.create(comment=comment, status="approved", reasons=[])
    text = Client().get("/metrics").content.decode()
    assert 'agora_moderation_decisions_last_hour{rule="banned_word",status="pending"} 1.0' in text
    assert 'agora_moderation_decisions_last_hour{rule="none",status="approved"} 1.0' in text


@pytest.mark.django_db
def test_readiness_fails_when_the_configured_redis_is_unreachable(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("error")


def test_json_log_lines_carry_level_logger_message_and_extras():
    record = logging.LogRecord("agora.live", logging.WARNING, __file__, 1, "Redis is %s", ("down",), None)
    record.article = 7
    line = orjson.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "agora.live"
    assert line["message"] == "Redis is down" and line["article"] == 7 and line["time"].endswith("+00:00")


def test_replica_router_reads_from_replicas_and_writes_to_the_primary(settings):
    settings.DATABASES = {**settings.DATABASES, "replica1": settings.DATABASES["default"]}
    router = ReplicaRouter()
    assert router.db_for_read(Comment) == "replica1"
    assert router.db_for_write(Comment) == "default"
    assert router.allow_migrate("default", "comments") and not router.allow_migrate("replica1", "comments")


@pytest.mark.redis
@pytest.mark.django_db
def test_the_redis_cache_falls_back_to_process_memory_while_redis_is_down(
        site, article_url, settings, redis_url, caplog):
    from django.core.cache import cache


    settings.CACHES = {"default": {"BACKEND": "agora.infra.cache.ResilientRedisCache",
                                   "LOCATION": redis_url, "KEY_PREFIX": "t"}}
    cache.set("shared", 1)
    import redis

    assert redis.Redis.from_url(redis_url).exists(":1:".join(["t", "shared"])) == 1, "stored in Redis"

    settings.CACHES = {"default": {"BACKEND": "agora.infra.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    caplog.set_level(logging.WARNING, logger="agora.live")
    client = Client(headers={"Origin": ORIGIN})
    posted = client.post("/api/v1/comments", {"site": "chronicle", "url": article_url, "body": "Still up",
                                              "author_name": "Ana"}, content_type="application/json")
    assert posted.status_code == 201, posted.content
    thread = client.get("/api/v1/threads", {"site": "chronicle", "url": article_url})
    assert thread.status_code == 200 and thread.json()["comments"][0]["id"] == posted.json()["comment"]["id"]
    assert any("Redis is unreachable" in r.getMessage() for r in caplog.records)
