"""Template filters of the moderation workspace."""

from __future__ import annotations

from django import template

from agora.accounts import team
from agora.moderation import names

register = template.Library()


@register.filter
def manages_team(user) -> bool:
    """Whether the workspace shows the "Team" page to this user."""
    return bool(user.is_authenticated and team.administered_sites(user).exists())


@register.filter
def words(code: str) -> str:
    """A label or rule code as words: "sexually_explicit" reads "sexually explicit"."""
    return str(code).replace("_", " ")


@register.filter
def named(code: str, kind: str) -> str:
    """`{{ chip.rule|named:"rule" }}`: the reader-language name of a queue, sort, label, rule...
    A code without a name (a site's own rule) still reads as words, not as a snake_case code."""
    found = names.name(kind, str(code))
    return words(code) if found == str(code) else found
