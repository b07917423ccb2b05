"""Ban-evasion hints for the author panel: the same mailbox behind another address, throwaway
mailboxes, and new names from the same network as a banned author.

These are hints for a human: a match is a reason to look closer, never a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

# Providers that ignore dots in the local part.
DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
# A small shipped list of well-known throwaway-mailbox domains (no network lookups at run time).
DISPOSABLE_DOMAINS = frozenset({
    "10minutemail.com", "20minutemail.com", "33mail.com", "anonbox.net", "burnermail.io",
    "discard.email", "dispostable.com", "dropmail.me", "emailondeck.com", "fakeinbox.com",
    "getairmail.com", "getnada.com", "guerrillamail.biz", "guerrillamail.com", "guerrillamail.de",
    "guerrillamail.info", "guerrillamail.net", "guerrillamail.org", "guerrillamailblock.com",
    "harakirimail.com", "incognitomail.org", "inboxbear.com", "mailcatch.com", "maildrop.cc",
    "mailinator.com", "mailinator.net", "mailnesia.com", "mailsac.com", "mintemail.com", "mohmal.com",
    "mytemp.email", "mytrashmail.com", "nada.email", "sharklasers.com", "spam4.me", "spamgourmet.com",
    "temp-mail.io", "temp-mail.org", "tempail.com", "tempinbox.com", "tempmail.dev", "tempmail.net",
    "tempmailo.com", "tempr.email", "throwawaymail.com", "trashmail.com", "trashmail.de",
    "trashmail.net", "yopmail.com", "yopmail.fr", "yopmail.net", "mailpoof.com", "emailfake.com",
    "moakt.com", "grr.la", "pokemail.net", "spambox.us", "tmpmail.org", "tmail.ws",
})


@dataclass(frozen=True)
class EmailHints:
    canonical: str
    is_alias: bool
    is_disposable: bool


def canonical_email(email: str) -> str:
    """The mailbox an address delivers to: lower case, no `+tag`, no dots for Gmail."""
    email = email.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return email
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def email_hints(email: str) -> EmailHints | None:
    if not email or "@" not in email:
        return None
    canonical = canonical_email(email)
    domain = email.rpartition("@")[2].strip().lower()
    return EmailHints(canonical=canonical, is_alias=canonical != email.strip().lower(),
                      is_disposable=is_disposable(domain))


def is_disposable(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    parts = domain.split(".")
    # Subdomains of a throwaway provider are throwaway too.
    return any(".".join(parts[i:]) in DISPOSABLE_DOMAINS for i in range(len(parts) - 1))


