"""A site's team: SiteRole in the admin, the workspace's Team page for site admins, and e-mail
invitations that let someone without an account choose a password and start moderating."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from agora.accounts.models import SiteRole, User
from agora.comments.models import Site
from agora.moderation.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "harbour-bridge-2026-long"


@pytest.fixture
def site_admin(site) -> User:
    user = User.objects.create_user("editor@news.example", email="editor@news.example", password=PASSWORD,
                                    display_name="Eda Editor")
    SiteRole.objects.create(user=user, site=site, role=SiteRole.Role.ADMIN)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_site_roles_are_in_the_admin(site, site_admin):
    boss = User.objects.create_superuser("boss", "boss@news.example", PASSWORD)
    admin = logged_in(boss)
    listing = admin.get("/admin/accounts/siterole/")
    assert listing.status_code == 200 and "editor@news.example" in listing.content.decode()
    moderator = User.objects.create_user("mod@news.example", email="mod@news.example")
    added = admin.post("/admin/accounts/siterole/add/", {"user": moderator.pk, "site": site.pk,
                                                          "role": "moderator"})
    assert added.status_code == 302
    assert SiteRole.objects.filter(user=moderator, site=site, role="moderator").exists()
    # The user page lists the roles inline.
    assert admin.get(f"/admin/accounts/user/{moderator.pk}/change/").status_code == 200


def test_an_invitation_creates_the_account_with_its_role(site, site_admin):
    page = logged_in(site_admin)
    assert "Team" in page.get("/moderate/queue/pending").content.decode()
    sent = page.post("/moderate/team", {"site": "chronicle", "email": "New.Mod@News.example",
                                        "role": "moderator"}, follow=True)
    assert "Invitation sent to New.Mod@News.example." in sent.content.decode()
    (message,) = mail.outbox
    assert message.to == ["new.mod@news.example"] and "The Chronicle" in message.subject
    link = re.search(r"http://\S+/accounts/invitation/\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert AuditEntry.objects.filter(action="team.invited", site=site).exists()

    visitor = Client()
    form = visitor.get(f"/{path}")
    assert "Join the team of The Chronicle" in form.content.decode()
    weak = visitor.post(f"/{path}", {"display_name": "Nia", "password": "123"})
    assert weak.status_code == 422 and not User.objects.filter(username="new.mod@news.example").exists()
    joined = visitor.post(f"/{path}", {"display_name": "Nia", "password": PASSWORD})
    assert joined.status_code == 302 and joined["Location"] == "/moderate/"
    user = User.objects.get(username="new.mod@news.example")
    assert SiteRole.objects.get(user=user).role == "moderator" and user.email_verified
    assert visitor.get("/moderate/queue/pending").status_code == 200
    spent = Client().get(f"/{path}")
    assert spent.status_code == 409 and "accepted already" in spent.content.decode()


def test_inviting_an_existing_account_grants_the_role_at_once(site, site_admin):
    reader = User.objects.create_user("reader@news.example", email="reader@news.example")
    logged_in(site_admin).post("/moderate/team", {"site": "chronicle", "email": "reader@news.example",
                                                  "role": "admin"})
    assert SiteRole.objects.get(user=reader, site=site).role == "admin"
    assert "/moderate/" in mail.outbox[0].body


def test_only_site_admins_manage_a_team_and_only_their_sites(site, site_admin):
    other = Site.objects.create(slug="herald", name="The Herald", allowed_origins=[])
    moderator = User.objects.create_user("mod@news.example", email="mod@news.example")
    SiteRole.objects.create(user=moderator, site=site)
    assert logged_in(moderator).get("/moderate/team").status_code == 403
    assert "Team" not in logged_in(moderator).get("/moderate/queue/pending").content.decode()
    admin = logged_in(site_admin)
    assert admin.post("/moderate/team", {"site": other.slug, "email": "x@news.example",
                                         "role": "moderator"}).status_code == 404
    page = admin.get("/moderate/team").content.decode()
    assert "mod@news.example" in page and "The Herald" not in page
    removed = admin.post("/moderate/team", {"site": "chronicle", "action": "remove", "user": moderator.pk},
                         follow=True)
    assert "Removed from the team of The Chronicle." in removed.content.decode()
    assert not SiteRole.objects.filter(user=moderator).exists()
    themselves = admin.post("/moderate/team", {"site": "chronicle", "action": "remove",
                                               "user": site_admin.pk}, follow=True)
    assert "You cannot remove yourself" in themselves.content.decode()
    assert mail.outbox == []


def test_a_bad_invitation_link_is_explained(site):
    response = Client().get("/accounts/invitation/not-a-token")
    assert response.status_code == 422 and "not valid" in response.content.decode()


def test_the_login_page_offers_a_password_reset(site, site_admin):
    login = Client().get("/accounts/login/").content.decode()
    assert "Log in to moderation" in login and 'href="/accounts/password-reset/"' in login
    asked = Client().post("/accounts/password-reset/", {"email": "editor@news.example"})
    assert "a link to choose a new password is on its way" in asked.content.decode()
    assert "/accounts/reset/" in mail.outbox[0].body
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@news.example"})
    assert unknown.content == asked.content and len(mail.outbox) == 1
