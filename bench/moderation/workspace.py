"""Moderation workspace speed: the queue page with 100 cards (target ≤ 200 ms), single actions
(target ≤ 50 ms p99), a 100-comment bulk action, the author panel and the dashboard.

    .venv/bin/python bench/moderation/workspace.py [--pending 2000] [--runs 30] [--database-url URL]

Requests go through Django's full request handling (middleware, session, CSRF, templates) with
the test client, in process: no network. The database is a fresh SQLite file in a temporary
directory unless --database-url is given (use a scratch PostgreSQL database: the bench creates
its own site and leaves it there). Every pending comment carries what the pipeline stores: a
decision with highlighted reasons and per-label scores; a third of them have reader flags.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

LABELS = ("toxicity", "severe_toxicity", "identity_attack", "insult", "profanity", "threat",
          "sexually_explicit")


def seed(pending: int):
    """One site, 20 articles, `pending` held comments (half replies) and as many approved ones."""
    from django.utils import timezone

    from agora.accounts.models import SiteRole, User
    from agora.comments.models import Article, Comment, Site
    from agora.moderation.models import Decision, Flag

    stamp = time.time_ns()
    site = Site.objects.create(slug=f"bench-{stamp}", name="Bench")
    articles = [Article.objects.create(site=site, url=f"https://bench.example/{stamp}/{i}",
                                       title=f"Story {i}") for i in range(20)]
    now = timezone.now()
    rows = []
    for i in range(pending * 2):
        body = f"Comment {i}: the council is full of idiots and the bridge is a scam, says reader {i % 97}."
        rows.append(Comment(site=site, article=articles[i % 20], author_name=f"Reader {i % 97}",
                            reader_id=f"r{i % 97}", author_email=f"reader{i % 97}@example.org",
                            ip_hash=f"ip{i % 41}", body=body, body_html=f"<p>{body}</p>",
                            status="pending" if i % 2 else "approved",
                            created_at=now - timezone.timedelta(minutes=i)))
    comments = Comment.objects.bulk_create(rows, batch_size=500)
    approved = [c for c in comments if c.status == "approved"]
    for i, comment in enumerate(comments):
        comment.path = Comment.path_segment(comment.pk)
        comment.root_id = comment.pk
        if comment.status == "pending" and i % 4 == 1:  # every other held comment is a reply
            parent = approved[i % len(approved)]
            comment.parent_id, comment.root_id, comment.depth = parent.pk, parent.pk, 1
            comment.path = f"{parent.path}.{comment.path}"
    Comment.objects.bulk_update(comments, ["path", "root", "parent", "depth"], batch_size=500)
    decisions, flags = [], []
    for i, comment in enumerate(comments):
        start = comment.body.index("idiots")
        scores = {label: round(((i * 7 + n * 13) % 100) / 100, 2) for n, label in enumerate(LABELS)}
        reasons = [{"phase": "wordlist", "rule": "suspect_word", "message": "Suspect words: idiots.",
                    "spans": [[start, start + 6, "idiots"]], "scores": {}},
                   {"phase": "model", "rule": "insult", "message": "Insult", "spans": [], "scores": scores}]
        decisions.append(Decision(comment=comment, status=comment.status, reasons=reasons, scores=scores))
        if i % 3 == 0:
            flags.append(Flag(comment=comment, reason="abusive", reporter=f"reader:{i}", explanation="Rude"))
    Decision.objects.bulk_create(decisions, batch_size=500)
    Flag.objects.bulk_create(flags, batch_size=500)
    moderator = User.objects.create_user(username=f"bench-mod-{stamp}", password="unused-password-1")
    SiteRole.objects.create(user=moderator, site=site)
    pending_ids = [c.pk for c in comments if c.status == "pending"]
    return site, moderator, pending_ids


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90, p99 = (ordered[min(len(ordered) - 1, int(len(ordered) * q))] for q in (0.9, 0.99))
    return (f"p50 {statistics.median(ordered):6.1f} ms   p90 {p90:6.1f} ms   p99 {p99:6.1f} ms"
            f"   (n={len(ordered)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pending", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    corpus.setup_django(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    site, moderator, pending_ids = seed(args.pending)
    client = Client(HTTP_ACCEPT="application/json", HTTP_HOST="127.0.0.1")
    client.force_login(moderator)
    print(f"database: {connection.vendor}; {args.pending} held and {args.pending} approved comments, "
          f"one third flagged")

    queue_url = f"/moderate/queue/pending?site={site.slug}"
    client.get(queue_url)  # warm the template cache, as in a running server
    queue_ms: list[float] = []
    for _ in range(args.runs):
        response = corpus.timed(queue_ms, client.get, queue_url)
        assert response.status_code == 200 and response.content.count(b'<article class="card"') == 100
    with CaptureQueriesContext(connection) as queries:
        client.get(queue_url)
    print(f"queue page, 100 cards      {percentiles(queue_ms)}   {len(queries)} queries   "
          f"{len(response.content) // 1024} KiB   target ≤ 200 ms")

    action_ms: list[float] = []
    steps = [(i, "approve") for i in pending_ids[:100]] + [(i, "reject") for i in pending_ids[100:200]]
    steps += [(i, "undo") for i in pending_ids[100:200]]
    for comment_id, action in steps:
        response = corpus.timed(action_ms, client.post, f"/moderate/comments/{comment_id}/{action}")
        assert response.status_code == 200, response.content
    print(f"single action (a / r / u)  {percentiles(action_ms)}   target p99 ≤ 50 ms")

    bulk_ms: list[float] = []
    for start in range(300, 300 + 100 * 3, 100):
        ids = pending_ids[start:start + 100]
        response = corpus.timed(bulk_ms, client.post, "/moderate/bulk", {"action": "approve", "ids": ids})
        assert response.json()["changed"] == len(ids)
    print(f"bulk approve of 100        {percentiles(bulk_ms)}")

    author_ms: list[float] = []
    for n in range(min(args.runs, 20)):
        corpus.timed(author_ms, client.get, f"/moderate/authors/reader/r{n}")
    print(f"author panel               {percentiles(author_ms)}")

    dashboard_ms: list[float] = []
    for _ in range(min(args.runs, 10)):
        response = corpus.timed(dashboard_ms, client.get, f"/moderate/dashboard?site={site.slug}")
        assert response.content.count(b"<svg") == 11
    print(f"dashboard (11 SVG charts)  {percentiles(dashboard_ms)}")

    # The target use: clearing 100 comments, one keypress each, server time only.
    cleared = sum(action_ms[:100]) / 1000
    print(f"server time to clear 100 comments one by one: {cleared:.2f} s (target: a person in < 180 s)")


if __name__ == "__main__":
    main()
