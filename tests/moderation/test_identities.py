"""Identities that cost something: new reader tokens are limited per network, their flags and
votes weigh little until they have standing, flags count once per network, a flood of tokens is
shown to moderators, and bans hold (votes, flags, subscriptions; networks and linked authors)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from agora.accounts.models import SiteRole, User
from agora.accounts.readers import reader_from_token
from agora.comments.models import Comment, Vote
from agora.moderation.models import AuditEntry, Decision, Standing
from tests.api_client import aged_reader_token
from tests.moderation.conftest import ORIGIN

pytestmark = pytest.mark.django_db
URL = "https://news.example/2026/harbour-bridge"


def address(network: int, host: int = 5) -> str:
    return f"198.51.{network}.{host}"


def call(client: Client, method: str, path: str, token: str = "", ip: str = "", **payload):
    response = getattr(client, method)(path, payload, content_type="application/json",
                                       HTTP_X_AGORA_READER=token, REMOTE_ADDR=ip or "127.0.0.1")
    return response.status_code, response.json()


def new_token(client: Client, ip: str) -> str:
    status, body = call(client, "post", "/api/v1/reader", ip=ip)
    assert status == 201, body
    return body["reader_token"]


def old_token(client: Client, ip: str) -> str:
    return aged_reader_token(Client(HTTP_ORIGIN=ORIGIN, REMOTE_ADDR=ip))


def post(client: Client, token: str, ip: str, body: str = "The harbour plan needs a second look."):
    return call(client, "post", "/api/v1/comments", token, ip, site="chronicle", url=URL, body=body,
                author_name="Ana")


def flag(client: Client, comment_id: int, token: str, ip: str) -> int:
    return call(client, "post", f"/api/v1/comments/{comment_id}/flags", token, ip, reason="abusive")[0]


def vote(client: Client, comment_id: int, token: str, ip: str) -> int:
    return call(client, "post", f"/api/v1/comments/{comment_id}/votes", token, ip, value=1)[0]


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ORIGIN=ORIGIN)


@pytest.fixture
def comment_id(client, without_model) -> int:
    status, body = post(client, new_token(client, address(1)), address(1))
    assert status == 201, body
    return body["comment"]["id"]


@pytest.fixture
def moderator(site) -> User:
    user = User.objects.create_user(username="mona", password="x" * 16, email="mona@example.org")
    SiteRole.objects.create(user=user, site=site, role=SiteRole.Role.MODERATOR)
    return user


def test_new_tokens_are_limited_per_network(site, client, settings):
    settings.READER_TOKENS_PER_NETWORK_PER_HOUR = 5
    statuses = [call(client, "post", "/api/v1/reader", ip=address(7, host))[0] for host in range(1, 8)]
    assert statuses == [201] * 5 + [429] * 2
    assert call(client, "post", "/api/v1/reader", ip=address(8))[0] == 201


def test_loopback_is_limited_too_when_asked_to(site, client, settings):
    settings.READER_TOKENS_PER_NETWORK_PER_HOUR = 2
    settings.RATE_LIMIT_LOOPBACK = True
    assert [call(client, "post", "/api/v1/reader")[0] for _ in range(3)] == [201, 201, 429]


def test_three_fresh_tokens_cannot_hide_a_comment(client, comment_id, mod_settings):
    for network in (2, 3, 4):
        assert flag(client, comment_id, new_token(client, address(network)), address(network)) == 201
    assert Comment.objects.get(pk=comment_id).status == "approved"


def test_flags_count_once_per_network(client, comment_id):
    for host in (10, 11, 12, 13):
        assert flag(client, comment_id, old_token(client, address(2, host)), address(2, host)) == 201
    assert Comment.objects.get(pk=comment_id).status == "approved"
    for network in (3, 4):
        assert flag(client, comment_id, old_token(client, address(network)), address(network)) == 201
    assert Comment.objects.get(pk=comment_id).status == "pending"
    held = Decision.objects.filter(comment_id=comment_id, source=Decision.Source.FLAGS).get()
    assert held.reasons[0]["message"] == "Reader flags weighing 3 from 3 networks (threshold 3)."


def test_a_trusted_reader_flag_weighs_double(site, client, comment_id):
    token = new_token(client, address(2))
    Standing.objects.create(site=site, reader_id=reader_from_token(token), trusted=True)
    assert flag(client, comment_id, token, address(2)) == 201
    assert flag(client, comment_id, old_token(client, address(3)), address(3)) == 201
    assert Comment.objects.get(pk=comment_id).status == "pending"


def test_forty_fresh_tokens_from_one_network_are_one_vote(client, comment_id, settings):
    settings.READER_TOKENS_PER_NETWORK_PER_HOUR = 100  # past the issuance limit, for the votes alone
    statuses = [vote(client, comment_id, new_token(client, address(5, host)), address(5, host))
                for host in range(40)]
    assert set(statuses) == {200}
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.upvotes, comment.score) == (1, 1)
    assert Vote.objects.filter(comment=comment).count() == 40


def test_votes_with_standing_count_fully(client, comment_id, without_model):
    for network in (2, 3):
        assert vote(client, comment_id, old_token(client, address(network)), address(network)) == 200
    author, quick = new_token(client, address(4)), new_token(client, address(4, 6))
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        assert post(client, author, address(4), "An approved comment, two hours old.")[0] == 201
    assert post(client, quick, address(4, 6), "Posted a second before voting.")[0] == 201
    assert vote(client, comment_id, author, address(4)) == 200
    assert Comment.objects.get(pk=comment_id).upvotes == 3
    assert vote(client, comment_id, quick, address(4, 6)) == 200
    assert Comment.objects.get(pk=comment_id).upvotes == 4  # the first vote of a new reader there


def test_a_flood_of_new_tokens_is_held_for_moderators(client, without_model, settings):
    settings.READER_TOKEN_FLOOD_PER_HOUR = 4
    tokens = [new_token(client, address(6, host)) for host in range(4)]
    status, body = post(client, tokens[-1], address(6, 3))
    assert (status, body["result"]) == (201, "pending")
    decision = Decision.objects.get(comment_id=body["comment"]["id"])
    assert decision.rules == ["reader_token_flood"]
    assert "4 new reader tokens" in decision.reasons[0]["message"]
    assert post(client, new_token(client, address(9)), address(9))[1]["result"] == "approved"


def test_a_banned_reader_cannot_vote_flag_or_subscribe(site, client, comment_id):
    token = old_token(client, address(2))
    own_id = post(client, token, address(2), "Posted before the ban.")[1]["comment"]["id"]
    Standing.objects.update_or_create(site=site, user=None, reader_id=reader_from_token(token),
                                      defaults={"banned": True, "ban_reason": "spam"})
    assert vote(client, comment_id, token, address(2)) == 403
    assert flag(client, comment_id, token, address(2)) == 403
    status, body = post(client, token, address(2))
    assert (status, body["code"]) == (403, "banned")
    status, body = call(client, "post", "/api/v1/live/subscriptions", token, address(2), comment=own_id,
                        email="ana@example.org")
    assert (status, body["code"]) == (403, "banned")


def _ban(client: Client, moderator: User, comment: Comment, *cover: str):
    client.force_login(moderator)
    return client.post(f"/moderate/authors/reader/{comment.reader_id}/actions",
                       {"site": "chronicle", "action": "ban", "reason": "Sock puppets", "cover": list(cover)})


def test_a_ban_can_cover_the_network_and_linked_authors(site, client, comment_id, moderator, without_model):
    banned = Comment.objects.get(pk=comment_id)
    sock = new_token(client, address(1, 77))
    sock_comment = post(client, sock, address(1, 77), "A second voice from the same place.")[1]["comment"]
    _ban(Client(), moderator, banned, "network", "linked")
    sock_reader = Comment.objects.get(pk=sock_comment["id"]).reader_id
    assert Standing.objects.get(site=site, reader_id=sock_reader).banned  # linked by the network
    newcomer = new_token(client, address(1, 99))
    status, body = post(client, newcomer, address(1, 99), "A brand new token from the banned network.")
    assert (status, body["code"]) == (403, "banned")
    other = Comment.objects.create(site=site, article=banned.article, author_name="Bo", body="Hi",
                                   body_html="<p>Hi</p>", created_at=banned.created_at)
    assert vote(client, other.pk, newcomer, address(1, 99)) == 403
    assert post(client, new_token(client, address(2)), address(2))[0] == 201


def test_a_plain_ban_covers_neither_network_nor_linked(site, client, comment_id, moderator, without_model):
    _ban(Client(), moderator, Comment.objects.get(pk=comment_id))
    assert post(client, new_token(client, address(1, 99)), address(1, 99))[0] == 201


def test_removing_a_banned_authors_comments_is_one_logged_action(site, client, comment_id, moderator,
                                                                 without_model):
    author = Comment.objects.get(pk=comment_id)
    mod = Client()
    mod.force_login(moderator)
    path = f"/moderate/authors/reader/{author.reader_id}/actions"
    refused = mod.post(path, {"site": "chronicle", "action": "remove_comments"},
                       HTTP_ACCEPT="application/json")
    assert refused.status_code == 409
    _ban(mod, moderator, author)
    assert mod.post(path, {"site": "chronicle", "action": "remove_comments", "reason": "Spam run"},
                    HTTP_ACCEPT="application/json").status_code == 200
    assert set(Comment.objects.filter(reader_id=author.reader_id).values_list("status", flat=True)) == {
        "rejected"}
    entry = AuditEntry.objects.get(action="author.remove_comments")
    assert (entry.after["rejected"], entry.reason) == ([comment_id], "Spam run")


@pytest.mark.django_db(transaction=True)
def test_concurrent_fresh_votes_from_one_network_count_once(site, client, without_model):
    comment_id = post(client, new_token(client, address(1)), address(1))[1]["comment"]["id"]
    voters = [(new_token(client, address(5, host)), address(5, host)) for host in range(6)]
    start = threading.Barrier(len(voters))
    statuses: list[int] = []

    def cast(token: str, ip: str) -> None:
        start.wait()
        try:
            statuses.append(vote(Client(HTTP_ORIGIN=ORIGIN), comment_id, token, ip))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=voter) for voter in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    assert Comment.objects.get(pk=comment_id).upvotes == 1
    assert Vote.objects.filter(comment_id=comment_id, counted=True).count() == 1
