"""Privacy commands, posting rules per site, and e-mail configuration."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agora import identity
from agora.accounts.models import SiteAuthSettings, User
from agora.comments.models import Comment
from agora.infra.email import from_url
from tests.accounts.helpers import call, post_comment, user_token

pytestmark = pytest.mark.django_db


def test_ip_is_stored_as_a_salted_hash_and_pruned_after_retention(client, site, article_url, settings):
    assert post_comment(client, site.slug, article_url, "first").status_code == 201
    comment = Comment.objects.get()
    assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash
    assert comment.ip_hash == identity.hash_ip("127.0.0.1")
    settings.IP_HASH_SALT = "another salt"
    assert identity.hash_ip("127.0.0.1") != comment.ip_hash

    call_command("prune_ip_hashes")
    assert Comment.objects.get().ip_hash  # recent: kept
    Comment.objects.update(created_at=timezone.now() - timedelta(days=91))
    call_command("prune_ip_hashes")
    assert Comment.objects.get().ip_hash == ""


def test_site_retention_overrides_the_default(client, site, article_url):
    SiteAuthSettings.objects.create(site=site, ip_retention_days=7)
    post_comment(client, site.slug, article_url, "first")
    Comment.objects.update(created_at=timezone.now() - timedelta(days=8))
    call_command("prune_ip_hashes")
    assert Comment.objects.get().ip_hash == ""


def test_admin_gdpr_export_and_delete(client, site, article_url, tmp_path, capsys):
    token = user_token(client, site.slug, "ada@example.org", "Ada")
    post_comment(client, site.slug, article_url, "for the record", token=token)
    output = tmp_path / "ada.json"
    call_command("gdpr", "export", "--user", "ada@example.org", "--output", str(output))
    data = json.loads(output.read_text())
    assert data["account"]["display_name"] == "Ada" and data["comments"][0]["body"] == "for the record"

    call_command("gdpr", "delete", "--user", "ada@example.org")
    assert User.objects.get().deletion_requested_at is not None
    call_command("gdpr", "delete", "--user", str(User.objects.get().pk), "--now")
    assert not User.objects.exists()
    assert Comment.objects.get().author_name == "[deleted account]"
    with pytest.raises(CommandError, match="No user"):
        call_command("gdpr", "export", "--user", "nobody@example.org")


def test_anonymous_posting_can_be_switched_off(client, site, article_url):
    SiteAuthSettings.objects.create(site=site, anonymous_allowed=False)
    response = post_comment(client, site.slug, article_url, "anonymous words")
    assert response.status_code == 403 and response.json()["code"] == "login_required"
    token = user_token(client, site.slug, "ada@example.org")
    assert post_comment(client, site.slug, article_url, "signed words", token=token).status_code == 201
    assert list(Comment.objects.values_list("body", flat=True)) == ["signed words"]


def test_unverified_address_cannot_post_where_verification_is_required(client, site, article_url, mailbox):
    SiteAuthSettings.objects.create(site=site, require_verified_email=True)
    token = user_token(client, site.slug, "ada@example.org")
    refused = post_comment(client, site.slug, article_url, "too early", token=token)
    assert refused.status_code == 403 and refused.json()["code"] == "email_unverified"
    assert not Comment.objects.exists()
    mailbox.wait_for(1)
    from urllib.parse import urlsplit

    client.get(urlsplit(mailbox.link(path="/accounts/verify/")).path)
    assert post_comment(client, site.slug, article_url, "now verified", token=token).status_code == 201


def test_resend_verification(client, site, mailbox):
    token = user_token(client, site.slug, "ada@example.org")
    assert call(client, "POST", "/auth/verification", token=token).status_code == 200
    assert len(mailbox.wait_for(2)) == 2


def test_email_urls():
    smtp = from_url("smtp://user:p%40ss@mail.example:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.example" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss" and smtp["EMAIL_USE_TLS"] is True
    assert from_url("smtps://mail.example")["EMAIL_PORT"] == 465
    assert from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ValueError, match="unknown"):
        from_url("carrier-pigeon://coop")
