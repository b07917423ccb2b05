"""Publisher single sign-on: the host site vouches for its logged-in reader with a JWT.

The token is HS256-signed with the site's `sso_secret`. Accepted claims, flat or in Coral's
nested form (`{"jti", "iat", "exp", "user": {"id", "email", "username", "role"}}`):

    sub | user.id            the publisher's user id (required)
    email | user.email       e-mail address (optional; treated as verified by the publisher)
    name | user.username     display name (required)
    role | user.role         optional: "commenter" or "moderator" (grants or removes the site role)
    iat, exp, jti            required; exp at most 1 day after iat; a jti is accepted once
    iss, aud                 optional; must match the site's sso_issuer / the site slug if present
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import jwt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from agora.accounts.models import SiteAuthSettings, SiteRole, User
from agora.accounts.services import clean_display_name
from agora.comments.models import Site
from agora.errors import Forbidden, InvalidInput

MAX_TOKEN_LENGTH = 4096
MAX_LIFETIME_SECONDS = 24 * 3600
CLOCK_LEEWAY_SECONDS = 60
_ROLES = {"commenter", "moderator"}


@dataclass(frozen=True)
class SsoClaims:
    subject: str
    email: str
    name: str
    role: str | None
    jti: str
    expires_at: int


def _refuse(message: str, code: str = "sso_invalid") -> Forbidden:
    return Forbidden(message, code=code, field="token")


def decode(site: Site, token: str) -> SsoClaims:
    """Verify a token for `site`; raises a clear error and writes nothing when it is refused."""
    secret = SiteAuthSettings.for_site(site).sso_secret
    if not secret:
        raise Forbidden(f"Site '{site.slug}' does not use single sign-on.", code="sso_disabled")
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidInput(f"The token is empty or longer than {MAX_TOKEN_LENGTH} characters.",
                           code="sso_malformed", field="token")
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], leeway=CLOCK_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "jti"], "verify_aud": False, "verify_iss": False},
        )
    except jwt.ExpiredSignatureError:
        raise _refuse("The sign-on token has expired.", "sso_expired") from None
    except jwt.InvalidSignatureError:
        raise _refuse("The sign-on token is not signed with this site's secret.", "sso_bad_signature") \
            from None
    except jwt.MissingRequiredClaimError as error:
        raise _refuse(f"The sign-on token lacks the '{error.claim}' claim.", "sso_missing_claim") from None
    except jwt.InvalidTokenError as error:
        raise InvalidInput(f"The sign-on token is malformed: {error}", code="sso_malformed",
                           field="token") from None
    _check_scope(site, claims)
    return _claims_of(claims)


def _check_scope(site: Site, claims: dict) -> None:
    issuer = SiteAuthSettings.for_site(site).sso_issuer
    if issuer and claims.get("iss") != issuer:
        raise _refuse("The sign-on token comes from another issuer.", "sso_wrong_site")
    audience = claims.get("aud")
    if audience is not None and site.slug not in (audience if isinstance(audience, list) else [audience]):
        raise _refuse(f"The sign-on token is meant for another site, not '{site.slug}'.", "sso_wrong_site")
    if not isinstance(claims["iat"], int | float) or not isinstance(claims["exp"], int | float):
        raise _refuse("The iat and exp claims must be numbers.", "sso_malformed")
    if claims["exp"] - claims["iat"] > MAX_LIFETIME_SECONDS:
        raise _refuse("The sign-on token lives longer than one day: issue short-lived tokens.",
                      "sso_lifetime")


def _text(value: object, claim: str, limit: int, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise _refuse(f"The sign-on token lacks the '{claim}' claim.", "sso_missing_claim")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > limit:
        raise _refuse(f"The '{claim}' claim must be a string of at most {limit} characters.",
                      "sso_malformed")
    return str(value).strip()


def _claims_of(claims: dict) -> SsoClaims:
    user = claims.get("user")
    if user is not None and not isinstance(user, dict):
        raise _refuse("The 'user' claim must be an object.", "sso_malformed")
    user = user or {}
    subject = _text(user.get("id", claims.get("sub")), "sub", 200)
    email = _text(user.get("email", claims.get("email")), "email", 254, required=False).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _refuse("The 'email' claim is not an e-mail address.", "sso_malformed") from None
    name = _text(user.get("username", user.get("name", claims.get("name"))), "name", 200)
    role = user.get("role", claims.get("role"))
    if role is not None:
        role = _text(role, "role", 20).lower()
        if role not in _ROLES:
            raise _refuse(f"Unknown role '{role}': use commenter or moderator.", "sso_malformed")
    return SsoClaims(subject=subject, email=email, name=name, role=role,
                     jti=_text(claims["jti"], "jti", 200), expires_at=int(claims["exp"]))


def _claim_jti(site: Site, claims: SsoClaims) -> None:
    """Accept each token once: cache.add is atomic, also across processes through Redis."""
    ttl = max(claims.expires_at - int(time.time()), 0) + CLOCK_LEEWAY_SECONDS
    if not cache.add(f"sso-jti:{site.pk}:{claims.jti}", 1, timeout=ttl):
        raise _refuse("This sign-on token was used already.", "sso_replayed")


def sso_username(site_slug: str, subject: str) -> str:
    """Unique and short whatever the publisher's id (up to 200 characters): the account itself is
    keyed by site and subject, never by a cut-down name."""
    return f"sso:{site_slug}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def sign_in(site: Site, token: str) -> User:
    """Create or update the site's user from a verified token."""
    claims = decode(site, token)
    display_name = clean_display_name(claims.name, site)
    _claim_jti(site, claims)
    with transaction.atomic():
        user, created = User.objects.select_for_update().get_or_create(
            sso_site=site, sso_subject=claims.subject,
            defaults={"username": sso_username(site.slug, claims.subject), "email": claims.email,
                      "display_name": display_name, "email_verified": bool(claims.email)},
        )
        if not user.is_active:
            raise Forbidden("This account is disabled.", code="account_disabled")
        if not created:
            user.email, user.display_name = claims.email, display_name
            user.email_verified = bool(claims.email)
            user.deletion_requested_at = None
            user.save(update_fields=["email", "display_name", "email_verified", "deletion_requested_at"])
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        _apply_role(site, user, claims.role)
    return user


def _apply_role(site: Site, user: User, role: str | None) -> None:
    if role == "moderator":
        SiteRole.objects.get_or_create(user=user, site=site)
    elif role == "commenter":
        SiteRole.objects.filter(user=user, site=site, role=SiteRole.Role.MODERATOR).delete()
