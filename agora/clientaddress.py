"""The client's address, decided once per request from the peer and `X-Forwarded-For`.

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

`ClientAddressMiddleware` writes the result into `REMOTE_ADDR`, so every app reads the one value.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ProxyPolicy:
    hops: int = 0
    networks: tuple[Network, ...] = ()

    @property
    def behind_proxy(self) -> bool:
        return bool(self.hops or self.networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: str, policy: ProxyPolicy) -> str:
    """The client's address by `policy`; the peer's whenever the header cannot be believed."""
    if not forwarded_for or not policy.behind_proxy:
        return peer
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if policy.networks:
        return _first_untrusted(peer, entries, policy.networks)
    if len(entries) < policy.hops:
        return peer
    chosen = _address(entries[-policy.hops])
    return str(chosen) if chosen is not None else peer


def _first_untrusted(peer: str, entries: list[str], networks: Iterable[Network]) -> str:
    def trusted(address) -> bool:
        return any(address.version == net.version and address in net for net in networks)

    current = _address(peer)
    if current is None or not trusted(current):
        return peer
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:
            break  # garbage from the client: the last proxy's view is all we know
        current = address
        if not trusted(address):
            break
    return str(current)


@cache
def _policy(hops: int, networks: tuple[str, ...]) -> ProxyPolicy:
    return ProxyPolicy(hops=max(0, hops),
                       networks=tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n))


def configured_policy() -> ProxyPolicy:
    hops = settings.TRUSTED_PROXY_HOPS
    if not hops and settings.TRUST_X_FORWARDED_FOR:
        hops = 1  # the older switch: one proxy that appends the address it saw
    return _policy(hops, tuple(settings.TRUSTED_PROXY_NETWORKS))


class ClientAddressMiddleware:
    """Sets `REMOTE_ADDR` to the client's address once, before any app reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        meta["REMOTE_ADDR"] = client_address(meta.get("REMOTE_ADDR", ""),
                                             meta.get("HTTP_X_FORWARDED_FOR", ""), configured_policy())
        return self.get_response(request)
