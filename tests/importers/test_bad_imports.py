"""History must not be lost or garbled: statuses kept, bad rows skipped and reported, encodings
read right or refused, every field checked."""

from __future__ import annotations

import pytest

from agora.comments.models import Article, Comment
from agora.importers.models import ImportRun
from agora.importers.records import ImportFormatError
from tests.importers.conftest import by_external_id, run_import

pytestmark = pytest.mark.django_db


def test_history_of_a_closed_thread_keeps_its_status_under_site(site):
    summary = run_import(site, "disqus", "disqus-closed-thread.xml")
    comments = by_external_id(site)
    assert Article.objects.get(site=site).is_closed
    assert comments["disqus:11"].status == Comment.Status.APPROVED
    # A link from an author without approved comments here is a rule for posting now, not history.
    assert comments["disqus:13"].status == Comment.Status.APPROVED
    assert comments["disqus:12"].status == Comment.Status.REJECTED  # spam in the source stays spam
    assert summary.statuses == {"approved": 2, "rejected": 1}


def test_site_status_still_applies_the_rules_about_the_text(site):
    from agora.moderation.models import ModerationSettings

    ModerationSettings.objects.update_or_create(site=site, defaults={"link_deny_domains": ["elsewhere.example"]})
    run_import(site, "disqus", "disqus-closed-thread.xml")
    assert by_external_id(site)["disqus:13"].status == Comment.Status.REJECTED


def test_re_moderation_is_asked_for_with_pending(site):
    run_import(site, "disqus", "disqus-closed-thread.xml", status="pending")
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_an_unreadable_date_skips_that_row_and_reports_it(site):
    summary = run_import(site, "disqus", "disqus-unreadable-date.xml")
    assert set(by_external_id(site)) == {"disqus:21", "disqus:23"}
    assert summary.skipped["post with an unreadable date"] == 1
    assert "post 22 (line" in summary.skipped_examples["post with an unreadable date"]
    # The thread's own impossible date (30 February) keeps the thread, undated, and says so.
    article = Article.objects.get(site=site)
    assert article.published_at is None
    assert any("thread 20" in note and "unreadable date" in note for note in summary.notices)
    assert any("unreadable date" in line for line in summary.lines())


def test_cp1251_declared_as_utf8_is_recovered_and_said_so(site):
    summary = run_import(site, "disqus", "disqus-cp1251-declared-utf8.xml")
    comments = by_external_id(site)
    assert comments["disqus:31"].body == "Спасибо за статью, очень интересно."
    assert comments["disqus:31"].author_name == "Иван Петров"
    assert comments["disqus:32"].body == "Согласен — мост давно пора было открыть."
    assert Article.objects.get(site=site).title == "Ночные новости"
    assert any("declares UTF-8 but is Windows-1251" in note for note in summary.notices)


def test_another_encoding_declared_as_utf8_is_refused_with_its_place(site):
    with pytest.raises(ImportFormatError, match=r"line 5, byte \d+: the file declares UTF-8 but is not UTF-8"):
        run_import(site, "disqus", "disqus-cp1252-declared-utf8.xml")
    assert not Comment.objects.exists() and not ImportRun.objects.exists()


@pytest.mark.parametrize("name", ["wxr-utf16.xml", "wxr-utf16be-no-bom.xml"])
def test_utf16_wordpress_export_is_read(site, name):
    summary = run_import(site, "wxr", name)
    comments = by_external_id(site)
    assert summary.comments_created == 2
    assert comments["wp:zeitung.example:1"].body == "Schöne Grüße zurück! 👋"
    assert comments["wp:zeitung.example:2"].parent_id == comments["wp:zeitung.example:1"].pk
    assert comments["wp:zeitung.example:2"].author_name == "Zoë"
    assert Article.objects.get(site=site).title == "Grüße aus Köln"


def test_utf16_file_is_detected_for_audit(tmp_path):
    from agora.importers.services import detect_format
    from tests.importers.conftest import fixture_path

    assert detect_format(fixture_path("wxr-utf16.xml")) == "wxr"
