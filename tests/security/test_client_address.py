"""The client address cannot be forged: X-Forwarded-For is counted from the right, by the number of
trusted proxies or their networks, and set once into REMOTE_ADDR."""

from __future__ import annotations

import ipaddress

import pytest

from agora.comments.models import Comment
from agora.identity import ProxyPolicy, forwarded_client, hash_ip
from agora.moderation.models import ModerationSettings
from tests.api_client import reader_token

PROXY = "127.0.0.1"
CLIENT = "203.0.113.7"
NETWORKS = ProxyPolicy(networks=(ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.0/8")))


@pytest.mark.parametrize(("peer", "header", "policy", "expected"), [
    (PROXY, f"6.6.6.6, {CLIENT}", ProxyPolicy(hops=1), CLIENT),  # forged entry on the left
    (PROXY, f"6.6.6.6, {CLIENT}, 10.0.0.2", ProxyPolicy(hops=2), CLIENT),
    (PROXY, CLIENT, ProxyPolicy(hops=2), PROXY),  # shorter than the proxy chain: not through it
    (PROXY, "not-an-address", ProxyPolicy(hops=1), PROXY),
    (PROXY, f"6.6.6.6, {CLIENT}", ProxyPolicy(), PROXY),  # no proxy configured: header ignored
    (PROXY, f"6.6.6.6, {CLIENT}, 10.1.2.3", NETWORKS, CLIENT),
    (PROXY, "10.9.9.9, 10.1.2.3", NETWORKS, "10.9.9.9"),  # all proxies: the farthest one
    ("198.51.100.1", f"6.6.6.6, {CLIENT}", NETWORKS, "198.51.100.1"),  # peer is no proxy of ours
    (PROXY, f"{CLIENT}, garbage, 10.1.2.3", NETWORKS, "10.1.2.3"),
    (PROXY, "2001:db8::5, [2001:db8::7]", ProxyPolicy(hops=1), "2001:db8::7"),
])
def test_the_client_is_counted_from_the_right(peer, header, policy, expected):
    assert forwarded_client(peer, header, policy) == expected


def _post(client, token: str, forwarded: str, n: int):
    return client.post("/api/v1/comments", {"site": "chronicle", "url": "https://news.example/a",
                                            "body": f"Posted through the proxy, number {n}.",
                                            "author_name": "Ana"},
                       content_type="application/json", HTTP_X_AGORA_READER=token,
                       HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=PROXY)


@pytest.mark.django_db
def test_a_forged_leftmost_entry_is_not_the_address_kept(site, client, settings):
    settings.TRUST_X_FORWARDED_FOR = True  # the older switch: one proxy in front
    response = _post(client, reader_token(client), f"6.6.6.6, {CLIENT}", 0)
    assert response.status_code == 201, response.content
    assert Comment.objects.get().ip_hash == hash_ip(CLIENT)


@pytest.mark.django_db
def test_forged_addresses_do_not_escape_the_network_limit(site, client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    moderation = ModerationSettings.for_site(site)
    moderation.rate_limit_per_ip = 3
    moderation.save()
    statuses = [_post(client, reader_token(client), f"192.0.2.{n}, {CLIENT}", n).status_code
                for n in range(6)]
    assert statuses == [201, 201, 201, 429, 429, 429]
