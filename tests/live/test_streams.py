"""Live thread streams through Django's async test client: contract events, replay with
Last-Event-ID, heartbeats, idle threads, origins, moderators' stream, Redis and its absence."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import orjson
import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client
from django.utils import timezone

from agora.comments import services
from agora.comments.models import Article, Comment
from agora.live import events
from agora.live.events import LocalLog, order
from tests.live.helpers import next_events

ORIGIN = "https://news.example"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _quick_streams(settings):
    settings.LIVE_HEARTBEAT_SECONDS = 0.2
    settings.REDIS_URL = None


async def open_stream(url: str, last_event_id: str = "", **params):
    client = AsyncClient()
    headers = {"Origin": ORIGIN, **({"Last-Event-ID": last_event_id} if last_event_id else {})}
    response = await client.get("/live/threads", {"site": "chronicle", "url": url, **params},
                                headers=headers)
    return response


def post(url: str, body: str, **extra) -> dict:
    response = Client(headers={"Origin": ORIGIN}).post(
        "/api/v1/comments", {"site": "chronicle", "url": url, "body": body, "author_name": "Ana", **extra},
        content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_local_log_ids_are_monotonic_and_replay_skips_what_was_seen(settings):
    settings.LIVE_LOG_SIZE = 3
    log = LocalLog()
    first = [log.append("k", "comment.created", str(n)) for n in range(3)]
    assert [order(e.id) for e in first] == sorted(order(e.id) for e in first)
    assert len({e.id for e in first}) == 3
    assert [e.data for e in log.after("k", first[0].id)] == ["1", "2"]
    log.append("k", "comment.created", "3")  # the log holds 3: "0" goes, nothing after it
    assert [e.data for e in log.after("k", first[0].id)] == ["1", "2", "3"]
    log.append("k", "comment.created", "4")  # now "1" is gone: a replay after "0" would miss it
    assert log.after("k", first[0].id) is None
    assert log.after("k", "1-0") is None, "an id from before this process cannot be replayed"


def test_posting_streams_created_and_count_events_as_the_thread_api_serialises(site, article_url):
    async def scenario():
        response = await open_stream(article_url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["Access-Control-Allow-Origin"] == ORIGIN
        chunks = aiter(response.streaming_content)
        assert b"retry:" in await anext(chunks)
        posted = await sync_to_async(post)(article_url, "First!")
        created, count = await next_events(chunks, 2)
        await response.aclose() if hasattr(response, "aclose") else None
        return posted, created, count

    posted, created, count = asyncio.run(scenario())
    assert created.name == "comment.created" and created.id
    assert orjson.loads(created.data) == posted["comment"]
    assert count.name == "thread.count" and orjson.loads(count.data) == {"comment_count": 1}
    assert order(count.id) > order(created.id)


def test_votes_edits_deletes_and_held_comments(site, article_url):
    first = post(article_url, "A comment")
    comment = Comment.objects.get(pk=first["comment"]["id"])

    async def scenario():
        response = await open_stream(article_url)
        chunks = aiter(response.streaming_content)
        await anext(chunks)

        def changes():
            services.vote(comment, 1, services.Actor(reader_id="someone-else"))
            services.set_status(comment, Comment.Status.PENDING)  # held: leaves the public thread
            services.set_status(comment, Comment.Status.APPROVED)
        await sync_to_async(changes)()
        return await next_events(chunks, 5)

    received = asyncio.run(scenario())
    assert [e.name for e in received] == ["comment.votes", "comment.deleted", "thread.count",
                                          "comment.created", "thread.count"]
    assert orjson.loads(received[0].data)["upvotes"] == 1
    assert [orjson.loads(received[i].data)["comment_count"] for i in (2, 4)] == [0, 1]


def test_pending_comments_never_reach_the_public_stream(site, article_url):
    post(article_url, "visible")
    Comment.objects.update(status=Comment.Status.PENDING)
    article = Article.objects.get()

    async def scenario():
        response = await open_stream(article_url)
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        comment = await sync_to_async(Comment.objects.get)()
        await sync_to_async(services.set_status)(comment, Comment.Status.REJECTED)
        await sync_to_async(events.publish)(article, "thread.count", {"comment_count": 0})
        return await next_events(chunks, 1)

    (only,) = asyncio.run(scenario())
    assert only.name == "thread.count", "a pending comment turning rejected is no public event"


def test_reconnecting_with_last_event_id_replays_missed_events_once(site, article_url):
    article = services.register_article(site, article_url)
    sent = [events.publish(article, "comment.votes", {"n": n}) for n in range(4)]

    async def scenario():
        response = await open_stream(article_url, last_event_id=sent[1].id)
        chunks = aiter(response.streaming_content)
        replayed = await next_events(chunks, 2)
        live = await sync_to_async(events.publish)(article, "comment.votes", {"n": 4})
        return replayed, await next_events(chunks, 1), live

    replayed, (after,), live = asyncio.run(scenario())
    assert [orjson.loads(e.data)["n"] for e in replayed] == [2, 3]
    assert [e.id for e in replayed] == [sent[2].id, sent[3].id]
    assert after.id == live.id and orjson.loads(after.data)["n"] == 4


def test_an_id_older_than_the_log_asks_the_widget_to_reload(site, article_url):
    async def scenario():
        response = await open_stream(article_url, last_event_id="1-0")
        chunks = aiter(response.streaming_content)
        return await next_events(chunks, 1)

    (reset,) = asyncio.run(scenario())
    assert reset.name == "thread.reset"


def test_heartbeats_keep_an_idle_connection_alive(site, article_url):
    async def scenario():
        response = await open_stream(article_url)
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        async with asyncio.timeout(2):
            return await anext(chunks)

    assert asyncio.run(scenario()).startswith(b":")


def test_idle_threads_answer_204_and_bad_requests_answer_json(site, article_url, settings):
    settings.LIVE_IDLE_DAYS = 7
    article = services.register_article(site, article_url)
    Article.objects.filter(pk=article.pk).update(last_comment_at=timezone.now() - timedelta(days=8))

    async def statuses():
        idle = await open_stream(article_url)
        fresh = await open_stream("https://news.example/new-story")
        missing = await AsyncClient().get("/live/threads", {"site": "nope", "url": article_url},
                                          headers={"Origin": ORIGIN})
        foreign = await AsyncClient().get("/live/threads", {"site": "chronicle", "url": article_url},
                                          headers={"Origin": "https://evil.example"})
        bad_url = await open_stream("not a url")
        return idle, fresh, missing, foreign, bad_url

    idle, fresh, missing, foreign, bad_url = asyncio.run(statuses())
    assert idle.status_code == 204 and idle["X-Agora-Live"] == "idle"
    assert fresh.status_code == 200
    assert (missing.status_code, orjson.loads(missing.content)["code"]) == (404, "site_not_found")
    assert (foreign.status_code, orjson.loads(foreign.content)["code"]) == (403, "origin_not_allowed")
    assert bad_url.status_code == 422


def test_moderators_see_held_comments_live_and_others_are_refused(site, article_url, django_user_model):
    from agora.accounts.models import SiteRole

    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw-123456", is_staff=True)
    SiteRole.objects.create(user=moderator, site=site)
    django_user_model.objects.create_user("reader", "r@example.org", "pw-123456")
    first = post(article_url, "needs a look")

    async def scenario():
        outsider = AsyncClient()
        await sync_to_async(outsider.force_login)(await django_user_model.objects.aget(username="reader"))
        refused = await outsider.get("/live/moderation", {"site": "chronicle"})
        anonymous = await AsyncClient().get("/live/moderation", {"site": "chronicle"})
        client = AsyncClient()
        await sync_to_async(client.force_login)(moderator)
        response = await client.get("/live/moderation", {"site": "chronicle"})
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        comment = await Comment.objects.aget(pk=first["comment"]["id"])
        await sync_to_async(services.set_status)(comment, Comment.Status.PENDING)
        return refused, anonymous, await next_events(chunks, 1)

    refused, anonymous, (held,) = asyncio.run(scenario())
    assert refused.status_code == 403 and anonymous.status_code == 401
    assert held.name == "queue.held"
    assert orjson.loads(held.data)["id"] == first["comment"]["id"]


@pytest.mark.redis
def test_with_redis_events_go_through_pub_sub_and_the_log_survives_the_process(
        site, article_url, redis_url, settings):
    settings.REDIS_URL = redis_url
    article = services.register_article(site, article_url)

    async def scenario():
        response = await open_stream(article_url)
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        published = await sync_to_async(events.publish)(article, "comment.votes", {"n": 1})
        return published, await next_events(chunks, 1)

    published, (received,) = asyncio.run(scenario())
    assert received.id == published.id and "-" in published.id
    # Another process (or this one after a restart) replays from the Redis log.
    events.local_log = LocalLog()
    second = events.publish(article, "comment.votes", {"n": 2})
    replay = events.history(events.thread_key(site.pk, article.url), published.id)
    assert [e.id for e in replay] == [second.id]


@pytest.mark.redis
def test_redis_going_away_degrades_to_this_process_with_a_warning(site, article_url, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    article = services.register_article(site, article_url)
    caplog.set_level(logging.WARNING, logger="agora.live")

    async def scenario():
        response = await open_stream(article_url)
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        published = await sync_to_async(events.publish)(article, "comment.votes", {"n": 1})
        return response.status_code, published, await next_events(chunks, 1)

    status, published, (received,) = asyncio.run(scenario())
    assert status == 200 and received.id == published.id
    assert any("Redis is unreachable" in record.getMessage() for record in caplog.records)
    assert Client(headers={"Origin": ORIGIN}).post(
        "/api/v1/comments", {"site": "chronicle", "url": article_url, "body": "still works",
                             "author_name": "Ana"}, content_type="application/json").status_code == 201


def test_streams_end_after_their_maximum_lifetime_so_readers_spread_over_servers(
        site, article_url, settings):
    settings.LIVE_MAX_STREAM_SECONDS = 0.3

    async def scenario():
        response = await open_stream(article_url)
        chunks = []
        async with asyncio.timeout(3):
            async for chunk in response.streaming_content:
                chunks.append(chunk)
        return chunks

    chunks = asyncio.run(scenario())
    assert chunks[0].startswith(b"retry:"), "the browser reconnects after the stream ends"


@pytest.mark.redis
def test_the_redis_log_is_bounded_and_an_id_before_it_resets(site, article_url, redis_url, settings):
    settings.REDIS_URL = redis_url
    settings.LIVE_LOG_SIZE = 5
    article = services.register_article(site, article_url)
    key = events.thread_key(site.pk, article.url)
    sent = [events.publish(article, "comment.votes", {"n": n}) for n in range(300)]
    kept = events.history(key, sent[-3].id)
    assert [e.id for e in kept] == [e.id for e in sent[-2:]]
    assert events.history(key, sent[0].id) is None, "events after it were trimmed away"


def test_a_comment_held_at_posting_reaches_moderators_only(site, article_url, django_user_model):
    moderator = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-123456")
    article = services.register_article(site, article_url)
    Article.objects.filter(pk=article.pk).update(premoderate=True)

    async def scenario():
        public = await open_stream(article_url)
        public_chunks = aiter(public.streaming_content)
        await anext(public_chunks)
        client = AsyncClient()
        await sync_to_async(client.force_login)(moderator)
        queue = aiter((await client.get("/live/moderation", {"site": "chronicle"})).streaming_content)
        await anext(queue)
        posted = await sync_to_async(post)(article_url, "Please check me")
        held = await next_events(queue, 1)
        with pytest.raises(TimeoutError):
            await next_events(public_chunks, 1, timeout=0.6)
        return posted, held

    posted, (held,) = asyncio.run(scenario())
    assert posted["result"] == "pending"
    assert held.name == "queue.held"
    assert orjson.loads(held.data)["article"]["url"] == article_url
