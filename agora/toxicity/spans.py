"""Token-level toxic-span head (trained on SemEval-2021 Task 5 ``tsd_train``).

Document-level contributions alone say which words push the score up, not which
words annotators mark as toxic. This small logistic regression decides per word
from the word itself, its neighbours, its character n-grams, the document
model's per-label contributions for that word, the document score and whether a
rule matched there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import artefact
from .features import char_grams

N_NUMERIC = 9


def word_features(tok: str) -> list[str]:
    """Features of the word itself (cacheable per word)."""
    return ["t" + tok, *("g" + g[1:] for g, _, _ in char_grams(tok) if len(g) >= 4)]


def context_features(words: list[str], i: int) -> list[str]:
    """Features of word ``i``'s neighbourhood."""
    tok = words[i]
    prev = words[i - 1] if i > 0 else "<s>"
    nxt = words[i + 1] if i + 1 < len(words) else "</s>"
    prev2 = words[i - 2] if i > 1 else "<s>"
    return ["p" + prev, "n" + nxt, "q" + prev2, "b" + prev + " " + tok, "a" + tok + " " + nxt]


def token_features(words: list[str], i: int) -> list[str]:
    """Sparse features of word ``i`` (strings, looked up in the span vocabulary)."""
    return word_features(words[i]) + context_features(words, i)


def numeric_features(
    contrib: np.ndarray, doc_logit: float, covered: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Dense features: 7 per-label contributions, document logit, rule coverage."""
    out = np.zeros((contrib.shape[0], N_NUMERIC))
    out[:, :7] = contrib[:, :7]
    out[:, 7] = doc_logit / 5.0
    out[:, 8] = covered
    del lengths  # reserved: kept in the signature for artefact compatibility
    return out


class SpanHead:
    """Linear span classifier: sparse vocabulary weights + dense weights + bias."""

    def __init__(self, vocab: list[str], weights: np.ndarray, dense: np.ndarray, bias: float) -> None:
        self.index = {f: i for i, f in enumerate(vocab)}
        self.weights = weights.astype(np.float64)
        self.dense = dense.astype(np.float64)
        self.bias = float(bias)
        self._word_cache: dict[str, float] = {}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> SpanHead | None:
        if "span_vocab" not in arrays:
            return None
        return cls(
            artefact.decode_strings(arrays["span_vocab"]),
            arrays["span_weights"],
            arrays["span_dense"],
            float(arrays["span_bias"][0]),
        )

    def _sum(self, feats: list[str], get: Any = None) -> float:
        get = get or self.index.get
        total = 0.0
        for f in feats:
            j = get(f)
            if j is not None:
                total += self.weights[j]
        return total

    def to_arrays(self) -> dict[str, np.ndarray]:
        vocab = sorted(self.index, key=self.index.__getitem__)
        return {
            "span_vocab": artefact.encode_strings(vocab),
            "span_weights": self.weights.astype(np.float32),
            "span_dense": self.dense.astype(np.float32),
            "span_bias": np.array([self.bias], dtype=np.float32),
        }

    def predict(
        self,
        text: str,
        toks: list[tuple[int, int]],
        contrib: np.ndarray,
        doc_logit: float,
        rule_hits: list[tuple[int, int]],
    ) -> np.ndarray:
        words = [text[s:e] for s, e in toks]
        scores = np.full(len(toks), self.bias)
        get = self.index.get
        for i, word in enumerate(words):
            own = self._word_cache.get(word)
            if own is None:
                own = self._sum(word_features(word))
                if len(self._word_cache) < 200_000:
                    self._word_cache[word] = own
            scores[i] += own + self._sum(context_features(words, i), get)
        covered = rule_coverage(toks, rule_hits)
        lengths = np.array([e - s for s, e in toks], dtype=float)
        scores += numeric_features(contrib, doc_logit, covered, lengths) @ self.dense
        return 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))


def rule_coverage(toks: list[tuple[int, int]], hits: list[tuple[int, int]]) -> np.ndarray:
    return np.array([float(any(hs <= s and e <= he for hs, he in hits)) for s, e in toks])
