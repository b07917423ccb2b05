"""`agora demo --lang`: the demo newspaper, its widget's language and the admin's workspace."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from agora.accounts.models import User
from agora.comments.models import Site
from agora.demo import content
from agora.demo.views import DEMO_SITE

pytestmark = pytest.mark.django_db


def _demo(settings, tmp_path, *args: str) -> str:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_lang_switches_the_newspaper_and_the_admins_workspace(settings, tmp_path):
    printed = _demo(settings, tmp_path, "--lang", "de")
    assert "Language:     de" in printed
    assert Site.objects.get(slug=DEMO_SITE).language == "de"
    admin = User.objects.get(username="admin")
    assert admin.language == "de"

    article = Client().get(f"/news/{content.STORIES[0].slug}").content.decode()
    assert '<html lang="de" dir="ltr">' in article  # what the widget reads
    assert "Kommentare</h2>" in article
    workspace = Client()
    workspace.force_login(admin)
    queue = workspace.get("/moderate/queue/pending", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Warteschlangen" in queue

    _demo(settings, tmp_path, "--lang", "ar")
    front = Client().get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in front and "تعليق" in front
    _demo(settings, tmp_path)  # without --lang the demo keeps its language
    assert Site.objects.get(slug=DEMO_SITE).language == "ar"


def test_demo_refuses_a_language_it_does_not_have(settings, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        _demo(settings, tmp_path, "--lang", "xx")
