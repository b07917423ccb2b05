"""Pipeline overhead per comment with a 5,000-entry word list, the model left out
(target: ≤ 2 ms p50). Also prints the whole post (pipeline, insert, decision, bookkeeping)
and, for scale, the model's own time.

    .venv/bin/python bench/moderation/pipeline.py [--comments 500] [--database-url URL]

Runs on a fresh SQLite database in a temporary directory unless --database-url is given
(use a scratch PostgreSQL database: the bench creates its own site and leaves it there).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    corpus.setup_django(args.database_url)


    from agora.comments import services
    from agora.comments.models import Article, Site
    from agora.moderation import scoring, wordlists
    from agora.moderation.models import ModerationSettings
    from agora.moderation.pipeline import Submission, moderate

    site = Site.objects.create(slug=f"bench-{time.time_ns()}", name="Bench")
    wordlists.add_entries(site, corpus.word_list())
    settings = ModerationSettings.for_site(site)
    settings.phase_order = [phase for phase in settings.phase_order if phase != "model"]
    # The bench posts hundreds of comments a second on purpose: no rate limits, no escalation.
    settings.rate_limit_per_author = settings.rate_limit_per_ip = 0
    settings.escalation_enabled = False
    settings.save()
    article = Article.objects.create(site=site, url="https://bench.example/story")
    texts = corpus.comments(args.comments)
    wordlists.matcher_for(site)  # compiled once per list version, as in a running server

    moderate_ms: list[float] = []
    post_ms: list[float] = []
    statuses: dict[str, int] = {}
    rules: dict[str, int] = {}
    for i, text in enumerate(texts):
        submission = Submission(site=site, article=article, body=text, author_name=f"Reader {i % 60}",
                                reader_id=f"bench-{i % 60}", ip=f"198.51.{i % 200}.{i % 250}")
        corpus.timed(moderate_ms, moderate, submission)
        result = corpus.timed(post_ms, services.post_comment, site=site, url=article.url, body=text,
                       author_name=f"Reader {i % 60}", ignore_nudge=True,
                       actor=services.Actor(reader_id=f"bench-{i % 60}", ip=f"198.51.{i % 200}.{i % 250}"))
        statuses[result.comment.status] = statuses.get(result.comment.status, 0) + 1
        for reason in result.verdict.reasons:
            rules[reason.rule] = rules.get(reason.rule, 0) + 1

    model_ms: list[float] = []
    if scoring.available():
        for text in texts[:200]:
            corpus.timed(model_ms, scoring.score, text)

    entries = wordlists.matcher_for(site).size
    print(f"database: {os.environ.get('AGORA_DATABASE_URL', 'sqlite (temporary)').split('@')[-1]}, "
          f"word list {entries:,} entries, {len(texts)} comments")
    for name, samples, target in (("moderate() without the model", moderate_ms, "target p50 ≤ 2 ms"),
                                  ("whole post_comment() without the model", post_ms, ""),
                                  ("model score (for scale)", model_ms, "")):
        if samples:
            p50, p99, mean = corpus.percentiles(samples)
            print(f"{name}: p50 {p50:.2f} ms   p99 {p99:.2f} ms   mean {mean:.2f} ms   {target}")
    print("outcomes of the posts:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("reasons:", ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))


if __name__ == "__main__":
    main()
