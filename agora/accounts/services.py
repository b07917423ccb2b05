"""Accounts: sign-up, login, e-mail verification, password reset, profile, logout.

Views stay thin and call these functions. Every function validates everything before it
writes anything.
"""

from __future__ import annotations

import hashlib
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts import throttle
from agora.accounts.backends import ThrottledModelBackend, client_ip
from agora.accounts.models import SiteAuthSettings, SiteRole, User
from agora.accounts.readers import identity_from_token, issue_session_token, revoke_session_token
from agora.comments.models import Site
from agora.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from agora.i18n.languages import CODES
from agora.i18n.recipients import speaking
from agora.moderation import wordlists
from agora.moderation.matcher import BANNED, WordMatcher

_VERIFY_SALT = "agora.verify-email"
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes any length; refuse absurd inputs early


# ---- presentation ----------------------------------------------------------------------------

def role_on(user: User, site: Site | None) -> str:
    """commenter, moderator or admin on `site` (superusers are admins everywhere)."""
    if user.is_superuser:
        return "admin"
    if site is None:
        return "commenter"
    role = SiteRole.objects.filter(user=user, site=site).values_list("role", flat=True).first()
    return role or "commenter"


def avatar_seed(email: str) -> str:
    """A salted hash for identicons: the same person looks the same, the address stays secret."""
    if not email:
        return ""
    salted = f"{settings.IP_HASH_SALT}:avatar:{email.strip().lower()}"
    return hashlib.sha256(salted.encode()).hexdigest()[:16]


def user_out(user: User, site: Site | None) -> dict:
    return {"id": user.pk, "name": user.public_name(), "role": role_on(user, site),
            "email": user.email, "email_verified": user.email_verified,
            "sso": user.sso_site_id is not None, "avatar": avatar_seed(user.email),
            "language": user.language}


# ---- validation ------------------------------------------------------------------------------

def clean_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", code="invalid_email", field="email") from None
    return email


def normalize_display_name(name: str, field: str = "display_name") -> str:
    """One space between words, not empty, at most 80 characters."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Enter a display name.", code="name_required", field=field)
    if len(name) > 80:
        raise InvalidInput("The display name is longer than 80 characters.", code="too_long", field=field)
    return name


def clean_display_name(name: str, site: Site | None = None) -> str:
    name = normalize_display_name(name)
    check_display_name_words(name, site)
    return name


@cache
def _default_word_matcher():
    return WordMatcher(wordlists.default_entries())


def check_display_name_words(name: str, site: Site | None) -> None:
    """Display names pass the moderation word lists: a banned word (through obfuscation) is
    refused. The site's list when the site is known, else the shipped default list."""
    matcher = wordlists.matcher_for(site) if site is not None else _default_word_matcher()
    if any(hit.kind == BANNED for hit in matcher.find(name)):
        raise InvalidInput("This display name contains a word that is not allowed here.",
                           code="name_not_allowed", field="display_name")


def clean_password(password: str, user: User) -> None:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("The password is too long.", code="invalid_password", field="password")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), code="weak_password", field="password") from None


def site_settings(site: Site) -> SiteAuthSettings:
    return SiteAuthSettings.for_site(site)


# ---- sign-up, login, logout ------------------------------------------------------------------

def signup(site: Site, email: str, password: str, display_name: str) -> User:
    if not site_settings(site).signup_allowed:
        raise Forbidden(f"Site '{site.slug}' does not offer Agora accounts.", code="signup_closed")
    email = clean_email(email)
    display_name = clean_display_name(display_name, site)
    user = User(username=email, email=email, display_name=display_name)
    clean_password(password, user)
    if User.objects.filter(username=email).exists():
        raise Conflict("An account with this e-mail address exists: log in instead.",
                       code="email_taken", field="email")
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent sign-up with the same address
        raise Conflict("An account with this e-mail address exists: log in instead.",
                       code="email_taken", field="email") from None
    send_verification_email(user)
    return user


def login(request: HttpRequest, email: str, password: str) -> User:
    """Check the password behind the failure limits; a pending deletion is cancelled."""
    identifier = email.strip().lower()
    throttle.check_login_allowed(identifier, client_ip(request))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("The password is too long.", code="invalid_password", field="password")
    try:
        user = ThrottledModelBackend().authenticate(request, username=identifier, password=password)
    except PermissionDenied:  # locked by a concurrent failure since the check above
        throttle.check_login_allowed(identifier, client_ip(request))
        user = None
    if user is None:
        raise Forbidden("Wrong e-mail address or password.", code="bad_credentials")
    if user.deletion_requested_at is not None:
        User.objects.filter(pk=user.pk).update(deletion_requested_at=None)
        user.deletion_requested_at = None
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def session_token_for(user: User, previous_token: str | None) -> str:
    """A new session token; keeps the reader id of the token the widget had before."""
    identity = identity_from_token(previous_token)
    return issue_session_token(user, identity.reader_id if identity else "")


def logout(token: str | None, everywhere: bool) -> None:
    identity = identity_from_token(token)
    if identity is None or identity.user is None:
        return
    if everywhere:
        User.objects.filter(pk=identity.user.pk).update(session_version=F("session_version") + 1)
    else:
        revoke_session_token(token or "")


# ---- e-mail verification and password reset -----------------------------------------------

def _public_link(path: str) -> str:
    return f"{settings.PUBLIC_URL}{path}"


def send_verification_email(user: User) -> None:
    if not user.email or user.email_verified:
        return
    if not throttle.allow_account_mail(user.email):
        raise RateLimited("A confirmation link was sent several times in the last hour: check your inbox "
                          "(and spam folder), or try again later.", code="too_many_mails")
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=_VERIFY_SALT, compress=False)
    link = _public_link(f"/accounts/verify/{quote(token, safe='')}")
    _mail_link(user, link, gettext_lazy("Confirm your e-mail address"), gettext_lazy(
        "Hello %(name)s,\n\nplease confirm your e-mail address for commenting:\n\n%(link)s\n\n"
        "The link is valid for three days. If you did not sign up, ignore this message.\n"))


def _mail_link(user: User, link: str, subject: Promise, body: Promise) -> None:
    """A message with a link to the user, in the user's language (else the request's)."""
    with speaking(user):
        send_mail(str(subject), str(body) % {"name": user.public_name(), "link": link}, None, [user.email])


def verify_email(token: str) -> User:
    try:
        payload = signing.loads(token, salt=_VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidInput(_("This confirmation link has expired: ask for a new one."),
                           code="link_expired") from None
    except signing.BadSignature:
        raise InvalidInput(_("This confirmation link is not valid."), code="bad_link") from None
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e"), is_active=True).first()
    if user is None:
        raise NotFound(_("This confirmation link belongs to no account."), code="bad_link")
    if not user.email_verified:
        User.objects.filter(pk=user.pk).update(email_verified=True)
        user.email_verified = True
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if a local account has this address; answer the same either way."""
    try:
        email = clean_email(email)
    except InvalidInput:
        return
    user = User.objects.filter(username=email, is_active=True, sso_site=None).first()
    if user is None or not user.has_usable_password() or not throttle.allow_account_mail(email):
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = _public_link(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}")
    _mail_link(user, link, gettext_lazy("Reset your password"), gettext_lazy(
        "Hello %(name)s,\n\nset a new password here:\n\n%(link)s\n\n"
        "The link works once and for two hours. If you did not ask for it, ignore this message.\n"))


def user_for_reset(uid: str, token: str) -> User:
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        pk = None
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        raise InvalidInput(_("This reset link is not valid or was used already."), code="bad_link")
    return user


def reset_password(uid: str, token: str, password: str) -> User:
    user = user_for_reset(uid, token)
    clean_password(password, user)
    user.set_password(password)  # changes the hash: every earlier session token stops working
    user.email_verified = True  # the link reached the mailbox
    user.save(update_fields=["password", "email_verified"])
    throttle.clear_account_failures(user.username)
    return user


# ---- profile ---------------------------------------------------------------------------------

def update_profile(user: User, display_name: str | None, site: Site | None = None,
                   language: str | None = None) -> User:
    if display_name is not None:
        user.display_name = clean_display_name(display_name, site)
        User.objects.filter(pk=user.pk).update(display_name=user.display_name)
    if language is not None:
        set_language(user, language)
    return user


def set_language(user: User, language: str) -> None:
    """The language of the user's pages and e-mails; "" follows the browser again."""
    if language and language not in CODES:
        choose = _("Choose one of these languages: %(codes)s.")
        raise InvalidInput(choose % {"codes": ", ".join(sorted(CODES))}, code="unknown_language",
                           field="language")
    user.language = language
    User.objects.filter(pk=user.pk).update(language=language)
