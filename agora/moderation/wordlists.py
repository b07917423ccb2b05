"""Per-site word lists: the shipped defaults (one list per language, data/wordlist_<lang>.txt),
and one compiled matcher per site and list version.

The version lives in the database (`WordListState`) and is mirrored in Django's cache, so every
server process (sharing Redis when configured) notices an edit and recompiles once.
"""

from __future__ import annotations

import secrets
import threading
from functools import cache as once
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from agora.comments.models import Site
from agora.moderation.languages import SHIPPED
from agora.moderation.matcher import BANNED, SUSPECT, WordMatcher
from agora.moderation.models import WordListEntry, WordListState

DATA = Path(__file__).parent / "data"
DEFAULT_LIST = DATA / "wordlist_en.txt"
_VERSION_KEY = "moderation:wordlist-version:{site_id}"
_compiled: dict[int, tuple[str, WordMatcher]] = {}
_compile_lock = threading.Lock()


def parse_list(text: str) -> list[tuple[str, str]]:
    """Entries of a list file: `[banned]`/`[suspect]` headers, one phrase a line, # comments."""
    entries: list[tuple[str, str]] = []
    kind = BANNED
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in (f"[{BANNED}]", f"[{SUSPECT}]"):
            kind = line[1:-1]
            continue
        entries.append((line, kind))
    return entries


@once
def _shipped() -> dict[str, tuple[str, frozenset[str]]]:
    """phrase -> (kind, the shipped languages whose lists have it); banned wins over suspect."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for language in SHIPPED:
        for phrase, kind in parse_list((DATA / f"wordlist_{language}.txt").read_text(encoding="utf-8")):
            earlier_kind, languages = found.get(phrase, (kind, frozenset()))
            found[phrase] = (BANNED if BANNED in (kind, earlier_kind) else kind, languages | {language})
    return found


def default_entries_by_language() -> list[tuple[str, str, str]]:
    """(phrase, kind, language) of every shipped list; a phrase two lists share ("puta" is
    Spanish and Portuguese) belongs to no one language."""
    return [(phrase, kind, next(iter(languages)) if len(languages) == 1 else "")
            for phrase, (kind, languages) in _shipped().items()]


def default_entries() -> list[tuple[str, str]]:
    return [(phrase, kind) for phrase, kind, _language in default_entries_by_language()]


def _loaded_languages(state: WordListState) -> set[str]:
    # Lists loaded before there was one per language were the English one.
    return set(state.default_languages) or ({"en"} if state.defaults_loaded else set())


def ensure_defaults(site: Site) -> WordListState:
    """Load each shipped list into the site's list once (admins edit the copy afterwards); a
    language shipped later is added to existing sites the same way."""
    state, _created = WordListState.objects.get_or_create(site=site)
    if _loaded_languages(state) >= set(SHIPPED):
        return state
    with transaction.atomic():
        state = WordListState.objects.select_for_update().get(pk=state.pk)
        loaded = _loaded_languages(state)
        missing = set(SHIPPED) - loaded
        if missing:
            shipped = _shipped()
            WordListEntry.objects.bulk_create(
                [WordListEntry(site=site, phrase=phrase, kind=kind, language=language)
                 for phrase, kind, language in default_entries_by_language()
                 if not shipped[phrase][1] & loaded],  # an entry deleted once stays deleted
                ignore_conflicts=True,
            )
            state.defaults_loaded = True
            state.default_languages = sorted(loaded | missing)
            state.version += 1
            state.save(update_fields=["defaults_loaded", "default_languages", "version"])
    cache.delete(_VERSION_KEY.format(site_id=site.pk))
    return state


def bump_version(site_id: int) -> None:
    """Call after any change to a site's entries: every process recompiles on next use."""
    WordListState.objects.filter(site_id=site_id).update(version=F("version") + 1)
    cache.delete(_VERSION_KEY.format(site_id=site_id))


def current_version(site: Site) -> str:
    """The list version as a cache token. The random part makes a token read back from the
    database after the cache was cleared differ from anything compiled before."""
    key = _VERSION_KEY.format(site_id=site.pk)
    version = cache.get(key)
    if version is None:
        version = f"{ensure_defaults(site).version}-{secrets.token_hex(4)}"
        if not cache.add(key, version, None):
            version = cache.get(key) or version
    return version


def matcher_for(site: Site) -> WordMatcher:
    """The site's compiled matcher, rebuilt only when its list version changed."""
    version = current_version(site)
    found = _compiled.get(site.pk)
    if found is not None and found[0] == version:
        return found[1]
    with _compile_lock:
        found = _compiled.get(site.pk)
        if found is None or found[0] != version:
            entries = WordListEntry.objects.filter(site=site).values_list("phrase", "kind", "language")
            found = (version, WordMatcher(entries.iterator()))
            _compiled[site.pk] = found
    return found[1]


def add_entries(site: Site, entries: list[tuple[str, str]], language: str = "") -> int:
    """Add (or re-kind) entries in bulk, written in `language` ("" for none); returns how many
    were new."""
    ensure_defaults(site)
    existing = dict(WordListEntry.objects.filter(site=site).values_list("phrase", "kind"))
    new = [WordListEntry(site=site, phrase=p, kind=k, language=language)
           for p, k in entries if p not in existing]
    WordListEntry.objects.bulk_create(new, ignore_conflicts=True)
    for phrase, kind in entries:
        if phrase in existing and existing[phrase] != kind:
            WordListEntry.objects.filter(site=site, phrase=phrase).update(kind=kind)
    bump_version(site.pk)
    return len(new)
