"""Load benchmark: `agora serve` with production settings on a fresh SQLite database, driven by wrk
on loopback. Prints req/s, p50 and p99 per scenario and the server's RSS.

    python bench/load.py [--workers 2] [--duration 10] [--database-url URL]

Needs `wrk` (Debian package `wrk`). Scenarios (concurrency 16 for reads, 8 for posting):
first page of a 1,000-comment thread, the whole 1,000-comment thread, a 50-comment thread,
counts for 10 URLs, posting. The same server's `/healthz` (the full middleware stack, no
database) runs first as a baseline: each scenario's cost is also printed as a multiple of it,
a figure that moves less than req/s between machines and runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIG_URL = "https://bench.example/big"
SMALL_URL = "https://bench.example/small"
COUNT_URLS = [f"https://bench.example/story-{i}" for i in range(10)]

BASELINE = "baseline: /healthz"
TARGETS = {
    BASELINE: "",
    "first page, 1,000-comment thread": "≥ 1,000 req/s, p99 ≤ 50 ms",
    "whole 1,000-comment thread": "≥ 100 req/s",
    "50-comment thread": "≥ 1,500 req/s",
    "counts for 10 URLs": "",
    "posting (concurrency 8)": "≥ 400/s, p99 ≤ 100 ms",
}

POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end
request = function()
  counter = counter + 1
  local body = string.format(
    '{"site":"bench","url":"%s","author_name":"Reader %d","body":"Point %d from thread %d: '
    .. 'the council should publish the full costing before the vote."}',
    "BIG_URL", counter % 50, counter, tid or 0)
  return wrk.format(nil, "/api/v1/comments", nil, body)
end
"""

COUNTS_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = 'BODY'
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(env: dict[str, str]) -> None:
    """Create the bench site and threads through the real services (so through moderation)."""
    code = f"""
import random
from agora.comments import services
from agora.comments.models import Site
site, _ = Site.objects.get_or_create(slug="bench", defaults={{"name": "Bench"}})
random.seed(7)
def thread(url, size):
    ids = []
    for i in range(size):
        parent = random.choice(ids) if ids and random.random() < 0.6 else None
        # Distinct readers and texts per thread: repeated texts would be held as spam.
        result = services.post_comment(site=site, url=url, author_name=f"Reader {{i % 40}}",
            body=f"Comment {{i}} on {{url.rsplit('/', 1)[1]}}: I think the *budget* figures deserve "
                 f"a closer look, see section {{i % 9}}.",
            actor=services.Actor(reader_id=f"seed-{{url}}-{{i}}"), parent_id=parent)
        assert result.comment.status == "approved", result.verdict
        ids.append(result.comment.pk)
thread({BIG_URL!r}, 1000)
thread({SMALL_URL!r}, 50)
for url in {COUNT_URLS!r}:
    thread(url, 3)
"""
    run_django(env, code)


def run_django(env: dict[str, str], code: str) -> str:
    """Run Python code with Django set up on the benchmark's database, in a process of its
    own; returns what it printed (errors go to this terminal)."""
    return subprocess.run([sys.executable, "-c", "import django\ndjango.setup()\n" + code], env=env,
                          check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout.strip()


def statuses(env: dict[str, str], url: str) -> str:
    """How the comments of a thread were routed (a held post is a different, slower path)."""
    code = f"""
from django.db.models import Count
from agora.comments.models import Comment
rows = Comment.objects.filter(article__url={url!r}).values_list("status").annotate(n=Count("id"))
print(", ".join(f"{{n}} {{status}}" for status, n in sorted(rows)))
"""
    return run_django(env, code)


def rss_of_tree(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo.extend(int(child) for child in children)
        except (FileNotFoundError, AttributeError):
            continue
    return total


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, connections: int, duration: int, script: str | None = None) -> dict:
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        if script:
            handle.write(script)
            command += ["-s", handle.name]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_DATA_DIR": str(workdir),
        "AGORA_DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "AGORA_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
        "AGORA_DEBUG": "false",
        "AGORA_PUBLIC_URL": f"http://127.0.0.1:{port}",
        # The benchmark measures throughput, not the abuse limits that protect a real site.
        "AGORA_RATE_LIMITS": "off",
    }
    agora = str(Path(sys.executable).with_name("agora"))
    subprocess.run([agora, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    seed(env)
    server = subprocess.Popen([agora, "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        thread = f"{base}/api/v1/threads?site=bench&url="
        wait_for(f"{thread}{SMALL_URL}")
        counts_body = json.dumps({"site": "bench", "urls": COUNT_URLS})
        scenarios = [
            (BASELINE, f"{base}/healthz", 16, None),
            ("first page, 1,000-comment thread", f"{thread}{BIG_URL}", 16, None),
            ("whole 1,000-comment thread", f"{thread}{BIG_URL}&full=true", 16, None),
            ("50-comment thread", f"{thread}{SMALL_URL}&replies=100&page_size=100", 16, None),
            ("counts for 10 URLs", f"{base}/api/v1/counts", 16, COUNTS_SCRIPT.replace("BODY", counts_body)),
            ("posting (concurrency 8)", base, 8, POST_SCRIPT.replace("BIG_URL", SMALL_URL)),
        ]
        print(f"agora serve --workers {args.workers}, {os.cpu_count()} cores, "
              f"wrk {args.duration}s per scenario")
        print(f"{'scenario':36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
              f"{'cost':>7}  target")
        baseline_rps = None
        for name, url, connections, script in scenarios:
            if args.only not in name and name != BASELINE:
                continue
            run_wrk(url, connections, 2, script)  # warm-up: caches built, model loaded
            result = run_wrk(url, connections, args.duration, script)
            baseline_rps = baseline_rps or result["rps"]
            cost = f"{baseline_rps / result['rps']:6.1f}x"
            print(f"{name:36} {result['rps']:9.0f} {result['p50']:8.1f} {result['p99']:8.1f} "
                  f"{result['errors']:8d} {cost:>7}  {TARGETS[name]}")
        print(f"server RSS (all processes): {rss_of_tree(server.pid) / 2**20:.0f} MB")
        print(f"comments of the 50-comment thread afterwards: {statuses(env, SMALL_URL)}")
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
