"""Big-thread benchmark on PostgreSQL: generate N comments over M articles with COPY, then
measure a thread's first page, counts for 20 URLs and posting, and print the query plans.

    python bench/live/bigdata.py --comments 10000000 --articles 100000   # the target size
    python bench/live/bigdata.py --comments 1000000 --articles 10000     # a tenth of it

It creates its own database `agora_bench_<random>` on the server of --postgres (default the
local `test` server), migrates it, fills it, measures, and drops it (--keep to keep it).
Targets at 10M: first page p99 ≤ 20 ms, counts for 20 URLs p99 ≤ 10 ms, posting p99 ≤ 50 ms.
Timings are of the service functions in this process (no HTTP), the thread page uncached.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ORIGIN = "https://bench.example"
WORDS = ["harbour", "bridge", "council", "budget", "tolls", "traffic", "ferry", "election", "mayor",
         "river", "housing", "rent", "school", "nurses", "strike", "weather", "storm", "football",
         "derby", "museum", "library", "cyclists", "tram"]


def article_url(number: int) -> str:
    return f"{ORIGIN}/news/{number:07d}"


def create_database(admin_url: str) -> str:
    import psycopg

    name = f"agora_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def thread_rows(rng: random.Random, first_id: int, count: int, site_id: int, article_id: int,
                start: datetime) -> tuple[list[tuple], int, int, datetime]:
    """One article's comments: 60 % top level, 40 % replies; 95 % approved, 4 % held,
    1 % rejected. Returns the COPY rows, the visible and visible top-level counts, and the
    last comment time."""
    comments: list[dict] = []
    for offset in range(count):
        pk = first_id + offset
        parent = comments[rng.randrange(len(comments))] if comments and rng.random() < 0.4 else None
        if parent is not None and parent["depth"] >= 8:
            parent = None
        roll = rng.random()
        status = "approved" if roll < 0.95 else "pending" if roll < 0.99 else "rejected"
        up, down = rng.choice((0, 0, 0, 1, 2, 5, 12)), rng.choice((0, 0, 1, 3))
        body = " ".join(rng.choices(WORDS, k=rng.randint(8, 40)))
        comments.append({
            "id": pk, "parent": parent, "depth": parent["depth"] + 1 if parent else 0,
            "root": parent["root"] if parent else pk,
            "path": (parent["path"] + "." if parent else "") + f"{pk:010d}",
            "status": status, "up": up, "down": down, "body": body, "replies": 0,
            "created": start + timedelta(seconds=offset * 7),
        })
        if parent is not None and status == "approved":
            parent["replies"] += 1
    rows = [(c["id"], site_id, article_id, c["parent"]["id"] if c["parent"] else None, c["root"],
             c["depth"], c["path"], None, f"Reader {c['id'] % 5000}", "", f"r{c['id'] % 50000}",
             "", "", c["body"], f"<p>{c['body']}</p>", c["status"], False, c["up"], c["down"],
             c["up"] - c["down"], 0.0, c["replies"], "", c["created"], None) for c in comments]
    visible = [c for c in comments if c["status"] == "approved"]
    top_level = sum(c["depth"] == 0 for c in visible)
    return rows, len(visible), top_level, comments[-1]["created"] if comments else start


def generate(args: argparse.Namespace, site_id: int) -> None:
    from django.db import connection, transaction
    from tqdm import tqdm

    rng = random.Random(2026)
    # Article 1 is the breaking story with `--hot` comments; the rest share the others evenly.
    rest = args.comments - args.hot
    per_article = rest // (args.articles - 1)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    comment_columns = ("id, site_id, article_id, parent_id, root_id, depth, path, author_id, author_name, "
                       "author_email, reader_id, ip_hash, network_hash, body, body_html, status, "
                       "is_deleted, upvotes, downvotes, score, controversy, reply_count, external_id, "
                       "created_at, edited_at")
    articles = []
    next_id = 1
    # One transaction, with foreign-key triggers off for this session (the rows are consistent by
    # construction; checking 40 million references one by one at the commit takes longer than the
    # load). Needs a superuser, as on the local test server.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        raw = cursor.cursor
        with raw.copy(f"COPY comments_comment ({comment_columns}) FROM STDIN") as copy, \
                tqdm(total=args.comments, unit=" comments", unit_scale=True, file=sys.stderr) as bar:
            for number in range(1, args.articles + 1):
                count = args.hot if number == 1 else per_article + (number - 2 < rest % (args.articles - 1))
                begun = start + timedelta(minutes=number)
                rows, visible, top_level, last = thread_rows(rng, next_id, count, site_id, number,
                                                             begun)
                for row in rows:
                    copy.write_row(row)
                next_id += count
                articles.append((number, site_id, article_url(number), f"Story {number}", begun, False,
                                 False, 0, visible, top_level, 1, begun, last))
                bar.update(count)
        with raw.copy("COPY comments_article (id, site_id, url, title, published_at, is_closed, "
                      "premoderate, slow_mode_seconds, comment_count, top_level_count, version, "
                      "created_at, last_comment_at) FROM STDIN") as copy:
            for row in articles:
                copy.write_row(row)
        for table in ("comments_comment", "comments_article"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")


def fill(args: argparse.Namespace) -> None:
    from django.db import connection

    from agora.comments.models import Site

    site = Site.objects.create(slug="bench", name="Bench", allowed_origins=[ORIGIN])
    started = time.perf_counter()
    generate(args, site.pk)
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE comments_comment")
        cursor.execute("VACUUM ANALYZE comments_article")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('comments_comment'))")
        size = cursor.fetchone()[0]
    print(f"generated in {generated:.0f} s ({args.comments / generated:,.0f} comments/s); "
          f"comments table with indexes: {size}")


def percentiles(samples: list[float]) -> str:
    cut = statistics.quantiles(samples, n=100)
    return f"p50 {cut[49] * 1000:.1f} ms, p99 {cut[98] * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms"


def timed(function, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def measure(args: argparse.Namespace) -> None:
    from agora.comments import services, threads
    from agora.comments.models import Article, Comment, Site

    rng = random.Random(args.seed)
    site = Site.objects.get(slug="bench")
    ids = [rng.randint(1, args.articles) for _ in range(args.runs)]
    pages = iter(ids)
    request = threads.PageRequest()
    services.counts(site, [article_url(1)])  # warm the connection
    page = timed(lambda: threads.build_page(Article.objects.get(pk=next(pages)), request), args.runs)
    print(f"thread first page (20 top-level + 5 replies each, uncached), {args.runs} random articles: "
          f"{percentiles(page)}")
    hot = Article.objects.get(pk=1)
    hot_page = timed(lambda: threads.build_page(hot, request), args.runs // 4)
    print(f"thread first page of the {args.hot:,}-comment article, {args.runs // 4} runs: "
          f"{percentiles(hot_page)}")
    counts = timed(lambda: services.counts(site, [article_url(rng.randint(1, args.articles))
                                                  for _ in range(20)]), args.runs)
    print(f"counts for 20 URLs, {args.runs} runs: {percentiles(counts)}")

    def post() -> None:
        number = rng.randint(1, args.articles)
        services.post_comment(site=site, url=article_url(number), body=f"A new view on story {number}: "
                              + " ".join(rng.choices(WORDS, k=20)), author_name="Bench",
                              actor=services.Actor(reader_id=secrets.token_hex(8),
                                                   ip=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.1"))
    post()  # loads the moderation model
    posting = timed(post, args.runs // 2)
    print(f"posting (services.post_comment with the moderation pipeline), {args.runs // 2} posts: "
          f"{percentiles(posting)}")

    article = hot  # the plans of the biggest thread
    visible = Comment.objects.filter(article=article).visible()
    top = visible.filter(depth=0)
    roots = list(top.order_by(*threads.SORTS["oldest"])[:20].values_list("id", flat=True))
    plans = {
        "first page: top-level comments, oldest first": top.order_by(*threads.SORTS["oldest"])[:20],
        "first page: top-level comments, top first": top.order_by(*threads.SORTS["top"])[:20],
        "first page: top-level comments, controversial first":
            top.order_by(*threads.SORTS["controversial"])[:20],
        "first page: first 5 replies under each root (window query)": None,
        "counts for 20 URLs": Article.objects.filter(
            site=site, url__in=[article_url(n) for n in ids[:20]]).values_list("url", "comment_count"),
    }
    for title, queryset in plans.items():
        if title.endswith("(window query)"):
            from django.db.models import F, Window
            from django.db.models.functions import RowNumber

            queryset = (visible.filter(root_id__in=roots, depth__gt=0)
                        .annotate(rank=Window(RowNumber(), partition_by=[F("root_id")],
                                              order_by=F("path").asc()))
                        .filter(rank__lte=5).order_by("root_id", "path"))
        print(f"\n-- EXPLAIN (ANALYZE, BUFFERS): {title}")
        print(explain(queryset))


def explain(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7, help="which random articles are measured")
    parser.add_argument("--hot", type=int, default=0,
                        help="comments on article 1 (default: 1 %% of --comments)")
    parser.add_argument("--postgres", default=os.environ.get(
        "AGORA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="NAME",
                        help="measure a database kept by an earlier --keep run (kept again)")
    args = parser.parse_args()
    args.hot = args.hot or args.comments // 100
    args.keep = args.keep or bool(args.reuse)
    name = args.reuse or create_database(args.postgres)
    print(f"database {name}: {args.comments:,} comments over {args.articles:,} articles")
    try:
        os.environ["AGORA_DATABASE_URL"] = f"{args.postgres.rsplit('/', 1)[0]}/{name}"
        os.environ.pop("AGORA_REDIS_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from django.db import connection

        if not args.reuse:
            fill(args)
        measure(args)
        connection.close()
    finally:
        if args.keep:
            print(f"kept database {name}")
        else:
            from django.db import connections

            connections.close_all()
            drop_database(args.postgres, name)
            print(f"dropped database {name}")


if __name__ == "__main__":
    main()
