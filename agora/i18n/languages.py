"""The locales Agora speaks, and which of them are written right to left.

Django's names are lower case (`pt-br`); the widget's catalogue files use BCP 47 (`pt-BR.json`).
"""

from __future__ import annotations

# Native names: a reader looks for their own language in a list, not for its English name.
LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("he", "עברית"),
]
CODES = frozenset(code for code, _ in LANGUAGES)
RIGHT_TO_LEFT = frozenset({"ar", "he"})


def widget_code(code: str) -> str:
    """`pt-br` -> `pt-BR`: the file name of the widget catalogue for a Django language code."""
    base, _, region = code.partition("-")
    return f"{base}-{region.upper()}" if region else base


def locale_dir_name(code: str) -> str:
    """`pt-br` -> `pt_BR`: the folder name under agora/locale/ (gettext's spelling)."""
    base, _, region = code.partition("-")
    return f"{base}_{region.upper()}" if region else base
