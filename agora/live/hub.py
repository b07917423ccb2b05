"""Per-process fan-out of live events to open streams.

Each server process holds ONE Redis pub/sub subscription (when Redis is configured) and hands
every event to the asyncio queues of the streams that watch its key, so thousands of open
streams cost a queue each, not a Redis connection each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis.asyncio
from django.conf import settings

from agora.infra import redis_state
from agora.live.wire import CHANNEL, Event

logger = logging.getLogger("agora.live")

QUEUE_SIZE = 256
# Put in a stream's queue when it fell too far behind: the stream ends, the reader reconnects
# with Last-Event-ID and catches up from the log.
OVERFLOW = Event("", "", "overflow", "")


class Hub:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task | None = None
        self.connected = asyncio.Event()

    @property
    def stream_count(self) -> int:
        return sum(len(queues) for queues in self._queues.values())

    def subscribe(self, key: str) -> asyncio.Queue:
        self._bind_to_running_loop()
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues.setdefault(key, set()).add(queue)
        return queue

    def unsubscribe(self, key: str, queue: asyncio.Queue) -> None:
        queues = self._queues.get(key)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[key]

    def deliver(self, event: Event) -> None:
        for queue in self._queues.get(event.key, ()):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(OVERFLOW)

    def deliver_threadsafe(self, event: Event) -> None:
        """Deliver from any thread (request handlers run in worker threads)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.deliver(event)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self.deliver, event)

    def _bind_to_running_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is self._loop:
            return
        # A new event loop (a new server process or a test): start afresh.
        self._loop = loop
        self._queues = {}
        self.connected = asyncio.Event()
        url = settings.REDIS_URL
        self._listener = loop.create_task(self._listen(url)) if url else None

    async def _listen(self, url: str) -> None:
        """Relay the pub/sub channel to local streams; on failure, retry every few seconds."""
        while True:
            # No read timeout on the subscription itself (a quiet channel is not an error), but
            # subscribing must answer within one: a hung Redis is retried, not waited on forever.
            client = redis.asyncio.Redis.from_url(
                url, socket_connect_timeout=redis_state.CONNECT_TIMEOUT_SECONDS)
            try:
                async with client.pubsub() as pubsub:
                    await asyncio.wait_for(pubsub.subscribe(CHANNEL), redis_state.SOCKET_TIMEOUT_SECONDS)
                    self.connected.set()
                    redis_state.mark_up()
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self.deliver(Event.from_message(message["data"]))
            except asyncio.CancelledError:
                raise
            except redis_state.ERRORS as error:  # TimeoutError is an OSError
                self.connected.clear()
                redis_state.mark_down(error)
            except Exception:
                self.connected.clear()
                logger.exception("live updates: the Redis listener failed")
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(redis_state.RETRY_AFTER_SECONDS / 2)


hub = Hub()
