"""Webhooks: signatures with a replay window, retries with back-off, the delivery log, and a
slow receiver that never slows posting."""

from __future__ import annotations

import time

import orjson
import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client

from agora.live import webhooks
from agora.live.models import Webhook, WebhookDelivery
from tests.live.helpers import Receiver

ORIGIN = "https://news.example"


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def test_signature_verifies_and_rejects_tampering_other_secrets_and_replays():
    body = b'{"event":"comment.created"}'
    now = int(time.time())
    header = webhooks.sign("s3cret", body, now)
    assert header.startswith(f"t={now},v1=")
    assert webhooks.verify_signature("s3cret", header, body)
    assert not webhooks.verify_signature("s3cret", header, body + b" ")
    assert not webhooks.verify_signature("other", header, body)
    assert not webhooks.verify_signature("s3cret", header, body, now=now + 301), "outside the window"
    assert not webhooks.verify_signature("s3cret", "garbage", body)


@pytest.mark.django_db
def test_failed_deliveries_retry_with_doubling_delays_then_succeed(site, receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    receiver.statuses = [500, 503]
    hook = Webhook.objects.create(site=site, url=receiver.url, events=["comment.created"])
    (delivery_id,) = webhooks.create_deliveries(site.pk, "comment.created", {"comment": {"id": 1}})
    assert webhooks.create_deliveries(site.pk, "comment.deleted", {}) == [], "not subscribed"

    delays = [webhooks.attempt(delivery_id) for _ in range(3)]
    assert delays == [10, 20, None]
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
    headers, body = receiver.requests[-1]
    assert headers["Agora-Event"] == "comment.created"
    assert webhooks.verify_signature(hook.secret, headers["Agora-Signature"], body)
    assert orjson.loads(body)["data"] == {"comment": {"id": 1}}


@pytest.mark.django_db
def test_a_receiver_that_never_answers_well_fails_after_the_last_attempt(site, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    Webhook.objects.create(site=site, url="http://127.0.0.1:9/unreachable")
    (delivery_id,) = webhooks.create_deliveries(site.pk, "comment.deleted", {})
    assert webhooks.attempt(delivery_id) is not None
    assert webhooks.attempt(delivery_id) is None
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == "failed" and delivery.error


@pytest.mark.django_db(transaction=True)
def test_slow_receivers_do_not_slow_posting_and_still_get_the_event(site, article_url, receiver):
    receiver.delay = 2.0
    Webhook.objects.create(site=site, url=receiver.url)
    webhooks.forget_site_webhooks(site.pk)
    client = Client(headers={"Origin": ORIGIN})
    started = time.perf_counter()
    response = client.post("/api/v1/comments", {"site": "chronicle", "url": article_url,
                                                "body": "Breaking", "author_name": "Ana"},
                           content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 201
    assert elapsed < 1.0, f"posting took {elapsed:.2f}s with a receiver that sleeps 2 s"
    delivery = wait_until_delivered()
    assert (delivery.event, delivery.status) == ("comment.created", "succeeded")
    assert delivery.payload["data"]["comment"]["body"] == "Breaking"


def wait_until_delivered(timeout: float = 10) -> WebhookDelivery:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not WebhookDelivery.objects.filter(status="succeeded").exists():
        time.sleep(0.1)
    return WebhookDelivery.objects.get()


@pytest.mark.django_db(transaction=True)
def test_admin_shows_the_delivery_log_and_sends_a_test_event(site, receiver, admin_client):
    hook = Webhook.objects.create(site=site, url=receiver.url, events=["comment.deleted"])
    assert Webhook in admin_site._registry and WebhookDelivery in admin_site._registry
    response = admin_client.post("/admin/live/webhook/", {"action": "send_test_event",
                                                          "_selected_action": [hook.pk]})
    assert response.status_code == 302
    delivery = wait_until_delivered()  # by the background jobs of this process
    assert (delivery.event, delivery.status) == ("webhook.test", "succeeded")
    assert receiver.requests[0][0]["Agora-Event"] == "webhook.test"
    assert admin_client.get("/admin/live/webhookdelivery/").status_code == 200
    assert admin_client.get(f"/admin/live/webhookdelivery/{delivery.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_adding_a_webhook_is_noticed_at_once_by_the_cached_check(site):
    assert not webhooks.site_has_webhooks(site.pk)
    hook = Webhook.objects.create(site=site, url="https://newsroom.example/hook")
    assert webhooks.site_has_webhooks(site.pk)
    hook.delete()
    assert not webhooks.site_has_webhooks(site.pk)
