"""Template filters of the moderation workspace."""

from __future__ import annotations

from django import template

from agora.accounts import team

register = template.Library()


@register.filter
def manages_team(user) -> bool:
    """Whether the workspace shows the "Team" page to this user."""
    return bool(user.is_authenticated and team.administered_sites(user).exists())


@register.filter
def words(code: str) -> str:
    """A label or rule code as words: "sexually_explicit" reads "sexually explicit"."""
    return str(code).replace("_", " ")
