"""Signed webhook deliveries with retries and exponential back-off.

Each POST carries `Agora-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
A receiver recomputes the HMAC over the raw body and rejects a timestamp outside its replay
window (see `verify_signature`, which receivers written in Python may copy).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from agora.infra import metrics
from agora.live.models import Webhook, WebhookDelivery

logger = logging.getLogger("agora.live.webhooks")

SIGNATURE_HEADER = "Agora-Signature"
REPLAY_WINDOW_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None,
                     tolerance: int = REPLAY_WINDOW_SECONDS) -> bool:
    """True when `header` signs `body` with `secret` and is at most `tolerance` seconds old."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


_WEBHOOKS_CACHE = "live:site-has-webhooks:{}"


def site_has_webhooks(site_id: int) -> bool:
    key = _WEBHOOKS_CACHE.format(site_id)
    found = cache.get(key)
    if found is None:
        found = Webhook.objects.filter(site_id=site_id, active=True).exists()
        cache.set(key, found, 60)
    return found


def forget_site_webhooks(site_id: int) -> None:
    cache.delete(_WEBHOOKS_CACHE.format(site_id))


def create_deliveries(site_id: int, event: str, payload: dict[str, Any],
                      webhooks: list[Webhook] | None = None) -> list[int]:
    """One delivery row per interested webhook of the site; returns their ids."""
    if webhooks is None:
        webhooks = list(Webhook.objects.filter(site_id=site_id, active=True))
    body = {"event": event, "created": timezone.now().isoformat(), "data": payload}
    return [WebhookDelivery.objects.create(webhook=hook, event=event, payload=body).pk
            for hook in webhooks if hook.wants(event) or event == "webhook.test"]


def retry_delay_seconds(attempts: int) -> float:
    """30 s, 1 min, 2 min, 4 min, ... (base doubled after each failed attempt)."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)


def attempt(delivery_id: int) -> float | None:
    """POST the delivery once. Returns the delay before the next attempt, or None when done."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return None
    body = orjson.dumps(delivery.payload)
    request = urllib.request.Request(delivery.webhook.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": "Agora-Webhooks/1",
        "Agora-Event": delivery.event,
        "Agora-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body, int(time.time())),
    })
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            delivery.response_status = response.status
        delivery.status, delivery.error = WebhookDelivery.Status.SUCCEEDED, ""
        delivery.delivered_at, delivery.next_attempt_at = timezone.now(), None
    except urllib.error.HTTPError as error:
        delivery.response_status, delivery.error = error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        delivery.response_status, delivery.error = None, str(error)[:1000]
    delay = None
    if delivery.status == WebhookDelivery.Status.PENDING:
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
            logger.warning("webhook delivery %s failed for good: %s", delivery.pk, delivery.error)
        else:
            delay = retry_delay_seconds(delivery.attempts)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    delivery.save()
    metrics.webhook_deliveries.labels(outcome=delivery.status).inc()
    return delay
