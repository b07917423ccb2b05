"""Who is acting, and the keys Agora knows people by: accounts, anonymous readers, networks.

One place for the client's network (what rate limits count and the author panel groups by),
the salted hashes of addresses kept with comments, and the author key that votes, flags,
rate limits and slow mode use.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from agora.accounts.models import User
    from agora.comments.models import Comment


def network_of(ip: str) -> str:
    """The network a client is counted under: /24 for IPv4, /48 for IPv6 (one household or
    office, whatever address inside it the client got). An IPv4-mapped IPv6 address is its
    IPv4 address. Loopback is never counted: it is a reverse proxy or a local tool speaking
    for everyone (configure the proxy's X-Forwarded-For with AGORA_TRUST_X_FORWARDED_FOR so
    that clients are told apart)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
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

    @property
    def voter_key(self) -> str:
        """Votes and flags count once per account or reader, never per network."""
        return author_key(self.user.pk if self.user is not None else None, self.reader_id)

    def owns(self, comment: Comment) -> bool:
        if self.user is not None and comment.author_id == self.user.pk:
            return True
        return bool(self.reader_id) and comment.reader_id == self.reader_id
