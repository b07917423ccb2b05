"""SQLite online backups with retention; the admin upload form."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agora.accounts.models import User
from agora.comments.models import Comment
from agora.importers.backup import backup_sqlite
from agora.importers.models import ImportRun
from tests.importers.conftest import fixture_path


def _database(path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)")
    db.executemany("INSERT INTO t (text) VALUES (?)", [(f"row {n} \u2026",) for n in range(500)])
    db.commit()
    db.close()


def test_backup_copies_a_consistent_database_and_keeps_the_newest(tmp_path):
    source = tmp_path / "agora.sqlite3"
    _database(source)
    writer = sqlite3.connect(source)  # a live writer with an open transaction does not block the copy
    writer.execute("INSERT INTO t (text) VALUES ('uncommitted')")
    made = [backup_sqlite(source, tmp_path / "backups", keep=2) for _ in range(3)]
    writer.rollback()
    writer.close()
    kept = sorted((tmp_path / "backups").glob("agora-*.sqlite3"))
    assert kept == [made[1][0], made[2][0]]
    assert made[2][1] == [made[0][0]]  # the third backup removed the oldest
    copy = sqlite3.connect(kept[-1])
    assert copy.execute("SELECT count(*) FROM t").fetchone() == (500,)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert not list((tmp_path / "backups").glob("*.partial"))


@pytest.mark.django_db
def test_backup_command_on_postgresql_points_to_pg_dump():
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="--keep must be at least 1"):
            call_command("backup", keep=0)
    else:
        with pytest.raises(CommandError, match="pg_dump"):
            call_command("backup")


@pytest.mark.django_db
def test_admin_upload_imports_a_file(client, site):
    admin = User.objects.create_superuser(username="root", email="root@example.org", password="x" * 12)
    client.force_login(admin)
    page = client.get("/admin/importers/importrun/upload/")
    assert page.status_code == 200 and b"Import a file" in page.content
    with open(fixture_path("commento.json"), "rb") as upload:
        response = client.post("/admin/importers/importrun/upload/",
                               {"site": site.pk, "format": "commento", "status": "approved", "file": upload},
                               follow=True)
    assert response.status_code == 200
    assert b"comments: 3 imported" in response.content
    assert Comment.objects.filter(site=site, status="approved").count() == 3
    assert ImportRun.objects.get().source == "commento.json"
    with open(fixture_path("wxr-malformed.xml"), "rb") as upload:
        response = client.post("/admin/importers/importrun/upload/",
                               {"site": site.pk, "format": "wxr", "status": "site", "file": upload})
    assert b"line 44, column" in response.content and b"nothing was imported" in response.content
    assert Comment.objects.filter(site=site).count() == 3
