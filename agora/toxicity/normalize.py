# ruff: noqa: RUF001, RUF002  (look-alike characters are the point of this module)
"""Obfuscation-defeating text normalisation with an offset map back to the original.

Public API (stable, used by the moderation word-list matcher)::

    from agora.toxicity.normalize import normalize, TermMatcher

    norm = normalize("You ＳＨ1Т!!  f.u.c.k  fuuuuck")
    norm.text                    # "you shit!! fuck fuuck" (see the rules below)
    norm.offsets[i]              # original index of normalised char i
    norm.to_original(start, end) # normalised [start, end) -> original [start, end)

    matcher = TermMatcher(["fuck", "cunt", "ass"])
    matcher.find("Scunthorpe f*ck a$$")   # [Match(11, 15, "fuck"), Match(16, 19, "ass")]

Offsets are Python string indices (code points) into the text exactly as given, so
astral characters (emoji) count as one and combining marks stay attached to their
base letter (a span ending on "e" of "e\u0301" includes the accent).

Rules, in order:
1. Unicode: NFKD (fullwidth, ligatures, math alphabets, circled letters), combining
   marks dropped (accents), case-folded; zero-width/format characters dropped;
   controls, lone surrogates and whitespace become one space.
2. Per word: Cyrillic/Greek look-alikes become Latin when the word mixes scripts or
   is made only of look-alikes (other Cyrillic/Greek words are left alone); leetspeak
   (0→o 1→i 3→e 4→a 5→s 7→t 8→b 9→g @→a $→s !→i |→l) when the word has letters
   and is not a number-like token ("1st", "5pm", "2017").
3. Runs of 3+ single letters split by separators are joined ("f.u.c.k", "f u c k"),
   but not across a word boundary: a change of separator or a wider gap ends the word
   ("f.u.c.k y.o.u" → "fuck you"), and a leading "a"/"i" stays a word of its own when
   the rest is a listed profanity or slur ("a f u c k" → "a fuck").
4. Runs of 3+ identical characters are squeezed to 2 ("sooooo" → "soo"); no English
   word has a letter three times in a row, so nothing real is lost. When one letter
   makes a listed profanity or slur of the word, it becomes one ("fuuuuck" → "fuck").

A ``*`` inside a word is kept as a wildcard ("f*ck"); TermMatcher lets it stand for
letters of a term as long as at least half of the term's letters are literal.
Whole-word matching means "Scunthorpe", "assess" and "cocktail" never match
"cunt", "ass" or "cock".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Match", "Normalized", "TermMatcher", "normalize"]

# Look-alikes that are visually identical or near-identical to Latin letters.
_HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "г": "r",
    "п": "n",
    "и": "u",
    "ь": "b",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "γ": "y",
    "ς": "s",
    "σ": "o",
    "λ": "l",
}
_LEET: dict[str, str] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "€": "e",
    "¡": "i",
}
# Characters that may belong to a word (so leet symbols are seen with their word).
_WORD_SYMBOLS = frozenset("@$!|*€¡'")
# Number-like tokens where digits are digits, not disguised letters.
_NUMBERISH = re.compile(
    r"^\d+(st|nd|rd|th|s|am|pm|k|m|mm|cm|km|kg|g|h|x|yo|yr|yrs|min|mph|gb|mb|v)?$"
    r"|\d{4}|^[a-z]{1,3}\d{1,2}$|^[a-z]{4,}\d{2,}$"
)
_SPACED = re.compile(r"(?<![^\W_])[^\W\d_](?:[\s.\-_*~+,/\\:;'\"]{1,3}[^\W\d_]){2,}(?![^\W_])")
_SEP_CHARS = frozenset(" .-_*~+,/\\:;'\"")

Unit = tuple[str, int, int]  # (normalised char, original start, original end)


@dataclass(frozen=True)
class Normalized:
    """Normalised text; ``offsets[i]``/``ends[i]`` delimit the original of char i."""

    text: str
    offsets: list[int]
    ends: list[int]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised half-open span to the original half-open span."""
        if not self.text:
            return (0, 0)
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return (self.offsets[start], self.ends[end - 1])


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """Fold one character: compatibility decomposition, no accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = base.casefold()
    # NFKD may reintroduce decomposable letters after case-folding (e.g. "ß" is fine,
    # but some titlecase letters are not); one more pass keeps it idempotent.
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def _char_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    for i, ch in enumerate(text):
        if ch.isascii() and ch.isalnum():  # fast path for the common case
            units.append((ch.lower(), i, i + 1))
            continue
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Mc"):
            if units:  # keep the mark inside its base letter's original range
                c, s, _ = units[-1]
                units[-1] = (c, s, i + 1)
            continue
        if cat == "Cf":  # zero-width joiners, soft hyphens, BOM: invisible separators
            continue
        if cat[0] in "CZ" or ch.isspace():
            units.append((" ", i, i + 1))
            continue
        for c in _fold(ch):
            units.append((c, i, i + 1))
    return units


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in _WORD_SYMBOLS or c in _HOMOGLYPHS


def _map_word(word: list[Unit]) -> list[Unit]:
    chars = [u[0] for u in word]
    if len(chars) > 1 and "".join(chars).isalpha() and all("a" <= c <= "z" for c in chars):
        return word  # plain ASCII word: nothing to undo (the common case)
    letters = [c for c in chars if c.isalpha()]
    if not letters:
        return word
    has_latin = any("a" <= c <= "z" for c in letters)
    if has_latin or all(c in _HOMOGLYPHS for c in letters):
        chars = [_HOMOGLYPHS.get(c, c) for c in chars]
    token = "".join(chars)
    if not _NUMBERISH.search(token.strip("'*!")):
        chars = _deleet(chars)
    return [(c, s, e) for c, (_, s, e) in zip(chars, word, strict=True)]


def _deleet(chars: list[str]) -> list[str]:
    out = list(chars)
    n = len(chars)
    for i, c in enumerate(chars):
        if c not in _LEET:
            continue
        # "!" and "|" are punctuation at a word's end ("hi!"), leet only inside it.
        if c in "!|" and not (i + 1 < n and chars[i + 1].isalnum()):
            continue
        out[i] = _LEET[c]
    return out


def _words_pass(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    word: list[Unit] = []
    for u in units:
        if _is_word_char(u[0]):
            word.append(u)
            continue
        if word:
            out.extend(_map_word(word))
            word = []
        out.append(u)
    if word:
        out.extend(_map_word(word))
    return out


_LETTER_AND_GAP = re.compile(r"([^\W\d_])([\s.\-_*~+,/\\:;'\"]*)")


def _spaced_words(run: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of the separators to drop in one run of spaced letters. The most common
    separator is the one inside words; any other ends a word ("a f.a.g" is "a fag", "f.u.c.k
    y.o.u" is "fuck you"). A leading "a"/"i" stays a word of its own when the rest is a
    listed profanity or slur."""
    from .lexicon import is_profane

    pieces = [(m.start(), m.group(1), m.group(2)) for m in _LETTER_AND_GAP.finditer(run)]
    inside = Counter(gap for _, _, gap in pieces[:-1]).most_common(1)[0][0]
    words: list[list[tuple[int, str, str]]] = [[]]
    for piece in pieces:
        words[-1].append(piece)
        if piece[2] != inside:
            words.append([])
    drop: list[tuple[int, int]] = []
    for word in words:
        letters = "".join(p[1] for p in word)
        if len(word) >= 3 and letters[0] in "ai" and not is_profane(letters) and is_profane(letters[1:]):
            word = word[1:]
        for offset, letter, gap in word[:-1]:
            drop.append((start + offset + len(letter), start + offset + len(letter) + len(gap)))
    return drop


def _join_spaced(units: list[Unit]) -> list[Unit]:
    text = "".join(u[0] for u in units)
    if len(text) < 5:
        return units
    drop: set[int] = set()
    for m in _SPACED.finditer(text):
        for s, e in _spaced_words(m.group(), m.start()):
            drop.update(i for i in range(s, e) if text[i] in _SEP_CHARS)
    if not drop:
        return units
    return [u for i, u in enumerate(units) if i not in drop]


def _squeeze(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    long_runs: list[int] = []  # output positions whose letter stood three or more times
    for c, s, e in units:
        if out and c == " " and out[-1][0] == " ":
            out[-1] = (" ", out[-1][1], e)
            continue
        if len(out) >= 2 and out[-1][0] == c and out[-2][0] == c:
            out[-1] = (c, out[-1][1], e)  # widen so spans cover the whole run
            if not long_runs or long_runs[-1] != len(out) - 1:
                long_runs.append(len(out) - 1)
            continue
        out.append((c, s, e))
    return _single_letter_words(out, long_runs) if long_runs else out


def _single_letter_words(units: list[Unit], long_runs: list[int]) -> list[Unit]:
    """Squeeze a long run to one letter where that makes a listed word ("fuuuuck")."""
    from .lexicon import is_profane

    text = "".join(u[0] for u in units)
    merge: set[int] = set()
    for pos in long_runs:
        start = pos
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        end = pos + 1
        while end < len(text) and text[end].isalpha():
            end += 1
        word = text[start:end]
        single = text[start:pos] + text[pos + 1 : end]
        if not is_profane(word) and is_profane(single):
            merge.add(pos)
    out: list[Unit] = []
    for i, (c, s, e) in enumerate(units):
        if i in merge:  # fold this copy into the previous one, keeping the original range
            out[-1] = (c, out[-1][1], e)
            continue
        out.append((c, s, e))
    return out


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching and scoring; see the module docstring."""
    units = _squeeze(_join_spaced(_words_pass(_char_units(text))))
    return Normalized(
        text="".join(u[0] for u in units),
        offsets=[u[1] for u in units],
        ends=[u[2] for u in units],
        original_length=len(text),
    )


@dataclass(frozen=True)
class Match:
    """A whole-word term match, as original-text offsets."""

    start: int
    end: int
    term: str


def _term_pattern(term: str) -> str:
    norm = normalize(term).text.strip()
    parts: list[str] = []
    i = 0
    while i < len(norm):
        c = norm[i]
        if c == " ":
            parts.append(r"[\s\W_]{0,3}")  # multi-word terms: any separator, or none
            i += 1
            continue
        doubled = i + 1 < len(norm) and norm[i + 1] == c
        lit = re.escape(c * 2 if doubled else c)
        lit = lit if doubled else f"{lit}{{1,2}}"
        # The first letter must be literal: "****" alone should match nothing.
        parts.append(lit if not parts else rf"(?:{lit}|\*{{1,2}})")
        i += 2 if doubled else 1
    return "".join(parts)


class TermMatcher:
    """Whole-word matcher of terms through obfuscation (see module docstring)."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
        self._patterns = [(t, re.compile(rf"(?<![\w*]){_term_pattern(t)}(?![\w*])")) for t in self.terms]

    def find_normalized(self, norm: Normalized) -> list[Match]:
        """Matches in an already normalised text, as original offsets."""
        found: list[Match] = []
        for term, pat in self._patterns:
            for m in pat.finditer(norm.text):
                stars = m.group().count("*")
                letters = len(m.group()) - stars
                if stars and letters < stars:
                    continue
                start, end = norm.to_original(m.start(), m.end())
                found.append(Match(start, end, term))
        found.sort(key=lambda x: (x.start, -x.end))
        return _drop_overlaps(found)

    def find(self, text: str) -> list[Match]:
        """Whole-word matches of the terms in ``text`` (original offsets)."""
        return self.find_normalized(normalize(text))


def _drop_overlaps(matches: list[Match]) -> list[Match]:
    kept: list[Match] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept
