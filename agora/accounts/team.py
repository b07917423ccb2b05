"""A site's team: who moderates or administers it, and e-mail invitations for people who have
no account yet.

An invitation is a signed link (no table): it names the e-mail address, the site and the role,
is valid for a week, and is spent once an account holds that role on that site. Granting a role
to an address that already has an account needs no link; the person is told by e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from agora.accounts.models import SiteRole, User, sites_moderated_by
from agora.accounts.services import clean_email, clean_password
from agora.comments.models import Site
from agora.errors import Conflict, Forbidden, InvalidInput, NotFound

INVITATION_SALT = "agora.team-invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600


@dataclass(frozen=True)
class Invitation:
    email: str
    site: Site
    role: str
    invited_by: str


def administered_sites(user: User):
    """Sites whose team `user` manages: every site for superusers, else where they are admin."""
    if user.is_superuser:
        return sites_moderated_by(user)
    return sites_moderated_by(user).filter(roles__user=user, roles__role=SiteRole.Role.ADMIN)


def check_admin(user: User, site: Site) -> None:
    if not administered_sites(user).filter(pk=site.pk).exists():
        raise Forbidden(_("Only the site's admins manage its team."), code="not_site_admin")


def _clean_role(role: str) -> str:
    if role not in SiteRole.Role.values:
        raise InvalidInput(_("Choose moderator or admin."), field="role")
    return role


def members(site: Site) -> list[SiteRole]:
    return list(SiteRole.objects.filter(site=site).select_related("user").order_by("role", "user__username"))


def invite(by: User, site: Site, email: str, role: str) -> str:
    """Give the role to the person with this address; "granted" when they had an account,
    "invited" when an invitation link went out instead."""
    check_admin(by, site)
    email, role = clean_email(email), _clean_role(role)
    user = User.objects.filter(username=email, sso_site=None).first()
    inviter = by.display_name or by.get_username()
    if user is not None:
        SiteRole.objects.update_or_create(user=user, site=site, defaults={"role": role})
        send_mail(_("You are now %(role)s of %(site)s") % {"role": role, "site": site.name},
                  _("Hello %(name)s,\n\n%(inviter)s made you %(role)s of %(site)s on Agora.\n"
                    "The moderation workspace: %(link)s\n") % {
                      "name": user.public_name(), "inviter": inviter, "role": role, "site": site.name,
                      "link": f"{settings.PUBLIC_URL}/moderate/"},
                  None, [email])
        return "granted"
    token = signing.dumps({"e": email, "s": site.pk, "r": role, "b": inviter}, salt=INVITATION_SALT,
                          compress=True)
    link = f"{settings.PUBLIC_URL}/accounts/invitation/{quote(token, safe='')}"
    send_mail(_("%(inviter)s invites you to moderate %(site)s") % {"inviter": inviter, "site": site.name},
              _("Hello,\n\n%(inviter)s invites you to join the team of %(site)s on Agora as %(role)s.\n"
                "Choose your password here:\n\n%(link)s\n\nThe link is valid for seven days.\n") % {
                  "inviter": inviter, "site": site.name, "role": role, "link": link},
              None, [email])
    return "invited"


def read_invitation(token: str) -> Invitation:
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidInput(_("This invitation has expired: ask the site's admin for a new one."),
                           code="link_expired") from None
    except signing.BadSignature:
        raise InvalidInput(_("This invitation link is not valid."), code="bad_link") from None
    site = Site.objects.filter(pk=payload.get("s")).first()
    if site is None:
        raise NotFound(_("The site of this invitation no longer exists."), code="bad_link")
    if User.objects.filter(username=payload["e"]).exists():
        raise Conflict(_("This invitation was accepted already: log in instead."), code="invitation_spent")
    return Invitation(email=payload["e"], site=site, role=payload["r"], invited_by=payload.get("b", ""))


def accept(token: str, display_name: str, password: str) -> User:
    """Create the invited person's account with the role the invitation names."""
    invitation = read_invitation(token)
    user = User(username=invitation.email, email=invitation.email, email_verified=True,
                display_name=display_name.strip()[:80])
    clean_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        SiteRole.objects.create(user=user, site=invitation.site, role=invitation.role)
    return user


def remove(by: User, site: Site, user_id: int) -> None:
    check_admin(by, site)
    if user_id == by.pk:
        raise InvalidInput(_("You cannot remove yourself from the team."), code="own_role")
    SiteRole.objects.filter(site=site, user_id=user_id).delete()
