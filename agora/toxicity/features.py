"""Feature extraction shared by training and scoring (no train/serve skew).

Features are word unigrams and bigrams plus character 2-5-grams inside word
boundaries, computed on normalised text. Each occurrence carries its span in the
normalised text, which is what makes the linear model's explanations exact.

Identity words (see ``lexicon.IDENTITY_RE``) are replaced by the token ``_id_``
and produce no character n-grams: the training data ties them to abuse, and we
want attacks to be recognised by what is said about a group, not by its name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .lexicon import IDENTITY_RE

ID_TOKEN = "_id_"
CHAR_MIN, CHAR_MAX = 2, 5
_TOKEN = re.compile(r"[^\W_][\w'*]*")

Occurrence = tuple[str, int, int]  # (feature, start, end) in normalised text
Token = tuple[str, int, int]


def tokens(norm_text: str) -> list[Token]:
    """Word tokens of normalised text, identity words replaced by ``_id_``."""
    ids = [(m.start(), m.end()) for m in IDENTITY_RE.finditer(norm_text)]
    out: list[Token] = []
    for m in _TOKEN.finditer(norm_text):
        tok = m.group().rstrip("'")
        start, end = m.start(), m.start() + len(tok)
        if ids and any(s < end and start < e for s, e in ids):
            tok = ID_TOKEN
        out.append((tok, start, end))
    return out


@lru_cache(maxsize=200_000)
def _char_grams(tok: str) -> tuple[tuple[str, int, int], ...]:
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
    toks = tokens(norm_text)
    occ: list[Occurrence] = []
    prev: Token | None = None
    for tok, start, end in toks:
        occ.append(("w" + tok, start, end))
        if prev is not None:
            occ.append(("b" + prev[0] + " " + tok, prev[1], end))
        if tok != ID_TOKEN:
            occ.extend((g, start + s, start + e) for g, s, e in _char_grams(tok))
        prev = (tok, start, end)
    return occ


def feature_names(norm_text: str) -> list[str]:
    """Feature strings only (training fast path)."""
    toks = tokens(norm_text)
    names: list[str] = []
    prev = None
    for tok, _, _ in toks:
        names.append("w" + tok)
        if prev is not None:
            names.append("b" + prev + " " + tok)
        if tok != ID_TOKEN:
            names.extend(g for g, _, _ in _char_grams(tok))
        prev = tok
    return names


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
