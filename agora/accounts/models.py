from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person with an account: reader, moderator or admin."""

    display_name = models.CharField(max_length=80, blank=True)

    def public_name(self) -> str:
        return self.display_name or self.username


class SiteRole(models.Model):
    """A user's role on one site. Admins (superusers) need none: they act on every site."""

    class Role(models.TextChoices):
        MODERATOR = "moderator"
        ADMIN = "admin"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="site_roles")
    site = models.ForeignKey("comments.Site", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MODERATOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="one_role_per_site")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.site}"


def sites_moderated_by(user: User) -> models.QuerySet:
    """The sites a user may moderate: all for superusers, else those with a role."""
    from agora.comments.models import Site

    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(roles__user=user)
