from django import template

from agora.moderation import names

register = template.Library()


@register.filter
def named(code: str, kind: str) -> str:
    """`{{ chip.rule|named:"rule" }}`: the reader-language name of a queue, sort, label, rule..."""
    return names.name(kind, str(code))
