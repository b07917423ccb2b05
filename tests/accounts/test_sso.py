"""Publisher single sign-on: valid tokens log in; every bad token is refused, nothing written."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from agora.accounts.models import SiteAuthSettings, SiteRole, User
from agora.accounts.sso import sso_username
from agora.comments.models import Comment, Site
from tests.accounts.helpers import call, post_comment

pytestmark = pytest.mark.django_db
SECRET = "publisher-shared-secret-0123456789"


@pytest.fixture
def sso_site(site):
    SiteAuthSettings.objects.create(site=site, sso_secret=SECRET)
    return site


def make_token(secret: str = SECRET, lifetime: int = 300, **claims) -> str:
    now = int(time.time())
    body = {"sub": "42", "email": "reader@paper.example", "name": "Paper Reader",
            "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256")


def sso(client, site_slug: str, token: str):
    return call(client, "POST", "/auth/sso", {"site": site_slug, "token": token})


def test_flat_token_creates_then_updates_the_user(client, sso_site, article_url):
    response = sso(client, sso_site.slug, make_token())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["user"]["name"] == "Paper Reader" and body["user"]["sso"] is True
    user = User.objects.get()
    assert (user.sso_site, user.sso_subject) == (sso_site, "42")
    assert user.username == sso_username("chronicle", "42")
    assert user.email_verified and not user.has_usable_password()

    again = sso(client, sso_site.slug, make_token(name="Renamed Reader", email="new@paper.example"))
    assert again.status_code == 200 and User.objects.count() == 1
    assert User.objects.get().display_name == "Renamed Reader"

    posted = post_comment(client, sso_site.slug, article_url, "hello", token=again.json()["reader_token"])
    assert posted.status_code == 201 and Comment.objects.get().author == User.objects.get()


def test_coral_nested_user_claims_and_role(client, sso_site):
    now = int(time.time())
    token = jwt.encode({"jti": "coral-1", "iat": now, "exp": now + 60,
                        "user": {"id": "u-7", "email": "mod@paper.example", "username": "Moderator Mo",
                                 "role": "moderator"}}, SECRET, algorithm="HS256")
    response = sso(client, sso_site.slug, token)
    assert response.status_code == 200, response.content
    assert response.json()["user"]["role"] == "moderator"
    user = User.objects.get(sso_site=sso_site, sso_subject="u-7")
    assert SiteRole.objects.filter(user=user, site=sso_site).exists()
    demoted = sso(client, sso_site.slug, make_token(sub=None, user={"id": "u-7", "username": "Mo",
                                                                     "role": "commenter"}))
    assert demoted.json()["user"]["role"] == "commenter"


BAD_TOKENS = {
    "sso_replayed": None,  # built in the test
    "sso_expired": lambda: make_token(iat=int(time.time()) - 4000, lifetime=-3600),
    "sso_bad_signature": lambda: make_token(secret="another-sites-secret-0123456789"),
    "sso_wrong_site": lambda: make_token(aud="other-paper"),
    "sso_lifetime": lambda: make_token(lifetime=30 * 24 * 3600),
    "sso_missing_claim": lambda: make_token(jti=None),
    "sso_malformed": lambda: "not.a.jwt",
}


@pytest.mark.parametrize("code", sorted(BAD_TOKENS))
def test_bad_tokens_are_refused_and_nothing_is_written(client, sso_site, code):
    if code == "sso_replayed":
        token = make_token()
        assert sso(client, sso_site.slug, token).status_code == 200
        before = User.objects.count()
    else:
        token, before = BAD_TOKENS[code](), 0
    response = sso(client, sso_site.slug, token)
    assert response.status_code in (403, 422), response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert User.objects.count() == before


@pytest.mark.parametrize("token", [
    "x" * 5000,                                                      # oversized
    "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",                          # alg none
    jwt.encode({"sub": "1"}, "k", algorithm="HS512"),                # other algorithm
    "a.b",                                                            # too few segments
    "",
])
def test_malformed_and_oversized_tokens(client, sso_site, token):
    response = sso(client, sso_site.slug, token)
    assert response.status_code in (403, 422)
    assert response.json()["code"] in {"invalid", "sso_malformed", "sso_missing_claim", "sso_bad_signature"}
    assert not User.objects.exists()


def test_bad_claim_values(client, sso_site):
    for claims in ({"email": "no-at-sign"}, {"role": "admin"}, {"name": ""}, {"sub": ["list"]},
                   {"user": "string"}, {"name": "x" * 500}):
        response = sso(client, sso_site.slug, make_token(**claims))
        assert response.status_code in (403, 422), (claims, response.content)
    assert not User.objects.exists()


def test_other_site_token_and_disabled_sso(client, sso_site):
    other = Site.objects.create(slug="gazette", name="Gazette", allowed_origins=["https://news.example"])
    SiteAuthSettings.objects.create(site=other, sso_secret="the-gazette-secret-0123456789")
    assert sso(client, "gazette", make_token()).json()["code"] == "sso_bad_signature"
    third = Site.objects.create(slug="herald", name="Herald", allowed_origins=["https://news.example"])
    response = sso(client, third.slug, make_token())
    assert response.status_code == 403 and response.json()["code"] == "sso_disabled"
    assert sso(client, "nowhere", make_token()).status_code == 404
    assert not User.objects.exists()


def test_issuer_is_checked_when_configured(client, sso_site):
    rules = SiteAuthSettings.objects.get(site=sso_site)
    rules.sso_issuer = "https://paper.example"
    rules.save()
    assert sso(client, sso_site.slug, make_token()).json()["code"] == "sso_wrong_site"
    assert sso(client, sso_site.slug, make_token(iss="https://paper.example")).status_code == 200


def test_same_subject_on_two_sites_is_two_users(client, sso_site):
    other = Site.objects.create(slug="gazette", name="Gazette", allowed_origins=["https://news.example"])
    SiteAuthSettings.objects.create(site=other, sso_secret=SECRET)
    assert sso(client, sso_site.slug, make_token()).status_code == 200
    assert sso(client, other.slug, make_token()).status_code == 200
    assert sorted(User.objects.values_list("sso_site__slug", "sso_subject")) == [("chronicle", "42"),
                                                                                 ("gazette", "42")]


def test_long_subjects_sharing_a_prefix_are_two_accounts(client, sso_site):
    prefix = "publisher-user-" + "x" * 179
    first, second = prefix + "-alice", prefix + "-bob"  # up to 200 characters, alike for 195
    assert sso(client, sso_site.slug, make_token(sub=first, name="Alice")).status_code == 200
    assert sso(client, sso_site.slug, make_token(sub=second, name="Bob")).status_code == 200
    users = {user.sso_subject: user for user in User.objects.all()}
    assert set(users) == {first, second}
    assert users[first].display_name == "Alice" and users[second].display_name == "Bob"
    assert all(len(user.username) <= 150 for user in users.values())
    assert sso(client, sso_site.slug, make_token(sub=first, name="Alice again")).status_code == 200
    assert User.objects.count() == 2


@pytest.mark.redis
def test_replay_is_refused_across_processes_through_redis(client, sso_site, redis_url, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url, "KEY_PREFIX": "agora-test"}}
    import redis

    token = make_token()
    assert sso(client, sso_site.slug, token).status_code == 200
    keys = redis.Redis.from_url(redis_url).keys("*sso-jti*")
    assert keys, "the jti must be stored in the shared cache"
    assert sso(client, sso_site.slug, token).json()["code"] == "sso_replayed"


@pytest.mark.django_db(transaction=True)
def test_migration_keys_existing_sso_users_by_subject():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("accounts", "0003_identity")], [("accounts", "0004_sso_subject_key")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    site = Site.objects.create(slug="herald", name="Herald")  # the comments app is not rolled back
    OldUser = old.get_model("accounts", "User")
    OldUser.objects.create(username="sso:herald:42", sso_site_id=site.pk, sso_subject="42")
    OldUser.objects.create(username="sso:herald:u-9", sso_site_id=site.pk, sso_subject="")
    OldUser.objects.create(username="local@example.org", email="local@example.org")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        users = dict(User.objects.values_list("username", "sso_subject"))
        assert users == {sso_username("herald", "42"): "42", sso_username("herald", "u-9"): "u-9",
                         "local@example.org": ""}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
