"""Feature extraction shared by training and scoring (no train/serve skew).

Features are word unigrams and bigrams plus character 2-5-grams inside word
boundaries, computed on normalised text. Each occurrence carries its span in the
normalised text, which is what makes the linear model's explanations exact.

Identity words (see ``lexicon.IDENTITY_RE``) are replaced by the token ``_id_``
and produce no character n-grams: the training data ties them to abuse, and we
want attacks to be recognised by what is said about a group, not by its name.

Negation scope: up to three words after a negator ("not", "n't", "never", "no
one", "nicht", ...) until punctuation or "but" are marked with a leading ``!``
and produce no features at all, so "I don't hate X" is not scored as "hate X".
Profanity and slurs are exempt: "no fucking way" is still profane.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .lexicon import IDENTITY_RE, is_profane

ID_TOKEN = "_id_"
NEUTRAL_IDENTITY = "group"  # what the sentence encoder reads in place of any identity word


def neutral_identity(norm_text: str) -> str:
    """``norm_text`` with every identity-word mention (``IDENTITY_RE``, the same matches
    that become ``ID_TOKEN``) replaced by ``NEUTRAL_IDENTITY``: the encoder's view of it."""
    return IDENTITY_RE.sub(NEUTRAL_IDENTITY, norm_text)
CHAR_MIN, CHAR_MAX = 2, 5
_TOKEN = re.compile(r"[^\W_][\w'*]*")
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "noone",
        "none",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "without",
        "nicht",
        "kein",
        "keine",
        "keiner",
        "keinen",
        "nie",
        "niemand",
    ]
)
_SCOPE_BREAK = re.compile(r"[.,;:!?()\[\]]")
_SCOPE = 3

Occurrence = tuple[str, int, int]  # (feature, start, end) in normalised text
Token = tuple[str, int, int]


def tokens(norm_text: str) -> list[Token]:
    """Word tokens of normalised text, identity words replaced by ``_id_``."""
    ids = [(m.start(), m.end()) for m in IDENTITY_RE.finditer(norm_text)]
    out: list[Token] = []
    scope, last_end = 0, 0
    for m in _TOKEN.finditer(norm_text):
        tok = m.group().rstrip("'")
        start, end = m.start(), m.start() + len(tok)
        if scope and _SCOPE_BREAK.search(norm_text, last_end, start):
            scope = 0
        if ids and any(s < end and start < e for s, e in ids):
            tok = ID_TOKEN
        if tok in _NEGATORS or tok.endswith("n't"):
            scope = _SCOPE
        elif scope and not is_profane(tok):
            scope = 0 if tok in ("but", "aber") else scope - 1
            tok = tok if tok in ("but", "aber") else "!" + tok
        out.append((tok, start, end))
        last_end = end
    return out


@lru_cache(maxsize=200_000)
def char_grams(tok: str) -> tuple[tuple[str, int, int], ...]:
    padded = f" {tok} "
    grams: list[tuple[str, int, int]] = []
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        for k in range(len(padded) - n + 1):
            s = max(0, k - 1)
            e = min(len(tok), k - 1 + n)
            grams.append(("c" + padded[k : k + n], s, e))
    return tuple(grams)


def occurrences(norm_text: str) -> list[Occurrence]:
    """All feature occurrences with their spans in the normalised text."""
    occ: list[Occurrence] = []
    prev: Token | None = None
    for tok, start, end in tokens(norm_text):
        if tok[0] == "!":  # negated: contributes nothing, and breaks bigrams
            prev = None
            continue
        if tok != ID_TOKEN:  # naming a group is not toxic; what is said about it may be
            occ.append(("w" + tok, start, end))
        if prev is not None:
            occ.append(("b" + prev[0] + " " + tok, prev[1], end))
        if tok != ID_TOKEN:
            occ.extend((g, start + s, start + e) for g, s, e in char_grams(tok))
        prev = (tok, start, end)
    return occ


def feature_names(norm_text: str) -> list[str]:
    """Feature strings only (training fast path)."""
    return [f for f, _, _ in occurrences(norm_text)]


def block_of(feature: str) -> int:
    """0 for word features, 1 for character n-grams (normalised separately)."""
    return 1 if feature[0] == "c" else 0


def tfidf(
    idx: np.ndarray, idf: np.ndarray, block: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sublinear TF-IDF, L2-normalised per block.

    Returns (unique feature indices, values, occurrence→unique inverse, counts).
    """
    if idx.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0, dtype=np.float32), empty, empty
    uniq, inverse, counts = np.unique(idx, return_inverse=True, return_counts=True)
    vals = (1.0 + np.log(counts)) * idf[uniq]
    blocks = block[uniq]
    for b in (0, 1):
        mask = blocks == b
        norm = float(np.sqrt(np.sum(vals[mask] ** 2)))
        if norm > 0:
            vals[mask] /= norm
    return uniq, vals.astype(np.float32), inverse, counts
