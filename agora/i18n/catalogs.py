"""Message catalogues: completeness and placeholder checks, and compiling .po to .mo without
GNU gettext (polib is pure Python; `msgfmt` is often missing on a newsroom's machine).

Server catalogues: agora/locale/<ll or ll_RR>/LC_MESSAGES/django.po. Widget catalogues:
agora/comments/static/agora/i18n/<lang>.json, checked against the English en.json.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from agora.i18n.languages import LANGUAGES, locale_dir_name

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
WIDGET_DIR = Path(__file__).resolve().parent.parent / "comments" / "static" / "agora" / "i18n"
# Python's %(name)s, brace {name}, positional %s/%d, and markup tags that must survive translation.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w+\}|</?\w+>")
_PLURAL_SUFFIX = re.compile(r"_(zero|one|two|few|many|other)$")


def placeholders(text: str) -> Counter[str]:
    return Counter(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Problem:
    catalogue: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.catalogue}: {self.what}: {self.message!r}"


def server_catalogues() -> list[tuple[str, Path]]:
    return [(code, LOCALE_DIR / locale_dir_name(code) / "LC_MESSAGES" / "django.po")
            for code, _name in LANGUAGES if code != "en"]


def _polib():
    try:
        import polib
    except ImportError:  # a test/development extra, not needed to run Agora
        raise SystemExit("Install polib (pip install -e '.[test]') to check or compile catalogues.") from None
    return polib


def server_problems(path: Path) -> list[Problem]:
    """Missing, fuzzy or untranslated messages, and translations whose placeholders differ."""
    if not path.exists():
        return [Problem(str(path), "", "catalogue missing")]
    found: list[Problem] = []
    catalogue = _polib().pofile(str(path))
    forms_wanted = _plural_count(catalogue.metadata.get("Plural-Forms", ""))
    for entry in catalogue:
        if entry.obsolete:
            continue
        name = str(path)
        if "fuzzy" in entry.flags:
            found.append(Problem(name, entry.msgid, "fuzzy"))
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if len(forms) != forms_wanted:
                count = f"{len(forms)} plural forms, the language has {forms_wanted}"
                found.append(Problem(name, entry.msgid, count))
            found += _plural_problems(name, entry.msgid, entry.msgid_plural, forms)
        elif not entry.msgstr.strip():
            found.append(Problem(name, entry.msgid, "untranslated"))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            found.append(Problem(name, entry.msgid, f"placeholders differ in {entry.msgstr!r}"))
    return found


def _plural_count(header: str) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(found.group(1)) if found else 2


def _plural_problems(name: str, singular: str, plural: str, forms: list[str]) -> list[Problem]:
    """The last form (the general one) keeps every placeholder; the forms for particular numbers
    (Arabic's "two comments" is one word) may leave out the number, but nothing else."""
    if not forms or any(not form.strip() for form in forms):
        return [Problem(name, singular, "plural form untranslated")]
    wanted = placeholders(plural)
    problems = []
    if placeholders(forms[-1]) != wanted:
        problems.append(Problem(name, singular, f"placeholders differ in {forms[-1]!r}"))
    for form in forms[:-1]:
        missing = wanted - placeholders(form)
        if placeholders(form) - wanted or sum(missing.values()) > 1:
            problems.append(Problem(name, singular, f"placeholders differ in {form!r}"))
    return problems


def compile_catalogue(path: Path) -> Path:
    """Write the .mo beside the .po (what Django reads) and return its path."""
    mo = path.with_suffix(".mo")
    _polib().pofile(str(path)).save_as_mofile(str(mo))
    return mo


def compiled_matches(path: Path) -> bool:
    """Whether the committed .mo holds exactly the .po's translations."""
    polib = _polib()
    mo = path.with_suffix(".mo")
    if not mo.exists():
        return False
    return _messages(polib.pofile(str(path))) == _messages(polib.mofile(str(mo)))


def _messages(catalogue) -> dict[tuple[str | None, str], tuple[str, ...]]:
    messages = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        forms = (tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
                 if entry.msgid_plural else (entry.msgstr,))
        if not all(forms):
            continue  # msgfmt and polib leave untranslated messages out of the .mo
        messages[(entry.msgctxt, entry.msgid)] = forms
    return messages


# ---- widget -------------------------------------------------------------------------------------

def widget_catalogue(name: str) -> dict[str, str]:
    return json.loads((WIDGET_DIR / f"{name}.json").read_text(encoding="utf-8"))


# Plural categories (CLDR) a language uses for whole numbers beyond English's one/other. A form
# the catalogue lacks falls back to English's, so each of these must be there.
EXTRA_PLURAL_FORMS = {"pl": ("few", "many"), "ar": ("zero", "two", "few", "many"), "he": ("two",)}


def widget_problems(name: str, english: dict[str, str] | None = None) -> list[Problem]:
    """Every English key translated with English's placeholders, the language's own plural
    forms present (they may leave out the number: Arabic says "two comments" in one word), and
    no key that English does not have."""
    if english is None:
        if not (WIDGET_DIR / "en.json").exists():
            return [Problem(str(WIDGET_DIR / "en.json"), "", "English widget catalogue missing")]
        english = widget_catalogue("en")
    path = WIDGET_DIR / f"{name}.json"
    if not path.exists():
        return [Problem(str(path), "", "catalogue missing")]
    translated = widget_catalogue(name)
    where = str(path)
    # "nudge_other" is a reason, not a plural form: a plural key comes with its "_one".
    plural_bases = {key[:-len("_other")] for key in english
                    if key.endswith("_other") and f"{key[:-len('_other')]}_one" in english}
    wanted = dict(english)
    for base in plural_bases:
        for form in EXTRA_PLURAL_FORMS.get(name, ()):
            wanted.setdefault(f"{base}_{form}", english[f"{base}_other"])
    # Optional forms (French "many" for millions) may be there too; without them, "other" is used.
    for key in translated:
        base = _PLURAL_SUFFIX.sub("", key)
        if base in plural_bases and key not in wanted:
            wanted[key] = english[f"{base}_other"]
    found = [Problem(where, key, "not in the English catalogue") for key in translated if key not in wanted]
    for key, source in wanted.items():
        text = translated.get(key)
        if not isinstance(text, str) or not text.strip():
            found.append(Problem(where, key, "untranslated"))
            continue
        have, need = placeholders(text), placeholders(source)
        counted_form = _PLURAL_SUFFIX.sub("", key) in plural_bases and not key.endswith("_other")
        if have != need and not (counted_form and not have - need and sum((need - have).values()) == 1):
            found.append(Problem(where, key, f"placeholders differ in {text!r}"))
    return found
