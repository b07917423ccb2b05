"""Runtime model: a sentence encoder's heads blended with linear TF-IDF heads, curated
rules, and optionally a site's own head learned from its moderators' decisions.

The n-gram part needs numpy only and gives the character spans; the encoder part
(``encoder``) needs onnxruntime and generalises beyond the words of the training data.
The n-gram heads score a long comment per sentence as well as whole, and the strongest
counts, so one abusive sentence is not diluted by the rest; the encoder reads the whole
comment with every identity word replaced by one neutral word."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import artefact, encoder, lexicon
from .features import ID_TOKEN, block_of, char_grams, neutral_identity, tfidf, tokens
from .lang import SUPPORTED, detect
from .normalize import Normalized, normalize
from .spans import SpanHead
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
_BASE_CACHE_SIZE = 256
# Sentences the encoder also scores on its own, the n-gram heads' strongest first. One: on
# held-out comments of several sentences eight scored no better at 1.5 times the CPU
# (bench/toxicity/sentence_budget.py); none let a long calm comment dilute one abusive sentence.
ENCODER_SENTENCES = 1
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
        # A word is also kept only if its probability reaches this share of the post's
        # strongest word: annotators mark the worst words, not every mildly negative one.
        self.span_relative = float(meta.get("span_relative", 0.0))
        # Below this toxicity, no word spans are shown (rule matches still are).
        self.span_gate = float(meta.get("span_gate", 0.0))
        self.thresholds: dict[str, float] = meta.get("thresholds", {})
        self.span_head = SpanHead.from_arrays(arrays)
        # Encoder heads (dimension x labels) and each label's share of the encoder's logit.
        self.encoder_weights = arrays.get("encoder_weights")
        self.encoder_bias = arrays.get("encoder_bias")
        self.blend = np.asarray(meta.get("encoder_blend", [0.0] * len(self.labels)), dtype=np.float64)
        self.encoder = encoder.load() if self.encoder_weights is not None else None
        self.encoder_sentences = ENCODER_SENTENCES
        # Site heads learned from moderators' decisions: per label [a, v...] and c, where
        # the label's logit becomes a * logit + v . embedding + c.
        self.site_labels: list[str] = list(meta.get("site_labels", []))
        self.site_coef = arrays.get("site_coef")
        self.site_intercept = arrays.get("site_intercept")
        self._tok_cache: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._base_cache: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}

    # -- learned part -------------------------------------------------------
    def _token_features(self, tok: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known unigram + char n-gram features of a token (cached per token)."""
        hit = self._tok_cache.get(tok)
        if hit is not None:
            return hit
        grams: list[tuple[str, int, int]] = []
        if tok[0] != "!" and tok != ID_TOKEN:  # see features.occurrences
            grams = [("w" + tok, 0, 1 << 30), *char_grams(tok)]  # word end clipped below
        known = [(self.index[g], s, e) for g, s, e in grams if g in self.index]
        arr = np.array(known, dtype=np.int64).reshape(-1, 3)
        hit = (arr[:, 0], arr[:, 1], arr[:, 2])
        if len(self._tok_cache) < 200_000:
            self._tok_cache[tok] = hit
        return hit

    def _occurrences(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature indices and spans; same features as ``features.occurrences``."""
        idx, starts, ends = [], [], []
        prev: tuple[str, int, int] | None = None
        for tok, start, end in tokens(text):
            if tok[0] == "!":  # negated: no features, and no bigram across it
                prev = None
                continue
            i, s, e = self._token_features(tok)
            idx.append(i)
            starts.append(s + start)
            ends.append(np.minimum(e + start, end))
            if prev is not None:
                j = self.index.get("b" + prev[0] + " " + tok)
                if j is not None:
                    idx.append(np.array([j]))
                    starts.append(np.array([prev[1]]))
                    ends.append(np.array([end]))
            prev = (tok, start, end)
        if not idx:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(idx), np.concatenate(starts), np.concatenate(ends)

    def _linear(self, norm: Normalized) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Logits, occurrence spans (k x 2) and contributions (k x labels)."""
        return self._linear_text(norm.text)

    def _linear_text(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx, starts, ends = self._occurrences(text)
        uniq, vals, inverse, counts = tfidf(idx, self.idf, self.block)
        if uniq.size == 0:
            return self.bias.copy(), np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(self.labels)))
        per_occ = (vals / counts)[inverse][:, None] * self.weights[uniq][inverse]
        spans = np.stack([starts, ends], axis=1)
        per_occ = self._damp_counter_speech(text, spans, per_occ)
        return self.bias + per_occ.sum(axis=0), spans, per_occ

    # -- encoder, sentences and site ------------------------------------------
    def base_logits(self, norm_text: str, ngram: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Logits before any site head, and the comment's embedding (None without an
        encoder). ``ngram`` is the whole comment's n-gram logits.

        The last few results are kept: the pipeline scores a flagged comment a second time
        for its spans, and the encoder is the expensive part."""
        hit = self._base_cache.get(norm_text)
        if hit is not None:
            return hit[0].copy(), hit[1]
        result = self._compute_base(norm_text, ngram)
        with _LOCK:
            if len(self._base_cache) >= _BASE_CACHE_SIZE:
                self._base_cache.pop(next(iter(self._base_cache)))
            self._base_cache[norm_text] = result
        return result[0].copy(), result[1]

    def _compute_base(self, norm_text: str, ngram: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        z = self.scale * ngram + self.shift
        parts = encoder.segments(norm_text)
        # The strongest sentence counts: one abusive sentence is not diluted.
        sentence_z = [self.scale * self._linear_text(part)[0] + self.shift for part in parts[1:]]
        for zs in sentence_z:
            z = np.maximum(z, zs)
        if self.encoder is None:
            return z, None
        # The encoder sees every group named the same way, as the n-gram heads do (ID_TOKEN):
        # two comments that differ only in the group they name score the same.
        encoded = [neutral_identity(part) for part in self._encoder_parts(parts, sentence_z)]
        vectors = np.vstack([self.encoder.embed([part]) for part in encoded])
        z_enc = (vectors @ self.encoder_weights + self.encoder_bias).max(axis=0)
        z = self.blend * z_enc + (1.0 - self.blend) * z
        return z, vectors[0]  # the whole comment's embedding: what a site head learns from

    def _encoder_parts(self, parts: list[str], sentence_z: list[np.ndarray]) -> list[str]:
        """The whole comment, then the ``encoder_sentences`` sentences the n-gram heads found
        strongest: the encoder costs milliseconds a call, so it reads only the suspects."""
        order = sorted(range(len(sentence_z)), key=lambda i: -float(sentence_z[i].max()))
        return [parts[0], *(parts[1 + i] for i in order[: self.encoder_sentences])]

    def _site(self, z: np.ndarray, embedding: np.ndarray | None) -> np.ndarray:
        if self.site_coef is None or embedding is None:
            return z
        z = z.copy()
        for k, label in enumerate(self.site_labels):
            j = self.labels.index(label)
            coef = self.site_coef[k]
            z[j] = coef[0] * z[j] + float(coef[1:] @ embedding) + float(self.site_intercept[k])
        return z

    def features(self, text: object) -> tuple[np.ndarray, np.ndarray | None]:
        """What a site head learns from: base logits and the embedding of one comment."""
        raw, _ = sanitize(text)
        norm = normalize(clean(raw))
        return self.base_logits(norm.text, self._linear(norm)[0])

    @staticmethod
    def _damp_counter_speech(text: str, spans: list[tuple[int, int]], per_occ: np.ndarray) -> np.ndarray:
        if not lexicon.COUNTER_CUES.search(text):
            return per_occ
        quotes = [(m.start(), m.end()) for m in lexicon.QUOTED.finditer(text)]
        if not quotes:
            return per_occ
        inside = np.zeros(len(spans), dtype=bool)
        for qs, qe in quotes:
            inside |= (spans[:, 0] >= qs) & (spans[:, 1] <= qe)
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
    def token_contributions(
        self, norm: Normalized, spans: np.ndarray, per_occ: np.ndarray
    ) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Word tokens and their summed contribution per label (tokens x labels).

        Each occurrence's contribution is spread evenly over its characters.
        """
        toks = [(m.start(), m.end()) for m in _WORDISH.finditer(norm.text)]
        out = np.zeros((len(toks), len(self.labels)))
        if len(spans) == 0 or not toks:
            return toks, out
        n = len(norm.text)
        width = np.maximum(spans[:, 1] - spans[:, 0], 1)[:, None]
        diff = np.zeros((n + 1, per_occ.shape[1]))
        np.add.at(diff, spans[:, 0], per_occ / width)
        np.add.at(diff, spans[:, 1], -per_occ / width)
        cum = np.vstack([np.zeros((1, per_occ.shape[1])), np.cumsum(np.cumsum(diff, axis=0), axis=0)])
        starts = np.array([t[0] for t in toks])
        ends = np.array([t[1] for t in toks])
        return toks, cum[ends] - cum[starts]

    def _token_spans(
        self,
        norm: Normalized,
        logits: np.ndarray,
        spans: np.ndarray,
        per_occ: np.ndarray,
        rule_hits: list[tuple[int, int]],
    ) -> list[tuple[int, int, float, str]]:
        """Toxic tokens: by the span head if the artefact has one, else by contribution."""
        toks, contrib = self.token_contributions(norm, spans, per_occ)
        if not toks:
            return []
        if self.span_head is not None:
            probs = self.span_head.predict(norm.text, toks, contrib, float(logits[0]), rule_hits)
        else:
            probs = 1.0 - np.exp(-np.maximum(contrib[:, 0], 0.0))
        cutoff = max(self.span_threshold, self.span_relative * float(probs.max()))
        out: list[tuple[int, int, float, str]] = []
        for (start, end), p, c in zip(toks, probs, contrib, strict=True):
            if p >= cutoff:
                out.append((start, end, float(p), self.labels[int(np.argmax(c[1:])) + 1]))
        return out

    # -- public -------------------------------------------------------------
    def score_one(self, text: object, spans: bool = True) -> Result:
        """Scores and the spans behind them; `spans=False` skips the word-level spans (rule
        matches are still reported), about a quarter of the time, for callers that only
        need spans once a score is high."""
        raw, truncated = sanitize(text)
        cleaned = clean(raw)
        language = detect(cleaned)
        norm = normalize(cleaned)
        logits, occurrences, per_occ = self._linear(norm)
        probs = _sigmoid(self._site(*self.base_logits(norm.text, logits)))
        scores = dict(zip(self.labels, (float(p) for p in probs), strict=True))
        hits = self._rules(norm.text)
        for rule, _, _ in hits:
            for label, floor in rule.floors.items():
                scores[label] = max(scores[label], floor)
        found: list[tuple[int, int, float, str]] = []
        if spans and scores["toxicity"] >= self.span_gate:
            found = self._token_spans(norm, logits, occurrences, per_occ, [(s, e) for _, s, e in hits])
        for rule, s, e in hits:
            found.append((s, e, max(rule.floors.values()), _RULE_LABEL.get(rule.name, "toxicity")))
        return Result(
            scores={k: round(min(1.0, max(0.0, v)), 6) for k, v in scores.items()},
            spans=_join_across_spaces(raw, _to_original(norm, found)),
            language=language,
            unsupported=language not in SUPPORTED,
            truncated=truncated,
        )

    def score(self, texts: list[str], spans: bool = True) -> list[Result]:
        """Score comments; never raises on odd input (None, bytes, junk, huge)."""
        return [self.score_one(t, spans) for t in texts]


_RULE_LABEL = {
    "threat": "threat",
    "dehumanisation": "identity_attack",
    "antisemitic_trope": "identity_attack",
    "nazi_praise": "identity_attack",
    "slur": "identity_attack",
    "group_hatred": "identity_attack",
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


def _join_across_spaces(text: str, spans: list[Span], gap: int = 3) -> list[Span]:
    """Merge spans separated only by a little whitespace ("stupid idiot" is one span, as
    annotators mark it): the strongest weight and its label are kept."""
    out: list[Span] = []
    for sp in spans:
        if out and 0 < sp.start - out[-1].end <= gap and text[out[-1].end : sp.start].isspace():
            last = out[-1]
            strong = sp if sp.weight > last.weight else last
            out[-1] = Span(last.start, sp.end, strong.weight, strong.label)
            continue
        out.append(sp)
    return out


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
