"""Every message the code marks for translation, found the way `makemessages` finds them (Django's
`templatize` for templates, the gettext calls of Python modules) but without GNU gettext, so a
test can tell when a catalogue lacks a message that was marked after its last refresh."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation.template import templatize

AGORA = Path(__file__).resolve().parent.parent
_CALLS = {"gettext": 0, "gettext_lazy": 0, "_": 0, "ngettext": 0, "ngettext_lazy": 0,
          "pgettext": 1, "pgettext_lazy": 1, "npgettext": 1, "npgettext_lazy": 1}
# templatize writes gettext(u'...'), ngettext(...), pgettext(...), and _("...") for filter arguments.
_TEMPLATE_CALL = re.compile(r"\b(n?p?gettext|_)\(")
_LITERAL = re.compile(r"""\s*(u?'(?:[^'\\]|\\.)*'|u?"(?:[^"\\]|\\.)*")\s*,?""")

Message = tuple[str | None, str]  # (context, msgid)


def _sources(suffix: str) -> Iterator[Path]:
    for path in sorted(AGORA.rglob(f"*{suffix}")):
        parts = path.relative_to(AGORA).parts
        if parts[0] not in ("toxicity",) and "migrations" not in parts:
            yield path


def in_templates() -> set[Message]:
    found: set[Message] = set()
    for path in _sources(".html"):
        text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for call in _TEMPLATE_CALL.finditer(text):
            literals, position = [], call.end()
            while (literal := _LITERAL.match(text, position)) is not None:
                literals.append(ast.literal_eval(literal.group(1)))
                position = literal.end()
            if call.group(1).startswith(("pgettext", "npgettext")):
                found.add((literals[0], literals[1]))
            elif literals:
                found.add((None, literals[0]))
    return found


def in_python() -> set[Message]:
    found: set[Message] = set()
    for path in _sources(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or getattr(node.func, "id", None) not in _CALLS:
                continue
            strings = [arg.value for arg in node.args
                       if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            context = _CALLS[node.func.id]
            if len(strings) > context:
                found.add((strings[0] if context else None, strings[context]))
    return found


def marked() -> set[Message]:
    return in_templates() | in_python()
