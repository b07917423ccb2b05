"""Small helpers shared by the live tests: SSE parsing, free ports, local HTTP receivers."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from tests.servers import free_port  # noqa: F401  (re-exported for the live tests)


@dataclass
class SseEvent:
    id: str = ""
    name: str = "message"
    data: str = ""


def parse_sse(text: str) -> list[SseEvent]:
    """Events of a chunk of an SSE stream (comments and `retry:` lines skipped)."""
    events = []
    for block in text.split("\n\n"):
        event, seen = SseEvent(), False
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            if name == "id":
                event.id, seen = value, True
            elif name == "event":
                event.name, seen = value, True
            elif name == "data":
                event.data, seen = value, True
        if seen:
            events.append(event)
    return events


async def next_events(chunks: AsyncIterator[bytes], count: int, timeout: float = 2.0) -> list[SseEvent]:
    """Read the stream until `count` events arrived (heartbeats and comments ignored)."""
    found: list[SseEvent] = []
    async with asyncio.timeout(timeout):
        while len(found) < count:
            chunk = await anext(chunks)
            found.extend(parse_sse(chunk.decode()))
    return found


@dataclass
class Receiver:
    """A local HTTP server that records POSTs; answers with `statuses` in turn (then 200)."""

    statuses: list[int] = field(default_factory=list)
    # When set, each request waits until the test opens the gate (at most 30 s).
    gate: threading.Event | None = None
    requests: list[tuple[dict, bytes]] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.gate is not None:
                    receiver.gate.wait(30)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
