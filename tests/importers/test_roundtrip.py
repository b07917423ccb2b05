"""`agora export` then `agora import --format agora` into an empty database loses nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Comment, Site, Vote
from agora.importers import export
from tests.importers.conftest import assert_tree_consistent, run_import

pytestmark = pytest.mark.django_db


def _canonical(site: Site) -> list:
    """The export with database ids replaced by what they point to: comparable across databases."""
    dump = []
    for record in export.records(site):
        record = json.loads(json.dumps(record, default=str))
        record.pop("pk", None)
        for name, value in list(record.get("fields", {}).items()):
            if isinstance(value, dict) and set(value) == {"model", "pk"}:
                record["fields"][name] = f"row of {value['model']}"
        dump.append(record)
    return dump


def _populate(site: Site, url: str) -> None:
    site.max_depth = 7
    site.allowed_origins = ["https://news.example", "https://www.news.example"]
    site.save()
    editor = User.objects.create_user(username="editor", email="ed@news.example", password="x" * 12)
    SiteRole.objects.create(user=editor, site=site, role=SiteRole.Role.MODERATOR)
    ada = services.Actor(reader_id="reader-ada", ip="203.0.113.5")
    bob = services.Actor(reader_id="reader-bob", ip="203.0.113.6")
    top = services.post_comment(site=site, url=url, body="First *thoughts*", actor=ada, author_name="Ada",
                                author_email="ada@example.org", title="Harbour bridge").comment
    reply = services.post_comment(site=site, url=url, body="A reply", actor=bob, author_name="Bob",
                                  parent_id=top.pk).comment
    deep = services.post_comment(site=site, url=url, body="Deeper", actor=services.Actor(user=editor),
                                 parent_id=reply.pk).comment
    services.post_comment(site=site, url=url + "-2", body="Another article", actor=bob, author_name="Bob")
    services.vote(top, 1, bob)
    services.vote(reply, -1, ada)
    services.set_status(deep, Comment.Status.PENDING)
    run_import(site, "disqus", "disqus.xml")  # comments that carry external ids


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_export_import_round_trip_loses_nothing(site, article_url, tmp_path, fmt):
    _populate(site, article_url)
    before = _canonical(site)
    path = tmp_path / f"export.{fmt}"
    call_command("export", site=site.slug, output=str(path), format=fmt)

    # Empty the database of everything the site owned, as on a fresh server.
    slug = site.slug
    site.delete()
    User.objects.all().delete()
    assert not Comment.objects.exists() and not Vote.objects.exists()

    call_command("import", str(path), format="agora", site=slug, create_site=True, no_progress=True)
    restored = Site.objects.get(slug=slug)
    after = _canonical(restored)
    assert [r["type"] for r in after] == [r["type"] for r in before]
    assert after == before
    assert Vote.objects.filter(comment__site=restored).count() == 2
    assert SiteRole.objects.get(site=restored).user.username == "editor"
    assert not User.objects.get(username="editor").has_usable_password()
    assert_tree_consistent(restored)
    # Counters are rebuilt from the restored comments.
    for article in restored.articles.all():
        assert article.comment_count == article.comments.filter(status="approved").count()


def test_reimporting_an_export_adds_nothing(site, article_url, tmp_path):
    _populate(site, article_url)
    path = tmp_path / "export.jsonl"
    call_command("export", site=site.slug, output=str(path))
    before = _canonical(site)
    count = Comment.objects.count()
    call_command("import", str(path), format="agora", site=site.slug, no_progress=True)
    assert Comment.objects.count() == count
    assert _canonical(site) == before


def test_export_to_stdout_is_json_lines(site, article_url, capsysbinary):
    services.post_comment(site=site, url=article_url, body="Hello", actor=services.Actor(reader_id="r"),
                          author_name="Ada")
    call_command("export", site=site.slug)
    lines = capsysbinary.readouterr().out.decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0] == {"type": "header", "format": "agora", "version": 1, "site": site.slug}
    assert [r["type"] for r in records].count("comment") == 1
