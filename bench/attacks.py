"""Attacks and faults against a real `agora serve` (SQLite, one worker process), with figures:

1. flood: one network posts as fast as it can (rotating reader tokens) while readers on other
   networks read a thread page; accepted vs 429, and the readers' p50/p99 before and during;
2. token rotation: one network asks for 100 reader tokens and uses each to post, to flag one
   comment and to upvote another; what still gets through;
3. hung Redis (with --redis): Redis behind a TCP proxy that stops answering; read and post
   latencies before and while it hangs (each request times out after 15 s).

    python bench/attacks.py [--seconds 5] [--redis redis://127.0.0.1:6379/N]

Clients are told apart by X-Forwarded-For behind one trusted proxy hop, as behind nginx.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import agora_env, agora_serve, free_port, run_agora
from tests.tcpproxy import SilentProxy

ORIGIN = "https://bench.example"
ARTICLE = "https://bench.example/under-attack"
TIMEOUT = 15.0
SETUP = ("from agora.comments.models import Site\n"
         f"Site.objects.create(slug='bench', name='Bench', allowed_origins=['{ORIGIN}'])\n")


@contextmanager
def server(extra_env: dict[str, str]):
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        env = {**agora_env(Path(data), port, secrets.token_urlsafe(32)), "AGORA_TRUSTED_PROXY_HOPS": "1",
               "AGORA_TRUST_X_FORWARDED_FOR": "true", **extra_env}
        run_agora(env, "migrate", "-v", "0")
        run_agora(env, "shell", "-c", SETUP)
        with agora_serve(env, port) as base:
            yield base


class Client:
    """One simulated client: its own address (as the proxy reports it) and reader token."""

    def __init__(self, base: str, address: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=TIMEOUT,
                                 headers={"Origin": ORIGIN, "X-Forwarded-For": address})
        self.token = ""

    def new_token(self) -> int:
        response = self.http.post("/api/v1/reader")
        if response.status_code == 201:
            self.token = response.json()["reader_token"]
        return response.status_code

    def post(self, body: str, parent: int | None = None) -> httpx.Response:
        return self.http.post("/api/v1/comments", headers={"X-Agora-Reader": self.token},
                              json={"site": "bench", "url": ARTICLE, "body": body, "author_name": "Bench",
                                    "parent": parent})

    def read(self) -> httpx.Response:
        return self.http.get("/api/v1/threads", params={"site": "bench", "url": ARTICLE})

    def act(self, comment_id: int, what: str) -> int:
        path, payload = (("flags", {"reason": "abusive"}) if what == "flag" else ("votes", {"value": 1}))
        return self.http.post(f"/api/v1/comments/{comment_id}/{path}", json=payload,
                              headers={"X-Agora-Reader": self.token}).status_code


def timed(call, *args) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        status = call(*args).status_code
    except httpx.TimeoutException:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def percentiles(millis: list[float]) -> str:
    if not millis:
        return "no requests"
    ordered = sorted(millis)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"p50 {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms   max {ordered[-1]:7.1f} ms   "
            f"n={len(ordered)}")


def readers_for(base: str, seconds: float, count: int = 4) -> list[float]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    def read(n: int) -> None:
        client = Client(base, f"198.51.{100 + n}.7")
        while time.monotonic() < stop:
            latencies.append(timed(client.read)[0])

    threads = [threading.Thread(target=read, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def flood(seconds: float) -> None:
    print(f"\n== flood: 8 posting threads from 203.0.113.0/24 for {seconds:g} s once the network used up its"
          " limit, 4 readers elsewhere")
    with server({}) as base:
        seed = Client(base, "198.51.100.9")
        seed.new_token()
        for n in range(10):
            seed.post(f"A comment already on the page, number {n}.")
        before = readers_for(base, seconds)
        outcomes: Counter[int] = Counter()
        # The network first uses up what it may post (rotating tokens), so that the timed part
        # measures what a refused flood costs the other readers.
        opener = Client(base, "203.0.113.250")
        while outcomes[429] == 0:
            opener.new_token()
            outcomes[timed(opener.post, f"Opening the flood {secrets.token_hex(4)}")[1]] += 1
        stop = time.monotonic() + seconds

        def attack(n: int) -> None:
            client = Client(base, f"203.0.113.{n + 1}")
            sent = 0
            while time.monotonic() < stop:
                if sent % 3 == 0:
                    client.new_token()  # rotate tokens while the network may still get them
                outcomes[timed(client.post, f"Flood {n}-{sent} {secrets.token_hex(4)}")[1]] += 1
                sent += 1

        attackers = [threading.Thread(target=attack, args=(n,)) for n in range(8)]
        for thread in attackers:
            thread.start()
        during = readers_for(base, seconds)
        for thread in attackers:
            thread.join()
        # One at a time on the quiet server: what a refused post costs beside a served read.
        flooder, reader = Client(base, "203.0.113.200"), Client(base, "198.51.100.9")
        refused = [timed(flooder.post, "Still flooding.") for _ in range(100)]
        reads = [timed(reader.read) for _ in range(100)]
    accepted = outcomes[201] + outcomes[200]
    other = {status: n for status, n in outcomes.items() if status not in (200, 201, 429)}
    print(f"flood posts: {sum(outcomes.values())} sent, {accepted} accepted, "
          f"{outcomes[429]} refused with 429, other {other}")
    print(f"readers before: {percentiles(before)}")
    print(f"readers during: {percentiles(during)}")
    statuses = Counter(status for _, status in refused)
    print(f"one refused post {percentiles([ms for ms, status in refused if status == 429])}  "
          f"(of 100 after the flood: {dict(statuses)})")
    print(f"one cached read  {percentiles([ms for ms, _ in reads])}")


def token_rotation() -> None:
    print("\n== token rotation: 100 tries from 192.0.2.0/24 (new token, post, flag, upvote each)")
    with server({}) as base:
        victim_author = Client(base, "198.51.100.20")
        victim_author.new_token()
        victim = victim_author.post("An ordinary comment someone wants hidden.").json()["comment"]["id"]
        promoted = victim_author.post("A comment someone wants to push up.").json()["comment"]["id"]
        tokens, posts, flags, votes = Counter(), Counter(), Counter(), Counter()
        for n in range(100):
            attacker = Client(base, f"192.0.2.{n % 250 + 1}")
            tokens[attacker.new_token()] += 1
            if not attacker.token:
                continue
            response = attacker.post(f"Sock puppet number {n} agrees {secrets.token_hex(3)}.")
            posts[response.json().get("result", response.status_code)] += 1
            flags[attacker.act(victim, "flag")] += 1
            votes[attacker.act(promoted, "vote")] += 1
        shown = {c["id"]: c for c in victim_author.read().json()["comments"]}
    print(f"tokens: {tokens[201]} issued, {tokens[429]} refused with 429")
    print(f"comments: {dict(posts)} (429: rate limited)")
    hidden = "still shown" if victim in shown else "HIDDEN"
    print(f"flags accepted: {flags[201]}; the flagged comment is {hidden}")
    print(f"upvotes accepted: {votes[200]}; counted on the comment: {shown.get(promoted, {}).get('upvotes')}")


def hung_redis(redis_url: str) -> None:
    print("\n== hung Redis: the server's Redis behind a proxy that stops answering")
    target = urlsplit(redis_url)
    proxy = SilentProxy(target.hostname, target.port or 6379).start()
    try:
        with server({"AGORA_REDIS_URL": f"redis://127.0.0.1:{proxy.port}{target.path}"}) as base:
            client = Client(base, "198.51.100.30")
            client.new_token()
            parent = client.post("The parent of the replies.").json()["comment"]["id"]
            for state in ("healthy", "hung"):
                proxy.silent = state == "hung"
                reads = [timed(client.read) for _ in range(20)]
                posts = [timed(client.post, f"A reply while Redis is {state}, {n}.", parent)
                         for n in range(10)]
                for name, runs in (("cached read", reads), ("post (reply)", posts)):
                    failed = sum(1 for _, status in runs if status not in (200, 201))
                    figures = percentiles([ms for ms, _ in runs])
                    print(f"{state:8} {name:13} {figures}   not answered: {failed}")
    finally:
        proxy.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=["flood", "tokens", "redis"], help="run one scenario")
    parser.add_argument("--redis", help="Redis for the hung-Redis run (a database the run may use)")
    args = parser.parse_args()
    if args.only in (None, "flood"):
        flood(args.seconds)
    if args.only in (None, "tokens"):
        token_rotation()
    if args.only in (None, "redis"):
        if args.redis:
            hung_redis(args.redis)
        else:
            print("\n(hung Redis skipped: pass --redis redis://host:port/db)")


if __name__ == "__main__":
    main()
