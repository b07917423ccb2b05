"""Live events: what changed in a thread (or a moderation queue), for every open stream.

`publish(article, event_name, payload)` stores the event in a bounded per-thread log and fans it
out to every stream of that thread on every server process:

- with Redis (`AGORA_REDIS_URL`), one Lua call appends to a Redis stream (ids `ms-seq`, monotonic)
  and publishes on one pub/sub channel, which each process subscribes to once (`hub.py`);
- without Redis (or while it is down), an in-process ring buffer and in-process fan-out.

A reconnecting reader sends `Last-Event-ID` and gets the log entries after it (`history`).
This transport knows keys, names and JSON payloads, nothing of comments: `live.reactions`
turns the comments app's signals (sent once a change is committed) into events.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict, deque
from functools import cache
from typing import Any

import orjson
from django.conf import settings

from agora.infra import redis_state
from agora.live.hub import hub
from agora.live.wire import CHANNEL, Event, order

__all__ = ["THREAD_EVENTS", "Event", "LocalLog", "history", "moderation_key", "order", "publish",
           "publish_to", "thread_key"]

_STREAM_PREFIX = "agora:live:log:"

THREAD_EVENTS = ("comment.created", "comment.updated", "comment.deleted", "comment.votes",
                 "thread.count")


def thread_key(site_id: int, url: str) -> str:
    return f"thread:{site_id}:{hashlib.sha1(url.encode()).hexdigest()[:20]}"


def moderation_key(site_id: int) -> str:
    return f"moderation:{site_id}"


# ---- the in-process log ----------------------------------------------------------------------

class LocalLog:
    """Bounded event logs of recently active streams, with monotonic ids, for one process."""

    MAX_KEYS = 20_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._logs: OrderedDict[str, deque[Event]] = OrderedDict()
        self._dropped: dict[str, str] = {}  # per key, the newest id no longer in its log
        self._last = (0, 0)
        # Events older than this process were in another process's memory: lost on restart.
        self._born = f"{int(time.time() * 1000)}-0"

    def append(self, key: str, name: str, data: str) -> Event:
        with self._lock:
            millis = int(time.time() * 1000)
            self._last = (millis, 0) if millis > self._last[0] else (self._last[0], self._last[1] + 1)
            event = Event(key, f"{self._last[0]}-{self._last[1]}", name, data)
            log = self._logs.get(key)
            if log is None:
                log = self._logs[key] = deque(maxlen=settings.LIVE_LOG_SIZE)
                while len(self._logs) > self.MAX_KEYS:
                    self._dropped.pop(self._logs.popitem(last=False)[0], None)
            self._logs.move_to_end(key)
            if len(log) == log.maxlen:
                self._dropped[key] = log[0].id
            log.append(event)
            return event

    def after(self, key: str, last_id: str) -> list[Event] | None:
        with self._lock:
            log = list(self._logs.get(key, ()))
            dropped = self._dropped.get(key, self._born)
        return _entries_after(log, last_id, dropped)


def _entries_after(log: list[Event], last_id: str, dropped: str) -> list[Event] | None:
    """Entries newer than `last_id`, or None when some of them were dropped from the log."""
    last = order(last_id)
    if last < order(dropped):
        return None
    return [event for event in log if order(event.id) > last]


local_log = LocalLog()

# ---- Redis -----------------------------------------------------------------------------------

_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[5], cjson.encode({key=ARGV[6], id=id, event=ARGV[2], data=ARGV[3]}))
return id
"""


@cache
def _publish_script(client):
    return client.register_script(_PUBLISH)


def _redis_publish(client, key: str, name: str, data: str) -> Event:
    ttl_ms = settings.LIVE_LOG_TTL_SECONDS * 1000
    event_id = _publish_script(client)(keys=[_STREAM_PREFIX + key],
                                       args=[settings.LIVE_LOG_SIZE, name, data, ttl_ms, CHANNEL, key])
    return Event(key, event_id.decode() if isinstance(event_id, bytes) else event_id, name, data)


def _redis_after(client, key: str, last_id: str) -> list[Event] | None:
    stream = _STREAM_PREFIX + key
    if not client.exists(stream):
        return None  # never written, or expired: what came after `last_id` is unknown
    info = client.xinfo_stream(stream)
    first_entry = info.get("first-entry")
    first_id = first_entry[0].decode() if first_entry else "0-0"
    # Trimming leaves no trace but the count (Redis 7: entries-added); before the oldest kept
    # entry, events may be missing only if some were trimmed.
    added = info.get("entries-added")
    trimmed = added > info["length"] if added is not None else info["length"] >= settings.LIVE_LOG_SIZE
    if trimmed and order(last_id) < order(first_id):
        return None
    millis, sequence = order(last_id)
    entries = client.xrange(stream, f"({millis}-{sequence}", "+")
    return [Event(key, entry_id.decode(), fields[b"event"].decode(), fields[b"data"].decode())
            for entry_id, fields in entries]


# ---- the public functions --------------------------------------------------------------------

def publish_to(key: str, event_name: str, payload: Any) -> Event:
    data = orjson.dumps(payload).decode()
    client = redis_state.client()
    if client is not None:
        try:
            event = _redis_publish(client, key, event_name, data)
            redis_state.mark_up()
            return event
        except redis_state.ERRORS as error:
            redis_state.mark_down(error)
    event = local_log.append(key, event_name, data)
    hub.deliver_threadsafe(event)
    return event


def publish(article, event_name: str, payload: Any) -> Event:
    """Send an event to every open stream of the article's thread."""
    return publish_to(thread_key(article.site_id, article.url), event_name, payload)


def history(key: str, last_id: str) -> list[Event] | None:
    """Events after `last_id`, oldest first; None when the log no longer reaches back that far
    (the stream then tells the reader to reload the thread)."""
    client = redis_state.client()
    if client is not None:
        try:
            return _redis_after(client, key, last_id)
        except redis_state.ERRORS as error:
            redis_state.mark_down(error)
    return local_log.after(key, last_id)
