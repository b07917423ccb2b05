"""The ASGI application `agora serve` runs.

Django gives every request a thread of its own for the synchronous part (middleware, views,
the ORM), and with it a new database connection: under load, starting threads and opening
connections cost more than the request itself. Agora runs that part on a small pool of
long-lived threads instead, each keeping its database connection (CONN_MAX_AGE). A request
goes to the least busy thread; streams (Server-Sent Events) hold no thread while they wait.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
# `agora serve --max-header-bytes` (AGORA_MAX_HEADER_BYTES). The h11 parser already refuses
# header blocks that arrive over several reads beyond it; this refuses the rest exactly.
MAX_HEADER_BYTES = int(os.environ.get("AGORA_MAX_HEADER_BYTES", "32768"))
_TOO_LARGE = b"Request headers are larger than this server accepts.\n"


def request_threads() -> int:
    """SQLite lets one writer in at a time, so more threads per process only queue on its lock;
    PostgreSQL overlaps their waits."""
    configured = os.environ.get("AGORA_REQUEST_THREADS")
    if configured:
        return int(configured)
    from django.db import connection

    return 1 if connection.vendor == "sqlite" else 4


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        super().__init__()
        self._executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"agora-request-{n}")
                           for n in range(threads)]
        self._busy = [0] * threads

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Agora serves HTTP only, not {scope['type']}.")
        if sum(len(name) + len(value) + 4 for name, value in scope["headers"]) > MAX_HEADER_BYTES:
            await _refuse_headers(send)
            return
        slot = min(range(len(self._executors)), key=self._busy.__getitem__)
        self._busy[slot] += 1
        try:
            async with ThreadSensitiveContext(executor=self._executors[slot]):
                await self.handle(scope, receive, send)
        finally:
            self._busy[slot] -= 1


async def _refuse_headers(send) -> None:
    await send({"type": "http.response.start", "status": 431,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": _TOO_LARGE})


django.setup(set_prefix=False)
application = PooledThreadsASGIHandler(request_threads())
# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise show up as latency spikes.
gc.freeze()
