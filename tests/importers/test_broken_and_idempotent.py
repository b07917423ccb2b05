"""Broken exports are repaired and reported; malformed ones fail cleanly and write nothing;
importing twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from agora.comments.models import Article, Comment
from agora.importers.models import ImportRun
from agora.importers.records import ImportFormatError
from tests.importers.conftest import assert_tree_consistent, by_external_id, fixture_path, run_import

pytestmark = pytest.mark.django_db


def test_disqus_repairs_stray_bytes_unquoted_attributes_and_control_chars(site):
    summary = run_import(site, "disqus", "disqus-broken.xml")
    comments = by_external_id(site)
    assert summary.comments_created == 2
    assert comments["disqus:5001"].body == "Bell and vertical tab"
    assert comments["disqus:5002"].parent_id == comments["disqus:5001"].pk
    notes = "\n".join(summary.notices)
    assert "stray characters before the XML declaration removed: 1 line(s) (line 1)" in notes
    assert "unquoted attribute values quoted: 3 line(s) (line 3, 12, 19)" in notes
    assert "control characters not allowed in XML removed: 1 line(s) (line 9)" in notes


def test_disqus_truncated_file_keeps_what_it_can_and_reports_the_rest(site):
    summary = run_import(site, "disqus", "disqus-truncated.xml")
    assert set(by_external_id(site)) == {"disqus:6001"}
    assert any(note.startswith("could not parse line") for note in summary.notices)


@pytest.mark.parametrize(("fmt", "name", "place"), [
    ("wxr", "wxr-malformed.xml", "line 44, column"),
    ("commento", "commento-malformed.json", "comment 2: invalid JSON"),
])
def test_malformed_file_names_the_place_and_writes_nothing(site, fmt, name, place):
    with pytest.raises(ImportFormatError, match=place):
        run_import(site, fmt, name)
    assert not Comment.objects.exists() and not Article.objects.exists() and not ImportRun.objects.exists()


def test_malformed_json_lines_name_the_line(site, tmp_path):
    good = tmp_path / "broken.jsonl"
    with open(fixture_path("remark42.jsonl"), encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    lines.insert(3, '{"id": "broken", ')
    good.write_text("\n".join(lines))
    with pytest.raises(ImportFormatError, match="line 4: invalid JSON"):
        run_import(site, "remark42", str(good))
    assert not Comment.objects.exists()


def test_a_file_of_another_kind_is_refused(site):
    with pytest.raises(ImportFormatError, match="not a Disqus export"):
        run_import(site, "disqus", "wxr-1.2-https.xml")


def test_command_reports_error_and_leaves_database_unchanged(site):
    with pytest.raises(CommandError, match=r"wxr-malformed.xml: line 44.*nothing was imported"):
        call_command("import", fixture_path("wxr-malformed.xml"), format="wxr", site=site.slug,
                     no_progress=True)
    assert not Comment.objects.exists()
    with pytest.raises(CommandError, match="no site 'nowhere'"):
        call_command("import", fixture_path("disqus.xml"), format="disqus", site="nowhere", no_progress=True)


@pytest.mark.parametrize(("fmt", "name"), [
    ("disqus", "disqus.xml"), ("wxr", "wxr-1.2-https.xml"), ("isso", "isso.json"),
    ("remark42", "remark42.jsonl"), ("commento", "commento.json"), ("page", "page.txt"),
])
def test_importing_twice_adds_nothing(site, fmt, name):
    first = run_import(site, fmt, name)
    before = list(Comment.objects.order_by("pk").values())
    versions = dict(Article.objects.values_list("pk", "version"))
    second = run_import(site, fmt, name)
    assert second.comments_created == 0 and second.articles_created == 0
    assert second.skipped["already imported"] == first.comments_created
    assert list(Comment.objects.order_by("pk").values()) == before
    assert dict(Article.objects.values_list("pk", "version")) == versions  # nothing touched
    assert_tree_consistent(site)


def test_command_prints_summary(site, capsys):
    call_command("import", fixture_path("wxr-1.2-https.xml"), format="wxr", site=site.slug,
                 no_progress=True)
    out = capsys.readouterr().out
    assert "articles: 1 in file, 1 new" in out
    assert "comments: 4 imported" in out
    assert "authors: 3" in out
    assert "1 x comment in the WordPress trash" in out


def test_create_site(db):
    call_command("import", fixture_path("commento.json"), format="commento", site="newsroom",
                 create_site=True, no_progress=True)
    assert Comment.objects.filter(site__slug="newsroom").count() == 3


def test_external_entities_are_never_resolved(site, tmp_path):
    hostile = tmp_path / "xxe.xml"
    hostile.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        '<thread dsq:id="1"><link>https://news.example/x</link></thread>\n'
        '<post dsq:id="2"><message>before &secret; after</message>'
        '<createdAt>2024-01-01T00:00:00Z</createdAt><author><name>X</name></author>'
        '<thread dsq:id="1"/></post>\n</disqus>\n', encoding="utf-8")
    run_import(site, "disqus", str(hostile))
    body = Comment.objects.get(site=site).body
    assert "root:" not in body and body.startswith("before")


def test_progress_bar_shows_counts_and_rate(site, capsys):
    call_command("import", fixture_path("wxr-1.2-https.xml"), format="wxr", site=site.slug,
                 status="pending")
    err = capsys.readouterr().err
    assert "import wxr: " in err and " records" in err and "records/s" in err
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_export_of_unknown_site_is_an_error(db):
    with pytest.raises(CommandError, match="No site 'nowhere'"):
        call_command("export", site="nowhere")


def test_a_banned_author_in_the_file_skips_that_row_and_imports_the_rest(site):
    from agora.moderation.models import Standing

    Standing.objects.create(site=site, email="spam@spam.example", banned=True, ban_reason="Spam.")
    summary = run_import(site, "disqus", "disqus.xml")
    comments = by_external_id(site)
    assert "disqus:1002" not in comments and summary.comments_created == 5
    [(reason, count)] = [(r, n) for r, n in summary.skipped.items() if r.startswith("refused")]
    assert count == 1 and "(banned)" in reason and "Spam." in reason
    assert summary.skipped_examples[reason] == "disqus:1002"
    assert {"disqus:1001", "disqus:1005", "disqus:2001"} <= set(comments)
    assert ImportRun.objects.filter(site=site).count() == 1
    assert_tree_consistent(site)
