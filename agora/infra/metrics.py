"""Prometheus metrics: requests, latencies, live streams, queue depths, moderation decisions.

Other parts of Agora record into these: the moderation pipeline calls `record_decision(...)`,
the toxicity model's caller wraps scoring in `model_latency.labels(model).time()`.

With several server processes, set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by
them (prometheus-client's multiprocess mode): `/metrics` then adds up every process.
Without it each process reports its own figures.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

requests_total = Counter("agora_http_requests_total", "HTTP requests answered",
                         ["method", "route", "status"])
request_seconds = Histogram("agora_http_request_duration_seconds",
                            "Time to the response headers", ["method", "route"],
                            buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
live_streams = Gauge("agora_live_streams", "Open live (SSE) streams",
                     multiprocess_mode="livesum")
moderation_decisions = Counter("agora_moderation_decisions_total",
                               "Moderation verdicts by status and by the rule behind them",
                               ["status", "rule"])
model_latency = Histogram("agora_model_latency_seconds", "Toxicity model scoring time", ["model"],
                          buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1))
tasks_total = Counter("agora_tasks_total", "Background jobs run", ["task", "outcome"])
webhook_deliveries = Counter("agora_webhook_deliveries_total", "Webhook delivery attempts",
                             ["outcome"])


def record_decision(status: str, rules: list[str] | tuple[str, ...] = ()) -> None:
    """Count one moderation verdict, once per rule behind it ("none" when no rule fired)."""
    for rule in rules or ("none",):
        moderation_decisions.labels(status=status, rule=rule).inc()


def render(queue_depths: dict[str, int] | None = None,
           recent_decisions: dict[tuple[str, str], int] | None = None) -> bytes:
    """The exposition text; the caller adds the figures read from the queue and the database
    (this module records, it does not look into the apps)."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    queue_registry = CollectorRegistry()
    depth = Gauge("agora_queue_depth", "Jobs waiting in the task queue", ["queue"],
                  registry=queue_registry)
    for queue, count in (queue_depths or {}).items():
        depth.labels(queue=queue).set(count)
    recent = Gauge("agora_moderation_decisions_last_hour", "Moderation decisions of the last hour",
                   ["status", "rule"], registry=queue_registry)
    for (status, rule), count in (recent_decisions or {}).items():
        recent.labels(status=status, rule=rule).set(count)
    return generate_latest(registry) + generate_latest(queue_registry)


def may_scrape(request: HttpRequest) -> bool:
    """`/metrics` answers scrapers from AGORA_METRICS_ALLOWED_NETWORKS (loopback by default) and
    anyone presenting `Authorization: Bearer <AGORA_METRICS_TOKEN>` when a token is set."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False)
            for entry in settings.METRICS_ALLOWED_NETWORKS if entry.strip()]


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "unmatched"


class MetricsMiddleware:
    """Counts requests and times them (to the headers: streams are long by design)."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        request_seconds.labels(request.method, route).observe(time.perf_counter() - started)
        requests_total.labels(request.method, route, str(response.status_code)).inc()
        return response
