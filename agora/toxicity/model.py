"""Runtime model: linear TF-IDF heads + curated rules, numpy only."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import artefact, lexicon
from .features import block_of, occurrences, tfidf
from .lang import SUPPORTED, detect
from .normalize import Normalized, normalize
from .text import clean, sanitize

LABELS: tuple[str, ...] = (
    "toxicity",
    "severe_toxicity",
    "identity_attack",
    "insult",
    "profanity",
    "threat",
    "sexually_explicit",
)
DEFAULT_PATH = Path(__file__).parent / "data" / "model.npz"
# Contributions inside quotes are damped when the comment condemns what it quotes.
_COUNTER_DAMPING = 0.25


@dataclass(frozen=True)
class Span:
    """A character range of the original text that drives the score."""

    start: int
    end: int
    weight: float
    label: str


@dataclass
class Result:
    """Scores for one comment (all seven attributes, in [0, 1])."""

    scores: dict[str, float]
    spans: list[Span] = field(default_factory=list)
    language: str = "en"
    unsupported: bool = False
    truncated: bool = False


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


class Model:
    """A loaded artefact. Thread-safe for scoring (read-only after load)."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.meta = meta
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        vocab = artefact.decode_strings(arrays["vocab"])
        self.index = {f: i for i, f in enumerate(vocab)}
        self.idf = arrays["idf"].astype(np.float64)
        self.block = np.fromiter((block_of(f) for f in vocab), dtype=np.int8, count=len(vocab))
        self.weights = arrays["weights"].astype(np.float32)
        self.bias = arrays["bias"].astype(np.float64)
        self.scale = np.asarray(meta.get("calibration_scale", [1.0] * len(self.labels)))
        self.shift = np.asarray(meta.get("calibration_shift", [0.0] * len(self.labels)))
        self.span_threshold = float(meta.get("span_threshold", 0.3))
        self.thresholds: dict[str, float] = meta.get("thresholds", {})

    # -- learned part -------------------------------------------------------
    def _linear(self, norm: Normalized) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray]:
        """Logits, occurrence spans and per-occurrence contributions (occurrences x labels)."""
        occ = [(self.index.get(f, -1), s, e) for f, s, e in occurrences(norm.text)]
        occ = [o for o in occ if o[0] >= 0]
        idx = np.fromiter((o[0] for o in occ), dtype=np.int64, count=len(occ))
        uniq, vals, inverse, counts = tfidf(idx, self.idf, self.block)
        if uniq.size == 0:
            return self.bias.copy(), [], np.zeros((0, len(self.labels)))
        per_occ = (vals / counts)[inverse][:, None] * self.weights[uniq][inverse]
        spans = [(s, e) for _, s, e in occ]
        per_occ = self._damp_counter_speech(norm.text, spans, per_occ)
        return self.bias + per_occ.sum(axis=0), spans, per_occ

    @staticmethod
    def _damp_counter_speech(text: str, spans: list[tuple[int, int]], per_occ: np.ndarray) -> np.ndarray:
        if not lexicon.COUNTER_CUES.search(text):
            return per_occ
        quotes = [(m.start(), m.end()) for m in lexicon.QUOTED.finditer(text)]
        if not quotes:
            return per_occ
        inside = np.array([any(qs <= s and e <= qe for qs, qe in quotes) for s, e in spans])
        if inside.any():
            per_occ = per_occ.copy()
            per_occ[inside] *= _COUNTER_DAMPING
        return per_occ

    # -- rules --------------------------------------------------------------
    @staticmethod
    def _rules(text: str) -> list[tuple[lexicon.Rule, int, int]]:
        """Rule matches that are asserted (not negated, not condemned quotes)."""
        hits: list[tuple[lexicon.Rule, int, int]] = []
        quotes = [(m.start(), m.end()) for m in lexicon.QUOTED.finditer(text)]
        countered = bool(lexicon.COUNTER_CUES.search(text))
        for rule in lexicon.RULES:
            for m in rule.pattern.finditer(text):
                if rule.name not in ("slur", "sexual_slur", "sexual") and lexicon.negated(text, m.start()):
                    continue
                quoted = any(qs <= m.start() and m.end() <= qe for qs, qe in quotes)
                # Condemning or reporting abuse is not abuse; threats stay asserted.
                if countered and (quoted or rule.name != "threat"):
                    continue
                hits.append((rule, m.start(), m.end()))
        return hits

    # -- spans --------------------------------------------------------------
    def _token_spans(
        self, norm: Normalized, spans: list[tuple[int, int]], per_occ: np.ndarray
    ) -> list[tuple[int, int, float, str]]:
        """Tokens whose summed contribution to toxicity is high enough."""
        if not spans:
            return []
        n = len(norm.text)
        per_char = np.zeros((n + 1, len(self.labels)))
        for (s, e), contrib in zip(spans, per_occ, strict=True):
            if e > s:
                per_char[s:e] += contrib / (e - s)
        out: list[tuple[int, int, float, str]] = []
        for m in _WORDISH.finditer(norm.text):
            c = per_char[m.start() : m.end()].sum(axis=0)
            weight = float(1.0 - math.exp(-max(c[0], 0.0)))
            if weight >= self.span_threshold:
                other = int(np.argmax(c[1:])) + 1
                out.append((m.start(), m.end(), weight, self.labels[other]))
        return out

    # -- public -------------------------------------------------------------
    def score_one(self, text: object) -> Result:
        raw, truncated = sanitize(text)
        cleaned = clean(raw)
        language = detect(cleaned)
        norm = normalize(cleaned)
        logits, spans, per_occ = self._linear(norm)
        probs = _sigmoid(self.scale * logits + self.shift)
        scores = dict(zip(self.labels, (float(p) for p in probs), strict=True))
        found = self._token_spans(norm, spans, per_occ)
        for rule, s, e in self._rules(norm.text):
            for label, floor in rule.floors.items():
                scores[label] = max(scores[label], floor)
            found.append((s, e, max(rule.floors.values()), _RULE_LABEL.get(rule.name, "toxicity")))
        return Result(
            scores={k: round(min(1.0, max(0.0, v)), 6) for k, v in scores.items()},
            spans=_to_original(norm, found),
            language=language,
            unsupported=language not in SUPPORTED,
            truncated=truncated,
        )

    def score(self, texts: list[str]) -> list[Result]:
        """Score comments; never raises on odd input (None, bytes, junk, huge)."""
        return [self.score_one(t) for t in texts]


_RULE_LABEL = {
    "threat": "threat",
    "dehumanisation": "identity_attack",
    "antisemitic_trope": "identity_attack",
    "nazi_praise": "identity_attack",
    "slur": "identity_attack",
    "sexual_slur": "insult",
    "sexual": "sexually_explicit",
}
_WORDISH = re.compile(r"[^\W_][\w'*]*")


def _to_original(norm: Normalized, found: list[tuple[int, int, float, str]]) -> list[Span]:
    """Map normalised spans to original offsets; overlapping spans keep the strongest."""
    spans = sorted(
        (Span(*norm.to_original(s, e), round(w, 4), lab) for s, e, w, lab in found if e > s),
        key=lambda sp: (sp.start, -sp.weight),
    )
    merged: list[Span] = []
    for sp in spans:
        if merged and sp.start < merged[-1].end:
            last = merged[-1]
            if sp.weight > last.weight or sp.end > last.end:
                merged[-1] = Span(
                    last.start,
                    max(last.end, sp.end),
                    max(last.weight, sp.weight),
                    sp.label if sp.weight > last.weight else last.label,
                )
            continue
        merged.append(sp)
    return merged


_CACHE: dict[str, Model] = {}
_LOCK = threading.Lock()


def load(path: str | Path | None = None) -> Model:
    """Load (and cache per path) a model artefact; the shipped one by default."""
    resolved = str(Path(path) if path is not None else DEFAULT_PATH)
    with _LOCK:
        if resolved not in _CACHE:
            arrays, meta = artefact.read(resolved)
            _CACHE[resolved] = Model(arrays, meta)
        return _CACHE[resolved]
