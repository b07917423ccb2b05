"""Instructions per request, counted by callgrind: a figure that, unlike req/s, does not move
with whatever else the machine is doing, so a change to the posting or reading path can be
judged by one run before and one after.

    python bench/instructions.py [--requests 200]

Needs valgrind (Debian package `valgrind`). Each scenario runs in a fresh process on a fresh
SQLite database, through Django's test client (the whole middleware stack and the API, not the
ASGI server), once with no measured requests and once with `--requests`; the difference divided
by the count is the cost of one request. Takes a few minutes: valgrind runs Python ~50x slower.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SCENARIOS = ("cached thread read", "post")


def run_requests(scenario: str, count: int) -> None:
    """Set up a database with a 20-comment thread, warm up, then send `count` requests."""
    os.environ["AGORA_DATA_DIR"] = tempfile.mkdtemp(prefix="agora-instructions-")
    os.environ["AGORA_RATE_LIMITS"] = "off"
    os.environ["DJANGO_SETTINGS_MODULE"] = "agora.settings"
    import django

    django.setup()
    import orjson
    from django.core.management import call_command
    from django.test import Client

    from agora.comments import services
    from agora.comments.models import Site

    call_command("migrate", verbosity=0)
    site = Site.objects.create(slug="bench", name="Bench")
    for i in range(20):
        services.post_comment(site=site, url="https://bench.example/small", author_name=f"Reader {i}",
                              body=f"Comment {i}: the budget figures deserve a look, section {i % 9}.",
                              actor=services.Actor(reader_id=f"reader-{i}"))
    client = Client(SERVER_NAME="127.0.0.1")
    thread = "/api/v1/threads?site=bench&url=https://bench.example/small&replies=100&page_size=100"

    def post(number: int) -> None:
        body = orjson.dumps({"site": "bench", "url": "https://bench.example/big",
                             "author_name": f"Reader {number % 50}",
                             "body": f"Point {number}: the council should publish the full costing."})
        response = client.post("/api/v1/comments", body, content_type="application/json")
        assert response.status_code == 201, response.content

    def read(number: int) -> None:
        assert client.get(thread).status_code == 200

    request = post if scenario == "post" else read
    for number in range(20):  # warm-up: caches filled, model loaded, queries prepared
        request(number)
    for number in range(1000, 1000 + count):
        request(number)


def instructions(scenario: str, count: int) -> int:
    """Instructions of a whole process that sends `count` requests."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
               __file__, "--run", scenario, "--requests", str(count)]
    # The same hash seed in both runs: set and dict layouts, and so the work, do not differ.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", output).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--run", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_requests(args.run, args.requests)
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    print(f"{'scenario':20} {'instructions per request':>26}")
    for scenario in SCENARIOS:
        per_request = (instructions(scenario, args.requests) - instructions(scenario, 0)) / args.requests
        print(f"{scenario:20} {per_request / 1e6:24.2f} M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
