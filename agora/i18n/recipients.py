"""The language an e-mail is written in: the recipient's account setting, else the newsroom's
(for mail sent from the worker), else the language of the request that caused it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django.utils import translation

from agora.i18n.languages import CODES


def language_of(*choices: Any) -> str | None:
    """The first known language among the choices: codes, or objects with a `language` (a user,
    a site); None and empty settings are skipped."""
    for choice in choices:
        language = choice if isinstance(choice, str) else getattr(choice, "language", "")
        if language in CODES:
            return language
    return None


def speaking(*choices: Any) -> AbstractContextManager:
    """`with speaking(user, site): send_mail(...)`; with none known, the active language stays."""
    return translation.override(language_of(*choices) or translation.get_language())
