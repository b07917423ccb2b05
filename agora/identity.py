"""Who is acting, and the keys Agora knows people by: accounts, anonymous readers, networks.

One place for the client's network (what rate limits count and the author panel groups by),
the salted hashes of addresses kept with comments, and the author key that votes, flags,
rate limits and slow mode use.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from agora.accounts.models import User
    from agora.comments.models import Comment


# ---- the client's address behind proxies (agora.http.ClientAddressMiddleware applies it) ------

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


def forwarded_client(peer: str, forwarded_for: str, policy: ProxyPolicy) -> str:
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


def loopback_is_exempt() -> bool:
    """Without a configured proxy, a loopback peer is usually a reverse proxy speaking for
    everyone, so it is not counted. Behind a configured proxy the address is the client's own,
    and AGORA_RATE_LIMIT_LOOPBACK=true counts loopback anyway (tests, the demo)."""
    if settings.RATE_LIMIT_LOOPBACK:
        return False
    return not configured_policy().behind_proxy


def network_of(ip: str) -> str:
    """The network a client is counted under: /24 for IPv4, /48 for IPv6 (one household or
    office, whatever address inside it the client got). An IPv4-mapped IPv6 address is its
    IPv4 address. "" for loopback while it is exempt (`loopback_is_exempt`)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback and loopback_is_exempt():
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _salted(value: str) -> str:
    return hashlib.sha256(f"{settings.IP_HASH_SALT}:{value}".encode()).hexdigest()[:32]


def hash_ip(ip: str) -> str:
    """Salted hash of the address; the address itself is not kept."""
    return _salted(ip) if ip else ""


def hash_network(ip: str) -> str:
    """Salted hash of the address's network (`network_of`); "" when it has none."""
    network = network_of(ip)
    return _salted(f"net:{network}") if network else ""


def author_key(user_id: int | None, reader_id: str, ip: str = "") -> str:
    """The account, else the anonymous reader, else (when an address is given) the network."""
    if user_id is not None:
        return f"user:{user_id}"
    if reader_id:
        return f"reader:{reader_id}"
    network = network_of(ip) if ip else ""
    return f"net:{network}" if network else ""


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account, an anonymous reader, or both unknown."""

    user: User | None = None
    reader_id: str = ""
    ip: str = ""
    # An anonymous token old enough to have standing (agora.moderation.reputation).
    aged: bool = False

    @property
    def voter_key(self) -> str:
        """Votes and flags count once per account or reader, never per network."""
        return author_key(self.user.pk if self.user is not None else None, self.reader_id)

    def owns(self, comment: Comment) -> bool:
        if self.user is not None and comment.author_id == self.user.pk:
            return True
        return bool(self.reader_id) and comment.reader_id == self.reader_id
