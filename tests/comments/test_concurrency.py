"""Concurrent posting against a real PostgreSQL server: nothing lost, nothing duplicated,
counts exact. Runs in the PostgreSQL pass of `make test` (AGORA_TEST_DATABASE_URL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from agora.comments import services
from agora.comments.models import Article, Comment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
]

WRITERS = 16
POSTS_EACH = 12


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency runs in the PostgreSQL pass of the suite (AGORA_TEST_DATABASE_URL)")


def _writer(site_id: int, url: str, number: int, parent_id: int) -> list[int]:
    from agora.comments.models import Site

    try:
        site = Site.objects.get(pk=site_id)
        ids = []
        for i in range(POSTS_EACH):
            result = services.post_comment(
                site=site, url=url, body=f"writer {number} post {i}", author_name=f"w{number}",
                actor=services.Actor(reader_id=f"reader-{number}"),
                parent_id=parent_id if i % 2 else None,
            )
            ids.append(result.comment.pk)
        return ids
    finally:
        connections.close_all()


def test_concurrent_posts_are_neither_lost_nor_duplicated(site, article_url):
    # The first comment also races for the article: start everyone on an unregistered URL.
    root = services.post_comment(site=site, url=article_url, body="root", author_name="root",
                                 actor=services.Actor(reader_id="root")).comment
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(_writer, site.pk, article_url, n, root.pk) for n in range(WRITERS)]
        ids = [comment_id for future in futures for comment_id in future.result()]

    assert len(ids) == len(set(ids)) == WRITERS * POSTS_EACH
    assert Comment.objects.count() == WRITERS * POSTS_EACH + 1
    article = Article.objects.get()
    assert article.comment_count == WRITERS * POSTS_EACH + 1
    assert article.top_level_count == Comment.objects.filter(depth=0).count()
    root.refresh_from_db()
    assert root.reply_count == WRITERS * POSTS_EACH // 2
    assert all(c.path.endswith(f"{c.pk:010d}") for c in Comment.objects.all())


def test_concurrent_first_comments_create_one_article(site):
    url = "https://news.example/breaking"

    def first_post(number: int) -> int:
        try:
            return services.post_comment(site=site, url=url, body=f"first {number}", author_name="x",
                                         actor=services.Actor()).comment.article_id
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        article_ids = set(pool.map(first_post, range(8)))
    assert len(article_ids) == 1
    assert Article.objects.get().comment_count == 8
