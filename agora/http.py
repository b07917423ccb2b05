"""The context of an API request: the client's address, the reader behind it, the site it
names, and the error schema every endpoint answers with.

`ClientAddressMiddleware` decides the client address once per request and stores it as
`REMOTE_ADDR`; everything after it (rate limits, login throttling, address hashes) reads that.

A proxy that appends to `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`, most load
balancers) keeps whatever the client sent on the left and adds the address it saw on the right.
So only the rightmost entries, those added by our own proxies, can be believed; the leftmost is
whatever the client chose. Like Werkzeug's ProxyFix, the address is counted from the right:

- `AGORA_TRUSTED_PROXY_HOPS=N`: N proxies in front of Agora, each appending one entry; the
  client is the Nth entry from the right (a shorter header did not come through them: the peer
  address stays);
- `AGORA_TRUSTED_PROXY_NETWORKS=10.0.0.0/8,...`: walking from the peer leftwards, addresses
  inside these networks are our proxies; the first one outside is the client (for proxy chains
  of varying length).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from agora.accounts.readers import identity_from_token
from agora.comments import services
from agora.comments.models import Site
from agora.identity import Actor, configured_policy, forwarded_client

READER_HEADER = "HTTP_X_AGORA_READER"


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


def client_address(meta: Mapping[str, str]) -> str:
    """The client's address by the configured proxy policy."""
    return forwarded_client(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""),
                            configured_policy())


class ClientAddressMiddleware:
    """Sets `REMOTE_ADDR` to the client's address as `client_address` decides it."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["REMOTE_ADDR"] = client_address(request.META)
        return self.get_response(request)


def request_actor(request: HttpRequest) -> Actor:
    """The reader behind `X-Agora-Reader`: anonymous, or a user for a valid session token."""
    ip = request.META.get("REMOTE_ADDR", "")
    identity = identity_from_token(request.META.get(READER_HEADER))
    if identity is None:
        return Actor(user=None, reader_id="", ip=ip)
    return Actor(user=identity.user, reader_id=identity.reader_id, ip=ip, aged=identity.aged)


def request_site(request: HttpRequest, slug: str) -> Site:
    """The site the request names, which must allow the request's origin."""
    site = services.get_site(slug)
    services.check_origin(site, request.META.get("HTTP_ORIGIN"))
    return site
