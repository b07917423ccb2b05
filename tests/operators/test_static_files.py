"""Static files: collected once per change of the sources, served by WhiteNoise with hashed
names, compression and far-future caching; the favicon."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from agora import staticfiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    assert staticfiles.collect_if_changed() is True
    return settings.STATIC_ROOT


def test_collection_runs_again_only_when_the_sources_change(collected):
    manifest = (collected / "staticfiles.json").read_text()
    assert '"admin/css/base.css"' in manifest and '"agora/i18n/en.json"' in manifest
    assert staticfiles.collect_if_changed() is False
    (collected / staticfiles.STAMP_NAME).write_text("older sources")
    assert staticfiles.collect_if_changed() is True


def test_admin_css_is_served_hashed_compressed_and_cached_for_a_year(collected):
    login = Client().get("/admin/login/")
    hashed = next(part.split('"')[0] for part in login.content.decode().split('href="')
                  if part.startswith("/static/admin/css/base."))
    assert hashed != "/static/admin/css/base.css"
    served = Client().get(hashed, HTTP_ACCEPT_ENCODING="gzip")
    assert served.status_code == 200
    assert served["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in served["Cache-Control"] and "immutable" in served["Cache-Control"]


def test_favicon(collected):
    redirect = Client().get("/favicon.ico")
    assert redirect.status_code == 302
    icon = Client().get(redirect["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"


def test_translations_of_the_widget_are_readable_from_any_origin(collected):
    catalogue = Client().get("/static/agora/i18n/en.json", HTTP_ORIGIN="https://news.example")
    assert catalogue.status_code == 200
    assert catalogue["Access-Control-Allow-Origin"] == "*"
    assert json.loads(b"".join(catalogue.streaming_content))["comments_one"] == "{count} comment"
