"""Authorisation matrix: every protected action by every kind of person.

Roles: anonymous, commenter (another account), author, moderator of another site, moderator of
the comment's site, admin. Refusals must carry the right status and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from agora.accounts.models import SiteRole, User
from agora.accounts.readers import issue_reader_token, issue_session_token
from agora.comments.models import Comment, Site
from tests.accounts.helpers import call, post_comment

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "commenter", "author", "other_site_moderator", "moderator", "admin"]


@dataclass
class World:
    site: Site
    comment: Comment
    users: dict[str, User | None]
    tokens: dict[str, str]

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


def _user(name: str, **fields) -> User:
    user = User.objects.create(username=f"{name}@example.org", email=f"{name}@example.org",
                               display_name=name, **fields)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def world(site, article_url) -> World:
    gazette = Site.objects.create(slug="gazette", name="Gazette", allowed_origins=["https://gazette.example"])
    users = {
        "anonymous": None,
        "commenter": _user("commenter"),
        "author": _user("author"),
        "other_site_moderator": _user("othermod", is_staff=True),
        "moderator": _user("moderator", is_staff=True),
        "admin": _user("admin", is_staff=True, is_superuser=True),
    }
    SiteRole.objects.create(user=users["other_site_moderator"], site=gazette)
    SiteRole.objects.create(user=users["moderator"], site=site)
    tokens = {role: issue_session_token(user) for role, user in users.items() if user}
    tokens["anonymous"] = issue_reader_token()[1]
    response = post_comment(Client(), site.slug, article_url, "the author's words", token=tokens["author"])
    assert response.status_code == 201, response.content
    return World(site=site, comment=Comment.objects.get(), users=users, tokens=tokens)


EDIT_EXPECTED = {"anonymous": 403, "commenter": 403, "author": 201, "other_site_moderator": 403,
                 "moderator": 403, "admin": 403}


@pytest.mark.parametrize("role", ROLES)
def test_edit_someone_elses_comment(client, world, role):
    response = call(client, "PATCH", f"/comments/{world.comment.pk}", {"body": f"edited by {role}"},
                    token=world.tokens[role])
    assert response.status_code == EDIT_EXPECTED[role], response.content
    world.comment.refresh_from_db()
    assert (world.comment.body == f"edited by {role}") == (role == "author")
    if role != "author":
        assert response.json()["code"] == "not_author"


@pytest.mark.parametrize("role", ROLES)
def test_delete_someone_elses_comment(client, world, role):
    response = call(client, "DELETE", f"/comments/{world.comment.pk}", token=world.tokens[role])
    assert response.status_code == (200 if role == "author" else 403)
    world.comment.refresh_from_db()
    assert world.comment.is_deleted == (role == "author")


@pytest.mark.parametrize("role", [*ROLES, "no_token"])
def test_vote(client, world, role):
    token = world.tokens.get(role)
    response = call(client, "POST", f"/comments/{world.comment.pk}/votes", {"value": 1}, token=token)
    expected = {"author": 403, "no_token": 403}.get(role, 200)
    assert response.status_code == expected, response.content
    world.comment.refresh_from_db()
    assert world.comment.upvotes == (1 if expected == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_data_export_is_always_ones_own(client, world, role):
    response = call(client, "GET", "/auth/me/export", token=world.tokens[role])
    if role == "anonymous":
        assert response.status_code == 401
        return
    data = response.json()
    assert data["account"]["email"] == f"{world.users[role].display_name}@example.org"
    bodies = [c["body"] for c in data["comments"]]
    assert bodies == (["the author's words"] if role == "author" else [])


@pytest.mark.parametrize("role", ROLES)
def test_own_comments_list_is_always_ones_own(client, world, role):
    response = call(client, "GET", "/auth/me/comments", token=world.tokens[role])
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert len(response.json()["comments"]) == (1 if role == "author" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_account_deletion_only_deletes_ones_own(client, world, role):
    response = call(client, "DELETE", "/auth/me", token=world.tokens[role])
    assert response.status_code == (401 if role == "anonymous" else 202)
    pending = set(User.objects.exclude(deletion_requested_at=None).values_list("pk", flat=True))
    assert pending == ({world.users[role].pk} if world.users[role] else set())


@pytest.mark.parametrize("role", ROLES)
def test_publisher_article_api_needs_the_site_key(client, world, role, article_url):
    response = call(client, "PUT", f"/sites/{world.site.slug}/articles",
                    {"url": article_url, "title": "Hijacked"}, token=world.tokens[role])
    assert response.status_code == 403 and response.json()["code"] == "bad_api_key"
    keyed = client.put(f"/api/v1/sites/{world.site.slug}/articles", {"url": article_url, "title": "Fine"},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {world.site.api_key}")
    assert keyed.status_code == 200


MODERATE_EXPECTED = {"anonymous": 302, "commenter": 403, "author": 403, "other_site_moderator": 404,
                     "moderator": 200, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_moderator_actions(world, role):
    client = world.client(role)
    response = client.post(f"/moderate/comments/{world.comment.pk}/reject", HTTP_ACCEPT="application/json")
    assert response.status_code == MODERATE_EXPECTED[role], response.content[:300]
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    world.comment.refresh_from_db()
    assert world.comment.status == ("rejected" if MODERATE_EXPECTED[role] == 200 else "approved")


@pytest.mark.parametrize("role", ROLES)
def test_moderation_queue_shows_only_moderated_sites(world, role):
    response = world.client(role).get("/moderate/queue/approved")
    assert response.status_code == {"anonymous": 302, "commenter": 403, "author": 403}.get(role, 200)
    if response.status_code == 200:
        shown = b"the author" in response.content
        assert shown == (role in {"moderator", "admin"})


def test_moderator_actions_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["moderator"])
    response = client.post(f"/moderate/comments/{world.comment.pk}/reject")
    assert response.status_code == 403
    world.comment.refresh_from_db()
    assert world.comment.status == "approved"


def test_api_token_is_not_a_workspace_login(world):
    """The widget's session token never opens the moderation workspace (no ambient credentials)."""
    response = Client().get("/moderate/queue/pending", HTTP_X_AGORA_READER=world.tokens["moderator"])
    assert response.status_code == 302
