"""One compiled matcher for a whole word list, fast enough for thousands of entries.

`agora.toxicity.normalize.TermMatcher` runs one regular expression per term, which costs
milliseconds per comment with thousands of terms. This matcher keeps the same matching rules
(whole words of the normalized text; each single letter of a term may appear once or twice;
``*`` may stand in for letters as long as at least half of the letters are literal; words of a
phrase may be separated by up to three non-word characters or by nothing) but looks every word
of the comment up in a dictionary instead, so its cost depends on the comment, not on the list.

It adds one tolerance the term matcher lacks: a plural ``s``/``es`` after a term of four or more
letters still matches ("slurs" for "slur"), so lists need not spell out every plural.

Entries may carry a language: its letters are folded and its inflected forms and clitics are
added when the matcher is built (`agora.moderation.languages`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product

from agora.moderation import languages
from agora.toxicity.normalize import Normalized, normalize

BANNED = "banned"
SUSPECT = "suspect"
_KIND_RANK = {BANNED: 0, SUSPECT: 1}

_TOKEN = re.compile(r"[\w*]+")
_DOUBLED = re.compile(r"(.)\1")
_SEPARATOR = re.compile(r"[\s.\-_*~+,/\\:;'\"]")
# The most doubled letters in one word whose single/double spellings are tried.
_MAX_VARIED_RUNS = 4
_MAX_PHRASE_GAP = 3
# Pieces of a word split by dots or hyphens that are tried joined ("sl.u.t").
_MAX_PIECES = 6
# Words of the text whose lookups are remembered (a bounded memory, cleared when full).
_SEEN_WORDS = 50_000
_JOINERS = frozenset({".", "-"})
_PLURAL_MIN_LENGTH = 4


@dataclass(frozen=True)
class Hit:
    """A matched entry, as a range of the original text."""

    start: int
    end: int
    text: str
    phrase: str
    kind: str
    language: str = ""


@dataclass(frozen=True)
class _Entry:
    phrase: str
    kind: str
    # Normalized words of the phrase after the first one.
    rest: tuple[str, ...]
    language: str = ""


def _runs(word: str) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for ch in word:
        if runs and runs[-1][0] == ch:
            runs[-1] = (ch, runs[-1][1] + 1)
        else:
            runs.append((ch, 1))
    return runs


def _spellings(word: str) -> list[str]:
    """The term spellings a word of the text can stand for: a doubled letter of the text
    matches a single or a doubled letter of a term ("fuuck" is "fuck")."""
    if not _DOUBLED.search(word):
        return [word]
    runs = _runs(word)
    doubled = [i for i, (_, n) in enumerate(runs) if n >= 2][:_MAX_VARIED_RUNS]
    if not doubled:
        return [word]
    spellings = []
    for choice in product((1, 2), repeat=len(doubled)):
        counts = {i: n for i, n in zip(doubled, choice, strict=True)}
        spellings.append("".join(ch * counts.get(i, min(n, 2)) for i, (ch, n) in enumerate(runs)))
    return spellings


def _word_fits(term_word: str, text_word: str) -> bool:
    return term_word in _spellings(text_word) or term_word in _plural_stems(text_word)


def _plural_stems(word: str) -> list[str]:
    stems = []
    if word.endswith("es") and len(word) - 2 >= _PLURAL_MIN_LENGTH:
        stems.append(word[:-2])
    if word.endswith("s") and len(word) - 1 >= _PLURAL_MIN_LENGTH:
        stems.append(word[:-1])
    return [spelling for stem in stems for spelling in _spellings(stem)]


def _starred_pattern(term_word: str) -> re.Pattern[str]:
    """A term word as the obfuscated forms it may take with ``*`` in place of letters."""
    parts = []
    for ch, n in _runs(term_word):
        literal = re.escape(ch) * 2 if n >= 2 else f"{re.escape(ch)}{{1,2}}"
        parts.append(literal if not parts else rf"(?:{literal}|\*{{1,2}})")
    return re.compile("".join(parts))


class WordMatcher:
    """Finds banned and suspect entries in comments; build once per list version."""

    def __init__(self, entries: Iterable[tuple[str, str] | tuple[str, str, str]]) -> None:
        """Entries are (phrase, kind) or (phrase, kind, language); "" is no particular language."""
        self._by_first: dict[str, list[_Entry]] = defaultdict(list)
        self._starrable: dict[str, list[str]] = defaultdict(list)
        self._starred: dict[str, re.Pattern[str]] = {}
        self._seen: dict[str, list[_Entry]] = {}
        self.size = 0
        for phrase, kind, *rest in entries:
            language = rest[0] if rest else ""
            spellings = [phrase, *languages.spelling_variants(phrase, language)]
            entry = _Entry(phrase, kind, (), language)
            self.size += any([self._add_spelling(spelling, entry) for spelling in spellings])
        for entries_of_word in self._by_first.values():
            entries_of_word.sort(key=lambda e: (_KIND_RANK.get(e.kind, 9), -len(e.rest)))

    def _add_spelling(self, spelling: str, entry: _Entry) -> bool:
        words = _TOKEN.findall(languages.fold_text(normalize(spelling.replace("*", " ")).text))
        if not words:
            return False
        first, rest = words[0], tuple(words[1:])
        self._add(first, _Entry(entry.phrase, entry.kind, rest, entry.language))
        if rest:  # "heil hitler" is also caught as "heilhitler"
            self._add("".join(words), entry)
        # Inflected forms of one-word entries; a phrase's clitic sits on its first word.
        if not rest or entry.language in ("ar", "he"):
            for form in languages.inflected_forms(first, entry.language):
                self._add(form, _Entry(entry.phrase, entry.kind, rest, entry.language))
        return True

    def _add(self, first: str, entry: _Entry) -> None:
        if first not in self._by_first and not entry.rest:
            self._starrable[first[0]].append(first)
        self._by_first[first].append(entry)

    def find(self, text: str) -> list[Hit]:
        return self.find_normalized(text, normalize(text))

    def find_normalized(self, original: str, norm: Normalized) -> list[Hit]:
        norm = languages.fold(norm)
        words = list(_TOKEN.finditer(norm.text))
        hits: list[Hit] = []
        for index, word in enumerate(words):
            hit = (self._hit_at(original, norm, words, index)
                   or self._hit_in_spaced_run(original, norm, word)
                   or self._hit_in_dotted_word(original, norm, words, index))
            if hit is not None:
                hits.append(hit)
        return _without_overlaps(hits)

    def _hit_at(self, original: str, norm: Normalized, words: list[re.Match[str]], index: int) -> Hit | None:
        word = words[index]
        for entry in self._entries_for(word.group()):
            end = self._phrase_end(entry, words, index, norm.text)
            if end is not None:
                start, stop = norm.to_original(word.start(), end)
                return Hit(start, stop, original[start:stop], entry.phrase, entry.kind, entry.language)
        return None

    def _hit_in_dotted_word(self, original: str, norm: Normalized, words: list[re.Match[str]],
                            index: int) -> Hit | None:
        """A word split by dots or hyphens into pieces that are not all single letters
        ("sl.u.t", "fa-g-got"): try the pieces joined."""
        if words[index].end() >= len(norm.text) or norm.text[words[index].end()] not in _JOINERS:
            return None
        joined = words[index].group()
        for following in range(index + 1, min(index + _MAX_PIECES, len(words))):
            gap = norm.text[words[following - 1].end():words[following].start()]
            if gap not in _JOINERS:
                return None
            joined += words[following].group()
            entry = next((e for e in self._entries_for(joined) if not e.rest), None)
            if entry is not None:
                start, stop = norm.to_original(words[index].start(), words[following].end())
                return Hit(start, stop, original[start:stop], entry.phrase, entry.kind, entry.language)
        return None

    def _hit_in_spaced_run(self, original: str, norm: Normalized, word: re.Match[str]) -> Hit | None:
        """Normalization joins runs of spaced single letters, and takes a one-letter word next to
        the run along ("a f.a.g" becomes "afag"): try the run without its first or last letter."""
        if len(word.group()) < 4:
            return None
        start, end = norm.to_original(word.start(), word.end())
        if end - start <= len(word.group()) or not _SEPARATOR.search(original, start, end):
            return None
        for left, right in ((1, 0), (0, 1), (1, 1)):
            trimmed = word.group()[left:len(word.group()) - right]
            entry = next((e for e in self._entries_for(trimmed) if not e.rest), None)
            if entry is not None:
                begin, stop = norm.to_original(word.start() + left, word.end() - right)
                return Hit(begin, stop, original[begin:stop], entry.phrase, entry.kind, entry.language)
        return None

    def _entries_for(self, word: str) -> list[_Entry]:
        """Entries whose first word this word of the text can be (remembered per word: comments
        share most of their words)."""
        found = self._seen.get(word)
        if found is not None:
            return found
        if "*" in word:
            found = self._starred_entries(word)
        else:
            found = []
            for spelling in (*_spellings(word), *_plural_stems(word)):
                found.extend(self._by_first.get(spelling, ()))
        if len(self._seen) >= _SEEN_WORDS:
            self._seen.clear()
        self._seen[word] = found
        return found

    def _starred_entries(self, word: str) -> list[_Entry]:
        stars = word.count("*")
        if word[0] == "*" or len(word) - stars < stars:
            return []  # "****" or "f***" hide too much to say which word it was
        found: list[_Entry] = []
        for term_word in self._starrable.get(word[0], ()):
            if not len(term_word) <= len(word) <= 2 * len(term_word):
                continue
            pattern = self._starred.get(term_word)
            if pattern is None:
                pattern = self._starred[term_word] = _starred_pattern(term_word)
            if pattern.fullmatch(word):
                found.extend(e for e in self._by_first[term_word] if not e.rest)
        return found

    @staticmethod
    def _phrase_end(entry: _Entry, words: list[re.Match[str]], index: int, text: str) -> int | None:
        end = words[index].end()
        for offset, term_word in enumerate(entry.rest, start=1):
            if index + offset >= len(words):
                return None
            following = words[index + offset]
            if following.start() - end > _MAX_PHRASE_GAP or not _word_fits(term_word, following.group()):
                return None
            end = following.end()
        return end


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -h.end, _KIND_RANK.get(h.kind, 9)))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            if hit.kind == BANNED and kept[-1].kind != BANNED and hit.end <= kept[-1].end:
                kept[-1] = Hit(kept[-1].start, kept[-1].end, kept[-1].text, hit.phrase, BANNED, hit.language)
            continue
        kept.append(hit)
    return kept
