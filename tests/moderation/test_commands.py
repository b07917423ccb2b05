"""Management commands: the word list and the export of training labels."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from agora.comments import services
from agora.moderation.models import Decision, WordListEntry
from tests.moderation.conftest import post_direct

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_wordlist_add_test_remove_export_import(site, tmp_path):
    assert "banned" in run("wordlist", "chronicle")
    assert "Added 1 suspect" in run("wordlist", "chronicle", "--add", "harbour tax", "--kind", "suspect")
    found = run("wordlist", "chronicle", "--test", "No harbour  TAX!")
    assert "'harbour  TAX' (entry 'harbour tax')" in found
    run("wordlist", "chronicle", "--remove", "harbour tax")
    assert run("wordlist", "chronicle", "--test", "No harbour tax!") == ""

    exported = run("wordlist", "chronicle", "--export")
    assert exported.startswith("[banned]\n") and "\n[suspect]\n" in exported
    listing = tmp_path / "extra.txt"
    listing.write_text("# ours\n[suspect]\nbridge troll\n[banned]\nfaggot\n")
    assert "Imported 2 entries (1 new)" in run("wordlist", "chronicle", "--import", str(listing))
    assert WordListEntry.objects.get(site=site, phrase="bridge troll").kind == "suspect"
    with pytest.raises(CommandError):
        run("wordlist", "nowhere")


def test_export_labels_prints_moderator_overrides(site, article_url, admin_user, without_model):
    held = post_direct(site, article_url, "The minister is a prick.", ignore_nudge=True).comment
    post_direct(site, article_url, "An approved remark.", reader="r2")
    services.set_status(held, "approved")
    Decision.objects.create(comment=held, status="approved", source="moderator", actor=admin_user,
                            is_label=True, label="ok")
    [line] = run("export_labels", "--site", "chronicle").splitlines()
    assert json.loads(line)["text"] == "The minister is a prick."
    assert json.loads(line)["label"] == "ok"
