"""The accounts API end to end, with e-mail through a real local SMTP server."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from agora.accounts.models import SiteAuthSettings, SiteRole, User
from agora.comments.models import Comment
from tests.accounts.helpers import PASSWORD, call, login, post_comment, signup, user_token

pytestmark = pytest.mark.django_db


def test_signup_mails_a_confirmation_link_that_verifies(client, site, mailbox):
    response = signup(client, site.slug, "Ada@Example.org", "Ada")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == {**body["user"], "name": "Ada", "role": "commenter", "email_verified": False}
    token = body["reader_token"]

    mailbox.wait_for(1)
    assert mailbox.messages[0]["To"] == "ada@example.org"
    link = mailbox.link(path="/accounts/verify/")
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and b"E-mail confirmed" in page.content
    me = call(client, "GET", f"/auth/me?site={site.slug}", token=token).json()
    assert me["user"]["email_verified"] is True

    tampered = client.get(urlsplit(link).path[:-3] + "abc")
    assert tampered.status_code == 422 and b"not valid" in tampered.content


def test_signup_refuses_duplicates_weak_passwords_and_bad_addresses(client, site, mailbox):
    assert signup(client, site.slug, "ada@example.org").status_code == 201
    duplicate = signup(client, site.slug, "ADA@example.org")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "email_taken"
    weak = signup(client, site.slug, "bob@example.org", password="password")
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    bad = signup(client, site.slug, "not-an-address")
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    no_name = signup(client, site.slug, "carol@example.org", name="   ")
    assert no_name.status_code == 422 and no_name.json()["code"] == "name_required"
    assert User.objects.count() == 1


def test_signup_closed_and_unknown_site(client, site):
    SiteAuthSettings.objects.create(site=site, signup_allowed=False)
    closed = signup(client, site.slug, "ada@example.org")
    assert closed.status_code == 403 and closed.json()["code"] == "signup_closed"
    unknown = signup(client, "nowhere", "ada@example.org")
    assert unknown.status_code == 404 and unknown.json()["code"] == "site_not_found"
    assert not User.objects.exists()


def test_login_me_logout(client, site, mailbox):
    signup(client, site.slug, "ada@example.org", "Ada")
    response = login(client, site.slug, " ADA@example.org ")
    assert response.status_code == 200
    token = response.json()["reader_token"]
    assert call(client, "GET", "/auth/me", token=token).json()["user"]["name"] == "Ada"

    wrong = login(client, site.slug, "ada@example.org", "wrong password")
    assert wrong.status_code == 403 and wrong.json()["code"] == "bad_credentials"

    assert call(client, "POST", "/auth/logout", {}, token=token).status_code == 200
    assert call(client, "GET", "/auth/me", token=token).json() == {"user": None}
    assert call(client, "GET", "/auth/me").json() == {"user": None}


def test_logout_everywhere_ends_all_sessions(client, site):
    first = user_token(client, site.slug, "ada@example.org")
    second = login(client, site.slug, "ada@example.org").json()["reader_token"]
    call(client, "POST", "/auth/logout", {"everywhere": True}, token=first)
    assert call(client, "GET", "/auth/me", token=second).json() == {"user": None}


def test_role_is_per_site(client, site):
    token = user_token(client, site.slug, "mod@example.org")
    SiteRole.objects.create(user=User.objects.get(), site=site)
    me = call(client, "GET", f"/auth/me?site={site.slug}", token=token).json()
    assert me["user"]["role"] == "moderator"
    assert call(client, "GET", "/auth/me", token=token).json()["user"]["role"] == "commenter"


def test_password_reset_by_mail(client, site, mailbox):
    old_token = user_token(client, site.slug, "ada@example.org")
    mailbox.wait_for(1)
    assert call(client, "POST", "/auth/password-reset", {"email": "ada@example.org"}).status_code == 200
    assert call(client, "POST", "/auth/password-reset", {"email": "nobody@example.org"}).status_code == 200
    mailbox.wait_for(2)
    link = urlsplit(mailbox.link(path="/accounts/reset/")).path
    assert len(mailbox.messages) == 2  # nothing was sent for the unknown address

    assert client.get(link).status_code == 200
    weak = client.post(link, {"password": "123"})
    assert weak.status_code == 422
    done = client.post(link, {"password": "a brand new passphrase 99"})
    assert done.status_code == 200 and b"Password changed" in done.content
    assert client.get(link).status_code == 422  # used once

    assert login(client, site.slug, "ada@example.org").status_code == 403
    assert login(client, site.slug, "ada@example.org", "a brand new passphrase 99").status_code == 200
    assert call(client, "GET", "/auth/me", token=old_token).json() == {"user": None}


def test_password_reset_api_confirm(client, site, mailbox):
    user_token(client, site.slug, "ada@example.org")
    call(client, "POST", "/auth/password-reset", {"email": "ada@example.org"})
    mailbox.wait_for(2)
    _, _, uid, token = urlsplit(mailbox.link(path="/accounts/reset/")).path.strip("/").split("/")
    bad = call(client, "POST", "/auth/password-reset/confirm",
               {"uid": uid, "token": "nope-nope", "password": "another passphrase 77"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_link"
    ok = call(client, "POST", "/auth/password-reset/confirm",
              {"uid": uid, "token": token, "password": "another passphrase 77"})
    assert ok.status_code == 200
    assert login(client, site.slug, "ada@example.org", "another passphrase 77").status_code == 200


def test_profile_update(client, site):
    token = user_token(client, site.slug, "ada@example.org", "Ada")
    response = call(client, "PATCH", "/auth/me", {"display_name": "  Ada   Lovelace "}, token=token)
    assert response.status_code == 200 and response.json()["user"]["name"] == "Ada Lovelace"
    empty = call(client, "PATCH", "/auth/me", {"display_name": ""}, token=token)
    assert empty.status_code == 422
    assert call(client, "PATCH", "/auth/me", {"display_name": "X"}).status_code == 401
    assert User.objects.get().display_name == "Ada Lovelace"


def test_logged_in_comment_own_list_and_export(client, site, article_url):
    token = user_token(client, site.slug, "ada@example.org", "Ada")
    posted = post_comment(client, site.slug, article_url, "Signed **in**", token=token, name="ignored")
    assert posted.status_code == 201, posted.content
    comment = Comment.objects.get()
    assert comment.author.email == "ada@example.org" and comment.author_name == "Ada"

    own = call(client, "GET", "/auth/me/comments", token=token).json()
    assert [c["body"] for c in own["comments"]] == ["Signed **in**"]
    # The author can edit through the session token.
    edited = call(client, "PATCH", f"/comments/{comment.pk}", {"body": "Edited"}, token=token)
    assert edited.status_code == 201

    export = call(client, "GET", "/auth/me/export", token=token)
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    data = export.json()
    assert data["account"]["email"] == "ada@example.org"
    assert data["comments"][0]["body"] == "Edited"
    assert call(client, "GET", "/auth/me/export").status_code == 401


def test_anonymous_comments_stay_owned_after_login(client, site, article_url):
    anonymous = call(client, "POST", "/reader").json()["reader_token"]
    comment_id = post_comment(client, site.slug, article_url, "before login", token=anonymous).json()[
        "comment"]["id"]
    signup(client, site.slug, "ada@example.org")
    session = login(client, site.slug, "ada@example.org", token=anonymous).json()["reader_token"]
    response = call(client, "DELETE", f"/comments/{comment_id}", token=session)
    assert response.status_code == 200 and response.json()["deleted"] is True


@pytest.mark.parametrize("policy", ["anonymise", "remove"])
def test_account_deletion_after_grace_period(client, site, article_url, settings, policy):
    from django.core.management import call_command

    SiteAuthSettings.objects.create(site=site, deletion_policy=policy)
    token = user_token(client, site.slug, "ada@example.org", "Ada")
    post_comment(client, site.slug, article_url, "my words", token=token)
    response = call(client, "DELETE", "/auth/me", token=token)
    assert response.status_code == 202
    assert call(client, "GET", "/auth/me", token=token).json() == {"user": None}  # logged out

    call_command("purge_deleted_accounts")
    assert User.objects.count() == 1  # still in its grace period
    settings.ACCOUNT_DELETION_GRACE_DAYS = 0
    call_command("purge_deleted_accounts")
    assert not User.objects.exists()
    comment = Comment.objects.get()
    assert comment.author is None and comment.author_name == "[deleted account]"
    assert comment.ip_hash == "" and comment.author_email == ""
    assert (comment.body == "my words") == (policy == "anonymise")
    assert comment.is_deleted == (policy == "remove")
    thread = call(client, "GET", f"/threads?site={site.slug}&url={article_url}").json()
    if policy == "anonymise":
        assert thread["comments"][0]["author"]["name"] == "[deleted account]"
        assert thread["article"]["comment_count"] == 1
    else:  # removed, and without replies nothing is left to show or count
        assert thread["comments"] == [] and thread["article"]["comment_count"] == 0


def test_logging_in_during_grace_period_cancels_deletion(client, site, settings):
    token = user_token(client, site.slug, "ada@example.org")
    call(client, "DELETE", "/auth/me", token=token)
    assert login(client, site.slug, "ada@example.org").status_code == 200
    settings.ACCOUNT_DELETION_GRACE_DAYS = 0
    from django.core.management import call_command

    call_command("purge_deleted_accounts")
    assert User.objects.filter(username="ada@example.org").exists()


def test_password_is_hashed_with_argon2(client, site):
    user_token(client, site.slug, "ada@example.org")
    assert User.objects.get().password.startswith("argon2")
    assert PASSWORD not in User.objects.get().password


def test_display_names_pass_the_word_lists(client, site):
    refused = signup(client, site.slug, "ada@example.org", name="S1eg  H.e.i.l fan")
    assert refused.status_code == 422 and refused.json()["code"] == "name_not_allowed"
    assert not User.objects.exists()
    token = user_token(client, site.slug, "ada@example.org", "Ada")
    for body in ({"display_name": "kys"}, {"display_name": "KYS", "site": site.slug}):
        response = call(client, "PATCH", "/auth/me", body, token=token)
        assert response.status_code == 422 and response.json()["field"] == "display_name"
    assert User.objects.get().display_name == "Ada"
    # Whole words only: Scunthorpe is a town.
    town = call(client, "PATCH", "/auth/me", {"display_name": "Scunthorpe Sam"}, token=token)
    assert town.status_code == 200


def test_account_mails_to_one_address_are_capped_per_hour(client, site, mailbox):
    token = user_token(client, site.slug, "ada@example.org")  # the sign-up mail counts as one
    mailbox.wait_for(1)
    for _ in range(2):
        assert call(client, "POST", "/auth/password-reset", {"email": "ada@example.org"}).status_code == 200
    mailbox.wait_for(3)
    # Over the cap: the reset answers as always but sends nothing; a resend says why it did not.
    assert call(client, "POST", "/auth/password-reset", {"email": "ada@example.org"}).status_code == 200
    resend = call(client, "POST", "/auth/verification", token=token)
    assert (resend.status_code, resend.json()["code"]) == (429, "too_many_mails")
    time.sleep(0.5)
    assert len(mailbox.messages) == 3
