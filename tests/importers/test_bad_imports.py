"""History must not be lost or garbled: statuses kept, bad rows skipped and reported, encodings
read right or refused, every field checked."""

from __future__ import annotations

from pathlib import Path

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

    ModerationSettings.objects.update_or_create(site=site,
                                                defaults={"link_deny_domains": ["elsewhere.example"]})
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
    refused = r"line 5, byte \d+: the file declares UTF-8 but is not UTF-8"
    with pytest.raises(ImportFormatError, match=refused):
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


def _commento(tmp_path, content: str) -> str:
    path = tmp_path / "commento.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


_GOOD_COMMENT = ('{"commentHex": "c1", "url": "https://news.example/a", "markdown": "Fine", '
                 '"parentHex": "root", "creationDate": "2024-07-10T12:00:00Z", "deleted": false}')


@pytest.mark.parametrize(("content", "message"), [
    ('{"comments": [' + _GOOD_COMMENT + ', ' + _GOOD_COMMENT.replace('"c1"', '"c2"').replace("false", '"no"')
     + '], "commenters": []}', r"comment 2: field deleted: input should be a valid boolean \(found 'no'\)"),
    ('{"comments": [' + _GOOD_COMMENT.replace('"https://news.example/a"', "42") + '], "commenters": []}',
     r"comment 1: field url: input should be a valid string \(found 42\)"),
    ('{"comments": [' + _GOOD_COMMENT.replace('"root"', '"root", "score": "7"') + '], "commenters": []}',
     r"comment 1: field score: input should be a valid integer \(found '7'\)"),
    ('{"comments": [' + _GOOD_COMMENT.replace('"root"', '"root", "state": "gone"') + '], "commenters": []}',
     r"comment 1: field state: input should be 'approved', 'unapproved' or 'flagged' \(found 'gone'\)"),
    ('{"comments": [' + _GOOD_COMMENT.replace("2024-07-10T12:00:00Z", "tomorrow") + '], "commenters": []}',
     r"comment 1, field creationDate: unreadable date 'tomorrow'"),
    ('{"comments": [' + _GOOD_COMMENT + '], "commenters": [{"commenterHex": 5, "name": "N"}]}',
     r"commenter 1: field commenterHex: input should be a valid string \(found 5\)"),
    ('{"comments": [' + _GOOD_COMMENT + '], "commenters": ["Nora"]}',
     "commenter 1: expected an object, found a string"),
    ('{"comments": {}}', "field comments: expected a list, found an object"),
    ('{"comments": [' + _GOOD_COMMENT + ', 7]}', "comment 2: expected an object, found a number"),
    ("[1, 2, 3]", "not a Commento export: the file holds a list"),
    ('{"version": 1, "commenters": []}', 'not a Commento export: no "comments" list'),
])
def test_commento_fields_are_validated_naming_the_first_bad_one(site, tmp_path, content, message):
    with pytest.raises(ImportFormatError, match=message):
        run_import(site, "commento", _commento(tmp_path, content))
    assert not Comment.objects.exists() and not ImportRun.objects.exists()


def test_commento_valid_booleans_and_empty_list_import(site, tmp_path):
    content = '{"comments": [' + _GOOD_COMMENT + '], "commenters": []}'
    summary = run_import(site, "commento", _commento(tmp_path, content))
    assert summary.comments_created == 1
    assert not Comment.objects.get().is_deleted
    empty = run_import(site, "commento", _commento(tmp_path, '{"comments": [], "commenters": []}'))
    assert empty.comments_created == 0


def test_isso_json_fields_are_validated(site, tmp_path):
    path = tmp_path / "isso.json"
    path.write_text('[{"id": "/a/", "comments": [{"id": 1, "created": "2024-02-01 10:00:00", "text": "ok"},'
                    ' {"id": 2, "created": "2024-02-01 11:00:00", "text": ["not", "text"]}]}]')
    with pytest.raises(ImportFormatError, match=r"thread 1, comment 2: field text: input should be a valid"):
        run_import(site, "isso", str(path))
    path.write_text('[{"id": "/a/", "comments": {"id": 1}}]')
    with pytest.raises(ImportFormatError, match=r"thread 1: field comments: input should be a valid list"):
        run_import(site, "isso", str(path))
    assert not Comment.objects.exists()


def test_isso_database_rows_are_validated(site, isso_db):
    import sqlite3

    connection = sqlite3.connect(isso_db)
    connection.execute("UPDATE comments SET mode = 'approved' WHERE id = (SELECT max(id) FROM comments)")
    connection.commit()
    connection.close()
    with pytest.raises(ImportFormatError, match=r"comment \d+: field mode: input should be a valid integer"):
        run_import(site, "isso", isso_db)
    assert not Comment.objects.exists()


def test_remark42_fields_are_validated(site, tmp_path):
    path = tmp_path / "remark42.jsonl"
    path.write_text('{"version": 1}\n'
                    '{"id": "c-1", "locator": {"url": "https://news.example/a"}, "text": "ok", '
                    '"time": "2024-06-01T10:00:00Z", "delete": "false"}\n')
    with pytest.raises(ImportFormatError, match=r"line 2: field delete: input should be a valid boolean"):
        run_import(site, "remark42", str(path))
    assert not Comment.objects.exists()


def test_disqus_post_with_an_unreadable_flag_is_skipped_and_reported(site, tmp_path):
    from tests.importers.conftest import fixture_path

    text = Path(fixture_path("disqus-unreadable-date.xml")).read_text(encoding="utf-8")
    text = text.replace("<isSpam>false</isSpam>", "<isSpam>maybe</isSpam>", 1)
    path = tmp_path / "disqus.xml"
    path.write_text(text, encoding="utf-8")
    summary = run_import(site, "disqus", str(path))
    assert set(by_external_id(site)) == {"disqus:23"}
    example = summary.skipped_examples["post with an unreadable field"]
    assert example.startswith("post 21 (line") and "field isSpam" in example and "'maybe'" in example


def test_wxr_ids_are_validated(site, tmp_path):
    from tests.importers.conftest import fixture_path

    text = Path(fixture_path("wxr-1.2-https.xml")).read_text(encoding="utf-8")
    text = text.replace("<wp:comment_parent>0</", "<wp:comment_parent>first</", 1)
    path = tmp_path / "wxr.xml"
    path.write_text(text, encoding="utf-8")
    refused = r"comment \d+ \(line \d+\): field comment_parent: string should match"
    with pytest.raises(ImportFormatError, match=refused):
        run_import(site, "wxr", str(path))
    assert not Comment.objects.exists()
