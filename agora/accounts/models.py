from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.comments.models import Site
from agora.i18n.languages import LANGUAGES


class User(AbstractUser):
    """A person with an account: reader, moderator or admin.

    Local accounts use their lower-cased e-mail address as username. Accounts created by a
    publisher's single sign-on are keyed by (`sso_site`, `sso_subject`), the publisher's user
    id as given; their username `sso:<site slug>:<hash of the id>` only has to be unique.
    """

    display_name = models.CharField(max_length=80, blank=True)
    email_verified = models.BooleanField(default=False)
    # Part of every reader token: bumping it logs the user out everywhere.
    session_version = models.PositiveIntegerField(default=0)
    sso_site = models.ForeignKey("comments.Site", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="sso_users")
    sso_subject = models.CharField(max_length=255, blank=True)
    # Set when the user asks for deletion; `agora purge_deleted_accounts` completes it later.
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGES, blank=True,
        help_text=_("Language of Agora's pages and e-mails for this account. Empty: the browser's."))

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(fields=["sso_site", "sso_subject"],
                                    condition=models.Q(sso_site__isnull=False),
                                    name="one_user_per_sso_subject"),
        ]

    def public_name(self) -> str:
        return self.display_name or self.username


class SiteRole(models.Model):
    """A user's role on one site. Admins (superusers) need none: they act on every site."""

    class Role(models.TextChoices):
        MODERATOR = "moderator", _("Moderator")
        ADMIN = "admin", _("Admin")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="site_roles")
    site = models.ForeignKey("comments.Site", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MODERATOR)

    class Meta:
        verbose_name = _("site role")
        verbose_name_plural = _("site roles")
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="one_role_per_site")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.site}"


def sites_moderated_by(user: User) -> models.QuerySet:
    """The sites a user may moderate: all for superusers, else those with a role."""
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(roles__user=user)


class SiteAuthSettings(models.Model):
    """How one site lets people comment, and what happens to their data."""

    class DeletionPolicy(models.TextChoices):
        ANONYMISE = "anonymise", _("Keep the text, remove the author")
        REMOVE = "remove", _("Remove the text, keep the place in the thread")

    site = models.OneToOneField("comments.Site", on_delete=models.CASCADE, related_name="auth_settings")
    anonymous_allowed = models.BooleanField(
        default=True, help_text=_("Readers may comment under a name without an account."))
    signup_allowed = models.BooleanField(default=True, help_text=_("Readers may create Agora accounts."))
    require_verified_email = models.BooleanField(
        default=False, help_text=_("Accounts must confirm their e-mail address before posting."))
    sso_secret = models.CharField(
        max_length=200, blank=True,
        help_text=_("Shared secret for single sign-on tokens (HS256). Empty: single sign-on is off."))
    sso_issuer = models.CharField(
        max_length=200, blank=True, help_text=_("When set, SSO tokens must carry this `iss` claim."))
    deletion_policy = models.CharField(max_length=16, choices=DeletionPolicy.choices,
                                       default=DeletionPolicy.ANONYMISE)
    ip_retention_days = models.PositiveIntegerField(
        default=90, help_text=_("Hashed IP addresses of comments older than this are erased."))

    class Meta:
        verbose_name = _("site sign-in and privacy settings")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"Sign-in settings of {self.site}"

    CACHE_SECONDS = 30

    @classmethod
    def for_site(cls, site) -> SiteAuthSettings:
        """The site's settings, or unsaved defaults when none were configured. Cached briefly,
        as every post reads them: a save clears this process's entry at once (signals.py),
        other processes follow within CACHE_SECONDS."""
        key = cls.cache_key(site.pk)
        found = cache.get(key)
        if found is None:
            found = cls.objects.filter(site=site).first() or cls(site=site)
            cache.set(key, found, cls.CACHE_SECONDS)
        return found

    @staticmethod
    def cache_key(site_id: int) -> str:
        return f"accounts:site-settings:{site_id}"


def is_staff_of(user: User, site_id: int) -> bool:
    """Shown with a staff badge in the site's threads."""
    return user.is_superuser or SiteRole.objects.filter(user=user, site_id=site_id).exists()
