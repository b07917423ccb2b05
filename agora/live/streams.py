"""Server-Sent Events streams: catch-up from the log, then live events, with heartbeats."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse

from agora.live import conf, metrics
from agora.live.events import history, order
from agora.live.hub import OVERFLOW, hub

RETRY_MILLISECONDS = 3000
RESET = b'event: thread.reset\ndata: {"reason": "missed events are no longer available"}\n\n'


async def event_stream(key: str, last_event_id: str = "") -> AsyncIterator[bytes]:
    """The bytes of one SSE stream. Subscribing before reading the log, then skipping what
    was already sent, gives each event exactly once across the catch-up boundary."""
    queue = hub.subscribe(key)
    metrics.live_streams.inc()
    try:
        if conf.redis_url():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await hub.connected.wait()
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n".encode()
        sent = order(last_event_id) if last_event_id else (0, 0)
        if last_event_id:
            backlog = await sync_to_async(history, thread_sensitive=False)(key, last_event_id)
            if backlog is None:
                yield RESET
            for event in backlog or ():
                yield event.encode()
                sent = order(event.id)
        heartbeat = conf.heartbeat_seconds()
        while True:
            try:
                async with asyncio.timeout(heartbeat):
                    event = await queue.get()
            except TimeoutError:
                yield b": heartbeat\n\n"
                continue
            if event is OVERFLOW:
                return
            if order(event.id) <= sent:
                continue
            yield event.encode()
            sent = order(event.id)
    finally:
        metrics.live_streams.dec()
        hub.unsubscribe(key, queue)


def sse_response(stream: AsyncIterator[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response
