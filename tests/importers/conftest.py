from __future__ import annotations

from pathlib import Path

import pytest

from agora.comments.models import Comment
from agora.importers import services
from agora.importers.loader import ImportOptions, Summary

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(name: str) -> str:
    return str(FIXTURES / name)


def run_import(site, fmt: str, name_or_path: str, **options) -> Summary:
    path = name_or_path if "/" in name_or_path else fixture_path(name_or_path)
    extra = {key: options.pop(key) for key in ("keep_pingbacks", "url") if key in options}
    return services.import_file(site, fmt, path, ImportOptions(progress=False, **options), **extra)


def by_external_id(site) -> dict[str, Comment]:
    return {c.external_id: c for c in Comment.objects.filter(site=site).select_related("parent")}


def assert_tree_consistent(site) -> None:
    """parent/root/depth/path agree with each other for every comment of the site."""
    for comment in Comment.objects.filter(site=site).select_related("parent"):
        segment = Comment.path_segment(comment.pk)
        if comment.parent is None:
            assert (comment.root_id, comment.depth, comment.path) == (comment.pk, 0, segment)
        else:
            parent = comment.parent
            assert comment.root_id == parent.root_id
            assert comment.depth == parent.depth + 1
            assert comment.path == f"{parent.path}.{segment}"
            assert comment.article_id == parent.article_id


@pytest.fixture
def isso_db(tmp_path) -> str:
    import sqlite3

    path = tmp_path / "comments.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "isso.sql").read_text())
    connection.commit()
    connection.close()
    return str(path)
