"""Per-site word lists: the shipped defaults, and one compiled matcher per site and list version.

The version lives in the database (`WordListState`) and is mirrored in Django's cache, so every
server process (sharing Redis when configured) notices an edit and recompiles once.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from agora.comments.models import Site
from agora.moderation.matcher import BANNED, SUSPECT, WordMatcher
from agora.moderation.models import WordListEntry, WordListState

DEFAULT_LIST = Path(__file__).parent / "data" / "wordlist_en.txt"
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


def default_entries() -> list[tuple[str, str]]:
    return parse_list(DEFAULT_LIST.read_text(encoding="utf-8"))


def ensure_defaults(site: Site) -> WordListState:
    """Load the shipped list into the site's list once (admins edit the copy afterwards)."""
    state, _ = WordListState.objects.get_or_create(site=site)
    if state.defaults_loaded:
        return state
    with transaction.atomic():
        state = WordListState.objects.select_for_update().get(pk=state.pk)
        if not state.defaults_loaded:
            WordListEntry.objects.bulk_create(
                [WordListEntry(site=site, phrase=phrase, kind=kind) for phrase, kind in default_entries()],
                ignore_conflicts=True,
            )
            state.defaults_loaded = True
            state.version += 1
            state.save(update_fields=["defaults_loaded", "version"])
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
            entries = WordListEntry.objects.filter(site=site).values_list("phrase", "kind")
            found = (version, WordMatcher(entries.iterator()))
            _compiled[site.pk] = found
    return found[1]


def add_entries(site: Site, entries: list[tuple[str, str]]) -> int:
    """Add (or re-kind) entries in bulk; returns how many were new."""
    ensure_defaults(site)
    existing = dict(WordListEntry.objects.filter(site=site).values_list("phrase", "kind"))
    new = [WordListEntry(site=site, phrase=p, kind=k) for p, k in entries if p not in existing]
    WordListEntry.objects.bulk_create(new, ignore_conflicts=True)
    for phrase, kind in entries:
        if phrase in existing and existing[phrase] != kind:
            WordListEntry.objects.filter(site=site, phrase=phrase).update(kind=kind)
    bump_version(site.pk)
    return len(new)
