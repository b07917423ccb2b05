"""Server-Sent Events streams: catch-up from the log, then live events, with heartbeats."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator

from asgiref.sync import SyncToAsync, sync_to_async
from django.conf import settings
from django.http import StreamingHttpResponse

from agora.infra import metrics
from agora.live.events import history, order
from agora.live.hub import OVERFLOW, hub

RETRY_MILLISECONDS = 3000
RESET = b'event: thread.reset\ndata: {"reason": "missed events are no longer available"}\n\n'


def _release_request_thread() -> None:
    """Django runs a request's sync middleware on a thread reserved for the request until the
    response ends. A stream needs no thread once it is streaming, and a thread per open stream
    would cost a megabyte or more each: shut the idle executor down (a later sync call, such
    as the response's close(), gets a fresh one)."""
    context = SyncToAsync.thread_sensitive_context.get(None)
    if context is None or getattr(context, "_executor", None) is not None:
        return  # not Django's per-request context
    executor = SyncToAsync.context_to_thread_executor.pop(context, None)
    if executor is not None:
        executor.shutdown(wait=False)


async def event_stream(key: str, last_event_id: str = "") -> AsyncIterator[bytes]:
    """The bytes of one SSE stream. Subscribing before reading the log, then skipping what
    was already sent, gives each event exactly once across the catch-up boundary."""
    _release_request_thread()
    queue = hub.subscribe(key)
    metrics.live_streams.inc()
    try:
        if settings.REDIS_URL:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await hub.connected.wait()
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n".encode()
        sent = order(last_event_id) if last_event_id else (0, 0)
        if last_event_id:
            backlog = await sync_to_async(history, thread_sensitive=False)(key, last_event_id)
            if backlog is None:
                yield RESET
            if backlog:
                yield b"".join(event.encoded for event in backlog)
                sent = order(backlog[-1].id)
        heartbeat = settings.LIVE_HEARTBEAT_SECONDS
        loop = asyncio.get_running_loop()
        ends_at = loop.time() + settings.LIVE_MAX_STREAM_SECONDS * random.uniform(0.8, 1.0)
        while loop.time() < ends_at:
            try:
                async with asyncio.timeout(min(heartbeat, max(0.0, ends_at - loop.time()))):
                    event = await queue.get()
            except TimeoutError:
                yield b": heartbeat\n\n"
                continue
            # Send what else is already waiting in the same write: fewer wake-ups under load.
            batch = [event]
            while not queue.empty():
                batch.append(queue.get_nowait())
            chunk = []
            for event in batch:
                if event is OVERFLOW:
                    return
                if order(event.id) > sent:
                    chunk.append(event.encoded)
                    sent = order(event.id)
            if chunk:
                yield b"".join(chunk)
    finally:
        metrics.live_streams.dec()
        hub.unsubscribe(key, queue)


def sse_response(stream: AsyncIterator[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response
