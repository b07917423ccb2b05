"""Each format on small fixtures: threads, authors, times, states, deletions, encodings."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from agora.accounts.models import User
from agora.comments.models import Article, Comment
from agora.importers.services import detect_format
from tests.importers.conftest import assert_tree_consistent, by_external_id, fixture_path, run_import

pytestmark = pytest.mark.django_db


def test_disqus_threads_replies_states_and_html(site):
    User.objects.create_user(username="ana_r", email="ana@example.org", password="x" * 12)
    summary = run_import(site, "disqus", "disqus.xml")
    comments = by_external_id(site)

    assert summary.articles_seen == 2 and summary.articles_created == 2
    assert summary.comments_created == 6
    assert summary.skipped["thread deleted in Disqus"] == 1
    assert summary.skipped["comment of a thread deleted in Disqus"] == 1
    article = Article.objects.get(site=site, url="https://news.example/2024/harbour-bridge")
    assert article.title == "Harbour bridge reopens \u2013 finally"

    first = comments["disqus:1001"]
    assert first.body == "About time!\nSee [the works page](https://city.example/works)."
    assert "alert" not in first.body and "<script" not in first.body_html
    assert '<a href="https://city.example/works"' in first.body_html
    assert first.author_name == "Ana" and first.author_email == "ana@example.org"
    # Never linked to a local account of the same name: that would let anyone claim one.
    assert first.author is None
    assert first.created_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

    # The reply came before its parent in the file.
    reply = comments["disqus:1003"]
    assert reply.parent_id == first.pk and reply.depth == 1
    assert reply.body == "Agreed — **long** overdue."
    assert comments["disqus:1002"].status == Comment.Status.REJECTED  # isSpam
    deleted = comments["disqus:1004"]
    assert deleted.is_deleted and deleted.body == "" and deleted.status == Comment.Status.APPROVED
    assert comments["disqus:1005"].parent_id == deleted.pk
    russian = comments["disqus:2001"]
    assert russian.body == "Спасибо за новости… «отлично»"
    assert russian.created_at == datetime(2024, 3, 2, 6, 0, tzinfo=UTC)
    assert_tree_consistent(site)


def test_counts_and_versions_are_recomputed(site):
    run_import(site, "disqus", "disqus.xml", status="source")
    article = Article.objects.get(site=site, url="https://news.example/2024/harbour-bridge")
    # 1001, 1003, 1004 (deleted, keeps its reply), 1005 are visible; 1002 is spam.
    assert article.comment_count == 4
    assert article.top_level_count == Comment.objects.filter(article=article, depth=0).visible().count()
    assert article.version >= 1
    assert article.last_comment_at == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    comments = by_external_id(site)
    assert comments["disqus:1001"].reply_count == 2
    assert comments["disqus:1004"].reply_count == 1


def test_wxr_12_https_threads_states_and_pingbacks_skipped(site):
    summary = run_import(site, "wxr", "wxr-1.2-https.xml")
    comments = by_external_id(site)
    assert set(comments) == {"wp:news.example:21", "wp:news.example:22", "wp:news.example:23",
                             "wp:news.example:24"}
    assert summary.skipped["pingback (use --keep-pingbacks to import)"] == 1
    assert summary.skipped["trackback (use --keep-pingbacks to import)"] == 1
    assert summary.skipped["comment in the WordPress trash"] == 1
    first, reply, third = (comments[f"wp:news.example:{n}"] for n in (21, 22, 23))
    assert first.author_name == "Léa “the reader”"
    assert first.body == "First line\nSecond line with *emphasis* & an ampersand"
    assert first.created_at == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)  # the GMT date
    assert reply.parent_id == first.pk and third.parent_id == reply.pk and third.depth == 2
    assert reply.author_email == "sam@example.com"  # trailing newline in the export
    assert third.status == Comment.Status.PENDING  # comment_approved 0
    assert comments["wp:news.example:24"].status == Comment.Status.REJECTED  # spam
    assert Article.objects.get(site=site).url == "https://news.example/2024/budget-vote"
    assert_tree_consistent(site)


def test_wxr_keep_pingbacks(site):
    summary = run_import(site, "wxr", "wxr-1.2-https.xml", keep_pingbacks=True)
    assert summary.comments_created == 6
    pingback = by_external_id(site)["wp:news.example:26"]
    assert pingback.body == "[…] a pingback excerpt […]"


def test_wxr_10_http_namespace_latin1_and_local_dates(site):
    summary = run_import(site, "wxr", "wxr-1.0-latin1.xml")
    assert summary.comments_created == 2
    comments = by_external_id(site)
    renee = comments["wp:journal.example:1"]
    assert renee.author_name == "Renée"
    assert renee.body == "Très belle journée, ça fait plaisir."
    assert renee.created_at == datetime(2009, 7, 1, 12, 0, tzinfo=UTC)  # GMT date was 0000-00-00
    assert comments["wp:journal.example:2"].parent_id == renee.pk
    article = Article.objects.get(site=site)
    assert article.title == "Été à Zürich" and article.is_closed


def test_isso_json_with_relative_uris(site):
    summary = run_import(site, "isso", "isso.json")
    assert summary.articles_created == 2 and summary.comments_created == 3
    tram = Article.objects.get(site=site, url="https://news.example/2024/tram-line")
    comments = list(Comment.objects.filter(article=tram).order_by("path"))
    assert [c.author_name for c in comments] == ["Mia", "Anonymous"]
    assert comments[1].parent_id == comments[0].pk
    assert comments[1].body == "Anonymous reply — with a dash"
    assert by_external_id(site)["isso:/2024/zoo/#1"].body == "Gratulerer! 🐼"


def test_isso_sqlite_database(site, isso_db):
    summary = run_import(site, "isso", isso_db)
    comments = by_external_id(site)
    assert summary.comments_created == 4
    assert comments["isso:2"].parent_id == comments["isso:1"].pk
    assert comments["isso:3"].depth == 2 and comments["isso:3"].status == Comment.Status.PENDING
    assert comments["isso:4"].is_deleted
    assert comments["isso:1"].upvotes == 3 and comments["isso:1"].downvotes == 1
    assert comments["isso:2"].created_at == datetime.fromtimestamp(1706785200.5, tz=UTC)
    assert comments["isso:2"].edited_at is not None


def test_remark42_backup(site):
    summary = run_import(site, "remark42", "remark42.jsonl")
    comments = by_external_id(site)
    assert summary.comments_created == 4
    assert comments["remark42:c-1"].body == "Great **coverage**"  # the original markdown
    assert comments["remark42:c-2"].body == "Disagree & here's why"  # from the HTML
    assert comments["remark42:c-3"].depth == 2  # came before its parent c-2
    assert comments["remark42:c-1"].upvotes == 2 and comments["remark42:c-2"].downvotes == 1
    assert comments["remark42:c-4"].is_deleted
    assert Article.objects.get(site=site).title == "Election night"
    assert_tree_consistent(site)


def test_commento_export(site):
    summary = run_import(site, "commento", "commento.json")
    comments = by_external_id(site)
    assert summary.comments_created == 3
    nora = comments["commento:aa01"]
    assert (nora.author_name, nora.author_email, nora.upvotes) == ("Nora", "nora@example.org", 4)
    reply = comments["commento:aa02"]
    assert reply.parent_id == nora.pk and reply.author_name == "Anonymous"
    assert reply.body == "Fans sold out *everywhere*" and reply.status == Comment.Status.PENDING
    assert comments["commento:aa03"].is_deleted
    assert Article.objects.get(site=site).url == "https://news.example/2024/heatwave"


def test_pipeline_verdicts_decide_with_the_source_state(site):
    verdicts = {}
    def keep(comment, verdict):
        verdicts[comment.external_id] = verdict

    summary = run_import(site, "disqus", "disqus.xml", verdict_sink=keep)
    strictness = {"approved": 0, "pending": 1, "rejected": 2}
    source = {"disqus:1002": "rejected"}
    for comment in Comment.objects.filter(site=site):
        verdict = verdicts[comment.external_id]
        if comment.is_deleted:
            assert verdict.reasons == ()  # nothing to moderate
        expected = max(source.get(comment.external_id, "approved"), verdict.status, key=strictness.get)
        assert comment.status == expected
    assert sum(summary.statuses.values()) == summary.comments_created == len(verdicts)


def test_status_override(site):
    run_import(site, "wxr", "wxr-1.2-https.xml", status="approved")
    assert set(Comment.objects.filter(site=site).values_list("status", flat=True)) == {"approved"}


@pytest.mark.parametrize(("name", "fmt"), [
    ("disqus.xml", "disqus"), ("disqus-broken.xml", "disqus"), ("wxr-1.2-https.xml", "wxr"),
    ("wxr-1.0-latin1.xml", "wxr"), ("isso.json", "isso"), ("remark42.jsonl", "remark42"),
    ("commento.json", "commento"), ("page.txt", "page"),
])
def test_format_detection_for_audit(name, fmt):
    assert detect_format(fixture_path(name)) == fmt


def test_gzip_compressed_exports_are_read(site, tmp_path):
    compressed = tmp_path / "backup-chronicle.gz"
    with open(fixture_path("remark42.jsonl"), "rb") as plain, gzip.open(compressed, "wb") as out:
        out.write(plain.read())
    assert run_import(site, "remark42", str(compressed)).comments_created == 4
