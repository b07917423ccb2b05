"""Scale-out, for real: two `agora serve` processes and `agora worker` processes sharing one
PostgreSQL database (created for this module, dropped afterwards) and Redis.

- an event raised on one server reaches a stream held by the other within a second;
- a restarted server resumes a stream from Last-Event-ID with no duplicate and no gap;
- the moderation rate limit holds across both servers (shared Redis cache);
- a worker killed mid-job loses nothing: a second worker does the job.
"""

from __future__ import annotations

import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.conftest import POSTGRES_URL, REDIS_URL, port_open, require_service
from tests.live.helpers import Receiver, free_port, parse_sse

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ORIGIN = "https://news.example"
ARTICLE = "https://news.example/2026/scale-out"
AGORA = str(Path(sys.executable).with_name("agora"))
REDIS_DB_URL = REDIS_URL  # the test run's own Redis database (AGORA_TEST_REDIS_URL)


def _admin_connection():
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True)


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> Iterator[dict[str, str]]:
    require_service(port_open("127.0.0.1", 5432), "PostgreSQL on 127.0.0.1:5432")
    require_service(port_open("127.0.0.1", 6379), "Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_DB_URL).flushdb()
    name = f"agora_scaleout_{secrets.token_hex(4)}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    env = {**os.environ, "AGORA_DATABASE_URL": f"{base}/{name}", "AGORA_REDIS_URL": REDIS_DB_URL,
           "AGORA_SECRET_KEY": secrets.token_urlsafe(40),
           "AGORA_DATA_DIR": str(tmp_path_factory.mktemp("scaleout")),
           "AGORA_TASK_HEARTBEAT_TIMEOUT_MS": "2000", "AGORA_TASK_MAINTENANCE_CHANCE": "1000000",
           "AGORA_WEBHOOK_RETRY_BASE_SECONDS": "1", "AGORA_LIVE_HEARTBEAT_SECONDS": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        subprocess.run([AGORA, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)
        # Limits are moving windows; an hour-long one makes the rate-limit test independent of
        # where the wall clock stands while its posts go out (and of how loaded the machine is).
        setup = ("from agora.comments.models import Site;"
                 "from agora.moderation.models import ModerationSettings;"
                 "site = Site.objects.create(slug='chronicle', name='Chronicle',"
                 f" allowed_origins=['{ORIGIN}']);"
                 "ModerationSettings.objects.create(site=site, rate_window_seconds=3600)")
        subprocess.run([AGORA, "shell", "-c", setup], env=env, check=True, timeout=60)
        yield env
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.port, self.process = env, free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.process = subprocess.Popen([AGORA, "serve", "--port", str(self.port), "--workers", "1"],
                                        env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"agora serve did not start: {self.stop()}")

    def stop(self) -> str:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        errors = self.process.stderr.read().decode(errors="replace") if self.process else ""
        self.process = None
        return errors


@pytest.fixture(scope="module")
def servers(environment) -> Iterator[tuple[Server, Server]]:
    first, second = Server(environment).start(), Server(environment).start()
    yield first, second
    first.stop()
    second.stop()


class Stream:
    """An SSE stream read on a thread; events land in a queue with their arrival time."""

    def __init__(self, server: Server, last_event_id: str = "") -> None:
        self.events: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.closed = False
        headers = {"Origin": ORIGIN, **({"Last-Event-ID": last_event_id} if last_event_id else {})}
        self._thread = threading.Thread(target=self._read, args=(server.url, headers), daemon=True)
        self._thread.start()
        assert self.ready.wait(10), "the stream did not open"

    def _read(self, url: str, headers: dict) -> None:
        with httpx.Client(timeout=httpx.Timeout(5, read=30)) as client, client.stream(
                "GET", f"{url}/live/threads", params={"site": "chronicle", "url": ARTICLE},
                headers=headers) as response:
            buffer = ""
            for text in response.iter_text():
                self.ready.set()
                buffer += text
                while "\n\n" in buffer and not self.closed:
                    block, buffer = buffer.split("\n\n", 1)
                    for event in parse_sse(block + "\n\n"):
                        self.events.put((time.monotonic(), event))
                if self.closed:
                    return

    def take(self, count: int, timeout: float = 5.0) -> list:
        return [self.events.get(timeout=timeout) for _ in range(count)]

    def close(self) -> None:
        self.closed = True


def post(server: Server, body: str, token: str = "") -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/comments", timeout=30, headers={
        "Origin": ORIGIN, "X-Agora-Reader": token},
        json={"site": "chronicle", "url": ARTICLE, "body": body, "author_name": "Ana"})


def reader(server: Server) -> str:
    return httpx.post(f"{server.url}/api/v1/reader", headers={"Origin": ORIGIN}).json()["reader_token"]


def test_an_event_posted_on_one_server_reaches_a_stream_on_the_other_within_a_second(servers):
    first, second = servers
    post(second, "warming up the model and the connections")
    stream = Stream(first)
    try:
        time.sleep(0.3)
        sent = time.monotonic()
        response = post(second, "Posted on the second server", reader(second))
        assert response.status_code == 201, response.text
        (arrived, created), (_, count) = stream.take(2)
        assert created.name == "comment.created" and count.name == "thread.count"
        assert orjson.loads(created.data) == response.json()["comment"]
        assert arrived - sent < 1.0, f"the event took {arrived - sent:.3f} s"
    finally:
        stream.close()


def test_a_restarted_server_resumes_the_stream_without_duplicates(servers):
    first, second = servers
    stream = Stream(first)
    assert post(second, "before the restart", reader(second)).status_code == 201
    (_, seen), (_, count) = stream.take(2)
    stream.close()
    errors = first.stop()
    try:
        assert "Traceback" not in errors, errors
        missed = [post(second, f"while the first server was down {n}", reader(second)).json()["comment"]["id"]
                  for n in range(2)]
    finally:
        first.start()
    resumed = Stream(first, last_event_id=count.id)
    try:
        replay = [event for _, event in resumed.take(4)]
        assert [e.name for e in replay] == ["comment.created", "thread.count"] * 2
        assert [orjson.loads(e.data)["id"] for e in replay[::2]] == missed
        assert not {seen.id, count.id} & {e.id for e in replay}
        with pytest.raises(queue.Empty):
            resumed.take(1, timeout=0.5)
    finally:
        resumed.close()


def test_rate_limits_hold_across_both_servers(servers):
    first, second = servers
    token = reader(first)
    statuses = [post((first, second)[n % 2], f"comment number {n} from one reader", token).status_code
                for n in range(17)]
    assert 429 in statuses, statuses
    assert statuses[:15] == [201] * 15 and statuses[15:] == [429] * 2, (
        f"the per-reader limit (15 an hour here) counts on both: {statuses}")


def test_a_worker_killed_mid_job_loses_nothing(environment, servers):
    first, _ = servers
    receiver = Receiver(delay=3.0).start()
    worker_one = worker_two = None
    try:
        setup = ("from agora.live.models import Webhook; from agora.comments.models import Site;"
                 f"Webhook.objects.create(site=Site.objects.get(slug='chronicle'), url='{receiver.url}',"
                 " events=['comment.created'])")
        subprocess.run([AGORA, "shell", "-c", setup], env=environment, check=True, timeout=60)
        worker_one = subprocess.Popen([AGORA, "worker", "--threads", "1"], env=environment,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not receiver.requests and time.monotonic() < deadline:
            post(first, f"a comment for the newsroom {time.monotonic()}", reader(first))
            waited = time.monotonic() + 5
            while not receiver.requests and time.monotonic() < waited:
                time.sleep(0.1)
        assert receiver.requests, "the first worker never started the delivery"
        worker_one.kill()  # mid-job: the receiver is still sleeping on the request
        worker_one.wait()
        worker_two = subprocess.Popen([AGORA, "worker", "--threads", "1"], env=environment,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        receiver.delay = 0
        first_delivery = receiver.requests[0][0]["Agora-Delivery"]

        def attempts() -> int:
            return sum(headers["Agora-Delivery"] == first_delivery for headers, _ in receiver.requests)
        deadline = time.monotonic() + 30
        while attempts() < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert attempts() == 2, "the job of the killed worker was not redone exactly once"
        import psycopg

        with psycopg.connect(environment["AGORA_DATABASE_URL"]) as connection:
            deadline = time.monotonic() + 10
            status = None
            while status != "succeeded" and time.monotonic() < deadline:
                status = connection.execute("SELECT status FROM live_webhookdelivery WHERE id = %s",
                                            (int(first_delivery),)).fetchone()[0]
                time.sleep(0.2)
        assert status == "succeeded"
    finally:
        for process in (worker_one, worker_two):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(10)
        receiver.stop()
