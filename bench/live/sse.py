"""SSE benchmark: N concurrent live streams held by ONE `agora serve --workers 1` process.

    python bench/live/sse.py [--connections 2000] [--events 5] [--redis redis://127.0.0.1:6379/13]

Starts the server on a fresh SQLite database in a temporary directory, opens N streams on one
thread with raw asyncio sockets (one client process), then posts comments through the API and
measures when each stream received the `comment.created` event. Prints the server's RSS with
the streams open and the delivery latency percentiles (from the start of the POST).
Targets: ≤ 500 MB RSS for 2,000 streams; p99 delivery ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

AGORA = str(Path(sys.executable).with_name("agora"))
ORIGIN = "https://bench.example"
ARTICLE = "https://bench.example/breaking"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    return _status(pid, "VmRSS") / 1024


def threads(pid: int) -> int:
    return _status(pid, "Threads")


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    subprocess.run([AGORA, "migrate", "--verbosity", "0"], env=env, check=True)
    setup = ("from agora.comments.models import Site;"
             f"Site.objects.create(slug='bench', name='Bench', allowed_origins=['{ORIGIN}'])")
    subprocess.run([AGORA, "shell", "-c", setup], env=env, check=True, capture_output=True)
    server = subprocess.Popen([AGORA, "serve", "--port", str(port), "--workers", "1"], env=env)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


class Streams:
    def __init__(self, port: int) -> None:
        self.port = port
        self.arrivals: dict[int, list[float]] = {}

    async def open_one(self, index: int, opened: asyncio.Event, ready: list[int], total: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        query = f"site=bench&url={ARTICLE}"
        writer.write(f"GET /live/threads?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n", 1)[0], head
        ready[0] += 1
        if ready[0] == total:
            opened.set()
        self.arrivals[index] = []
        buffer = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            buffer += chunk
            while b"event: comment.created" in buffer:
                self.arrivals[index].append(time.perf_counter())
                buffer = buffer.split(b"event: comment.created", 1)[1]
            buffer = buffer[-64:]


def post_comment(port: int, body: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/comments", method="POST",
        data=json.dumps({"site": "bench", "url": ARTICLE, "body": body,
                         "author_name": f"Bench {body}"}).encode(),
        headers={"Content-Type": "application/json", "Origin": ORIGIN})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201, response.read()


async def run(args: argparse.Namespace, port: int, server_pid: int) -> None:
    # Warm up first (URL resolution, the moderation model): measure the steady state.
    await asyncio.to_thread(post_comment, port, "warm-up")
    print(f"server RSS after warm-up: {rss_mb(server_pid):.0f} MB")
    streams, opened, ready = Streams(port), asyncio.Event(), [0]
    started = time.perf_counter()
    tasks = []
    for index in range(args.connections):
        tasks.append(asyncio.create_task(streams.open_one(index, opened, ready, args.connections)))
        if index % 100 == 99:
            await asyncio.sleep(0.05)  # stay under the listen backlog
    await asyncio.wait_for(opened.wait(), 300)
    print(f"{args.connections} streams open in {time.perf_counter() - started:.1f} s")
    await asyncio.sleep(2)
    print(f"server RSS with {args.connections} streams open: {rss_mb(server_pid):.0f} MB, "
          f"{threads(server_pid)} threads")
    latencies: list[float] = []
    for number in range(args.events):
        sent = time.perf_counter()
        await asyncio.to_thread(post_comment, port, f"event {number}")
        posted = time.perf_counter() - sent
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(len(a) <= number for a in streams.arrivals.values()):
            await asyncio.sleep(0.01)
        got = [a[number] - sent for a in streams.arrivals.values() if len(a) > number]
        missing = args.connections - len(got)
        latencies.extend(got)
        print(f"event {number}: reached {len(got)}/{args.connections} streams, "
              f"POST answered after {posted * 1000:.0f} ms, last stream after {max(got) * 1000:.0f} ms"
              + (f", {missing} missed" if missing else ""))
        await asyncio.sleep(0.5)
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100)
    print(f"delivery latency over {len(latencies)} deliveries (POST start → event read): "
          f"p50 {cut[49] * 1000:.0f} ms, p99 {cut[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"server RSS after the events: {rss_mb(server_pid):.0f} MB")
    for task in tasks:
        task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--redis", default="", help="Redis URL: events go through pub/sub")
    args = parser.parse_args()
    limit = args.connections * 2 + 256
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))  # inherited by the server
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "AGORA_DATA_DIR": data_dir, "AGORA_LOG_LEVEL": "ERROR"}
        env.pop("AGORA_DATABASE_URL", None)
        env.pop("AGORA_REDIS_URL", None)
        if args.redis:
            env["AGORA_REDIS_URL"] = args.redis
        port = free_port()
        server = start_server(env, port)
        try:
            print(f"server pid {server.pid}, RSS idle {rss_mb(server.pid):.0f} MB"
                  + (f", Redis {args.redis}" if args.redis else ", no Redis (in-process fan-out)"))
            asyncio.run(run(args, port, server.pid))
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    main()
