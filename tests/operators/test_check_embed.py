"""`agora check --site SLUG --origin URL` says whether a page may embed a site's widget."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from agora.cli import main

pytestmark = pytest.mark.django_db


def test_an_allowed_origin_passes(site, capsys):
    assert main(["check", "--site", "chronicle", "--origin", "https://news.example/2026/any-article"]) == 0
    assert "OK: https://news.example may embed the comments of site 'chronicle'" in capsys.readouterr().out


def test_a_refused_origin_says_what_to_add_and_where(site):
    with pytest.raises(CommandError) as refused:
        call_command("check_embed", site="chronicle", origin="https://staging.news.example")
    message = str(refused.value)
    assert "Add https://staging.news.example to the allowed origins of site 'chronicle'" in message
    assert f"/admin/comments/site/{site.pk}/change/" in message


def test_unknown_site_and_bad_origin_are_clear_errors(site):
    with pytest.raises(CommandError, match="No site 'nowhere'"):
        call_command("check_embed", site="nowhere", origin="https://news.example")
    with pytest.raises(CommandError, match="needs an http"):
        call_command("check_embed", site="chronicle", origin="news.example")


def test_plain_agora_check_stays_djangos_system_check(capsys):
    assert main(["check"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out
