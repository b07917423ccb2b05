"""The saved article page: header, body, then `• Author` comments nested by indentation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.comments.models import Article, Comment
from agora.importers.formats import page
from agora.importers.records import ImportFormatError
from tests.importers.conftest import assert_tree_consistent, run_import

pytestmark = pytest.mark.django_db


def _thread(site) -> list[tuple[int, str, str]]:
    return [(c.depth, c.author_name, c.body) for c in Comment.objects.filter(site=site).order_by("path")]


def test_page_becomes_one_article_with_threaded_comments(site):
    summary = run_import(site, "page", "page.txt", status="source")
    article = Article.objects.get(site=site)
    assert article.title == "Council Approves New Riverside Park"
    assert article.url == "https://news.example/council-approves-new-riverside-park"
    assert article.published_at == datetime(2024, 3, 1, tzinfo=UTC)
    assert summary.comments_created == 10 and summary.authors == 7
    assert _thread(site) == [
        (0, "Maria Santos", "Finally\u2026 after ten years of \u201cconsultations\u201d."),
        (1, "Tom O\u2019Brien", "Ten years is generous \u2013 it felt like twenty."),
        (2, "Maria Santos", "Ha! Fair point\u2026"),
        (0, "Grumpy Resident", "Who\u2019s paying for this? Not me, I hope."),
        (1, "Lena", "Everyone is, that\u2019s how parks work."),
        (2, "Grumpy Resident", ""),  # an empty comment, kept as it came
        (2, "Lena", "See above\u2026\nParks raise property values, too."),
        (1, "Akira", "Agreed with Lena."),
        (0, "Priya", "Will there be a playground?\n\nAsking for my kids \u2014 they\u2019re 4 and 6."),
        (1, "Dev", "Yes \u2013 phase two, apparently\u2026"),
    ]
    assert article.comment_count == 10
    assert_tree_consistent(site)
    times = list(Comment.objects.filter(site=site).order_by("path").values_list("created_at", flat=True))
    assert times == sorted(times)  # page order is kept as time order


def test_page_url_option(site):
    run_import(site, "page", "page.txt", url="https://news.example/2024/03/riverside-park")
    assert Article.objects.get(site=site).url == "https://news.example/2024/03/riverside-park"


def test_page_without_comments_is_an_error(site, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("MARCH 2024\n\nA title\n\nJust an article.\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no comments found"):
        run_import(site, "page", str(empty))
    assert not Article.objects.exists()


def test_page_that_is_not_utf8_is_an_error(site, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Titre\n\n  \u2022 Zoe\n\n".encode() + "    Très bien\n".encode("latin-1"))
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        run_import(site, "page", str(latin))


@pytest.mark.parametrize(("line", "expected"), [
    ("JULY 2020", datetime(2020, 7, 1, tzinfo=UTC)),
    ("March 5, 2024", datetime(2024, 3, 5, tzinfo=UTC)),
    ("Council Approves", None),
])
def test_header_dates(line, expected):
    assert page.parse_date(line) == expected
