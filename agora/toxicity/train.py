"""Training and evaluation (needs the ``train`` extra: scikit-learn, scipy, tqdm).

Deterministic: same data, same seed → byte-identical artefact (fixed split by
hashed group ids, sorted vocabulary, liblinear with a fixed random_state, fixed
zip timestamps).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from tqdm import tqdm

from . import artefact, augment, encoder
from .data import LABELS, Example, bucket, load_sources, read_tsd, split
from .features import block_of, feature_names, tfidf
from .head import fit_logistic
from .model import DEFAULT_PATH, Model
from .normalize import normalize
from .spans import SpanHead, numeric_features, rule_coverage, token_features
from .text import clean, sanitize

MIN_DF = {0: 2, 1: 3}
MAX_FEATURES = {0: 80_000, 1: 200_000}
C = 2.0
ENCODER_L2 = 1.0
# The encoder's share of each attribute's logit, chosen on the leave-one-source-out table
# (bench/toxicity/generalisation.py).
ENCODER_BLEND = 0.5


def normalized_texts(texts: Sequence[str], desc: str = "normalise") -> list[str]:
    out = []
    for t in tqdm(texts, desc=desc, unit="doc", leave=False):
        raw, _ = sanitize(t)
        out.append(normalize(clean(raw)).text)
    return out


def build_vocab(docs: Sequence[str]) -> list[str]:
    """Features kept by document frequency, in a deterministic order."""
    df: Counter[str] = Counter()
    for d in tqdm(docs, desc="vocabulary", unit="doc", leave=False):
        df.update(set(feature_names(d)))
    vocab: list[str] = []
    for block in (0, 1):
        kept = [(f, n) for f, n in df.items() if block_of(f) == block and n >= MIN_DF[block]]
        kept.sort(key=lambda fn: (-fn[1], fn[0]))
        vocab.extend(f for f, _ in kept[: MAX_FEATURES[block]])
    return sorted(vocab)


def idf_of(docs: Sequence[str], index: dict[str, int]) -> np.ndarray:
    df = np.zeros(len(index))
    for d in docs:
        ids = {index[f] for f in feature_names(d) if f in index}
        df[list(ids)] += 1
    return np.log((1 + len(docs)) / (1 + df)) + 1.0


def matrix(
    docs: Sequence[str], index: dict[str, int], idf: np.ndarray, block: np.ndarray, desc: str = "features"
) -> sparse.csr_matrix:
    indptr, indices, values = [0], [], []
    for d in tqdm(docs, desc=desc, unit="doc", leave=False):
        idx = np.fromiter((index[f] for f in feature_names(d) if f in index), dtype=np.int64)
        uniq, vals, _, _ = tfidf(idx, idf, block)
        indices.append(uniq)
        values.append(vals)
        indptr.append(indptr[-1] + uniq.size)
    return sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            indptr,
        ),
        shape=(len(docs), len(index)),
        dtype=np.float32,
    )


def soft_rows(rows: Sequence[int], targets: Sequence[float], weights: Sequence[float]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Soft labels for a hard-label learner: a row whose raters split (share p) appears as
    a positive with weight w * p and as a negative with weight w * (1 - p)."""
    idx = np.asarray(rows, dtype=np.int64)
    y, w = np.asarray(targets, dtype=float), np.asarray(weights, dtype=float)
    soft = (y > 0) & (y < 1)
    both = idx[soft]
    rows_out = np.concatenate([idx[~soft], both, both])
    labels = np.concatenate([y[~soft] >= 0.5, np.ones(len(both), bool), np.zeros(len(both), bool)])
    sample = np.concatenate([w[~soft], w[soft] * y[soft], w[soft] * (1 - y[soft])])
    return rows_out, labels, sample


def _known(examples: Sequence[Example], label: str) -> tuple[list[int], list[float], list[float]]:
    rows = [i for i, ex in enumerate(examples) if ex.labels[label] is not None]
    return rows, [float(examples[i].labels[label] or 0.0) for i in rows], [examples[i].weight for i in rows]


def fit_heads(
    X: sparse.csr_matrix, examples: Sequence[Example], seed: int, labels: Sequence[str] = LABELS
) -> tuple[np.ndarray, np.ndarray]:
    """One weighted logistic regression per attribute, on rows where it is known."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((X.shape[1], len(LABELS)), dtype=np.float32)
    b = np.full(len(LABELS), -4.0)
    for j, label in enumerate(tqdm(LABELS, desc="heads", unit="label", leave=False)):
        if label not in labels:
            continue
        idx, y, w = soft_rows(*_known(examples, label))
        if len(set(y.tolist())) < 2 or y.sum() < 20:
            continue  # nothing to learn (e.g. sexually_explicit): rules only
        clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=200)
        clf.fit(X[idx], y, sample_weight=w)
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    return W, b


def fit_encoder_heads(E: np.ndarray, examples: Sequence[Example], blend: float
                      ) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Per-attribute logistic heads on the sentence embeddings (soft labels), and each
    label's share of the encoder in the blend (0 where no head could be learned)."""
    W = np.zeros((E.shape[1], len(LABELS)), dtype=np.float32)
    b = np.zeros(len(LABELS), dtype=np.float32)
    shares = [0.0] * len(LABELS)
    for j, label in enumerate(LABELS):
        rows, y, w = _known(examples, label)
        if sum(v >= 0.5 for v in y) < 20:
            continue
        head = fit_logistic(E[rows], np.array(y), np.array(w), ENCODER_L2)
        W[:, j], b[j], shares[j] = head.coef, head.intercept, blend
    return W, b, shares


def embed(docs: Sequence[str], cache_dir: str | Path | None) -> np.ndarray:
    """Sentence embeddings of normalised texts, through a cache directory when given."""
    from .embed_cache import EmbeddingCache

    if cache_dir is None:
        return np.vstack([encoder.load().embed([d]) for d in docs])
    return EmbeddingCache(cache_dir).embed(docs, encoder.load())


def collect(data_dir: str | Path | None, seed: int, cap: int | None = None) -> list[Example]:
    examples = load_sources(data_dir, cap=cap) if data_dir else []
    return examples + augment.examples(seed)


def train(
    data_dir: str | Path | None,
    out: str | Path = DEFAULT_PATH,
    seed: int = 0,
    tsd_dir: str | Path | None = None,
    cap: int | None = None,
    embeddings: str | Path | None = None,
    blend: float | None = None,
) -> dict[str, Any]:
    """Train all heads, evaluate on the fixed held-out split, write the artefact.

    ``cap`` keeps at most that many rows per source; ``embeddings`` is a cache directory
    for the training texts' sentence embeddings; ``blend`` is the encoder's share of each
    logit (default ``ENCODER_BLEND``; 0 trains the n-gram model alone)."""
    blend = ENCODER_BLEND if blend is None else blend
    examples = collect(data_dir, seed, cap)
    train_idx, test_idx = split(examples, seed)
    docs = normalized_texts([ex.text for ex in examples])
    train_docs = [docs[i] for i in train_idx]
    vocab = build_vocab(train_docs)
    index = {f: i for i, f in enumerate(vocab)}
    block = np.array([block_of(f) for f in vocab], dtype=np.int8)
    idf = idf_of(train_docs, index)
    X = matrix(train_docs, index, idf, block)
    W, b = fit_heads(X, [examples[i] for i in train_idx], seed)
    arrays = {
        "vocab": artefact.encode_strings(vocab),
        "idf": idf.astype(np.float32),
        "weights": W.astype(np.float32),
        "bias": b.astype(np.float32),
    }
    shares = [0.0] * len(LABELS)
    if blend > 0 and encoder.available():
        E = embed(train_docs, embeddings)
        V, c, shares = fit_encoder_heads(E, [examples[i] for i in train_idx], blend)
        arrays.update(encoder_weights=V, encoder_bias=c)
    meta: dict[str, Any] = {
        "labels": list(LABELS),
        "format": 1,
        "seed": seed,
        "train_size": len(train_idx),
        "heldout_size": len(test_idx),
        "span_threshold": 0.3,
        "thresholds": {k: 0.5 for k in LABELS},
        "sources": sorted({ex.source for ex in examples}),
        "rows_per_source_cap": cap,
        "encoder_blend": shares,
    }
    model = Model(arrays, meta)
    heldout = [examples[i] for i in test_idx]
    meta["heldout"] = evaluate(model, heldout)
    root = Path(tsd_dir) if tsd_dir else (Path(data_dir) / "toxic_spans_civil" if data_dir else None)
    if root is not None and (root / "tsd_train.csv").exists():
        # A fixed fifth of tsd_train plus tsd_trial tunes the span threshold.
        rows = read_tsd(root / "tsd_train.csv")
        fit_rows = [r for r in rows if bucket(r[0], "span") >= 0.2]
        tune_rows = [r for r in rows if bucket(r[0], "span") < 0.2]
        tune_rows += read_tsd_if_present(root / "tsd_trial.csv")
        # A gate at the toxicity operating threshold was tried and cost a lot of span F1
        # (many annotated posts score below it), so word spans are shown for any score.
        meta["span_gate"] = model.span_gate = 0.0
        best: tuple[float, float, float, float] | None = None  # (F1, C, threshold, relative)
        for strength in SPAN_C:  # most regularised first: a tie keeps the simpler head
            model.span_head = fit_span_head(model, fit_rows, seed, strength)
            threshold, relative, f1 = tune_spans(model, tune_rows)
            if best is None or f1 > best[0]:
                best = (f1, strength, threshold, relative)
        assert best is not None
        meta["span_tuning_f1"], meta["span_c"], meta["span_threshold"], meta["span_relative"] = best
        model.span_threshold, model.span_relative = meta["span_threshold"], meta["span_relative"]
        # The chosen head is refitted on every annotated post: the cutoffs carry over.
        head = fit_span_head(model, rows + read_tsd_if_present(root / "tsd_trial.csv"), seed, best[1])
        arrays.update(head.to_arrays())
        model.span_head = head
    artefact.save(out, arrays, meta)
    return meta


def read_tsd_if_present(path: Path) -> list[tuple[str, list[int]]]:
    return read_tsd(path) if path.exists() else []


def fit_span_head(model: Model, rows: Sequence[tuple[str, list[int]]], seed: int,
                  strength: float) -> SpanHead:
    """Token classifier for toxic spans (SemEval-2021 Task 5 training file)."""
    from sklearn.linear_model import LogisticRegression

    sparse_rows: list[list[str]] = []
    dense_rows: list[np.ndarray] = []
    labels: list[bool] = []
    for text, gold in tqdm(rows, desc="span features", unit="doc", leave=False):
        gold_set = set(gold)
        raw, _ = sanitize(text)
        norm = normalize(clean(raw))
        logits, spans, per_occ = model._linear(norm)
        hits = [(s, e) for _, s, e in model._rules(norm.text)]
        toks, contrib = model.token_contributions(norm, spans, per_occ)
        if not toks:
            continue
        words = [norm.text[s:e] for s, e in toks]
        lengths = np.array([e - s for s, e in toks], dtype=float)
        dense_rows.append(numeric_features(contrib, float(logits[0]), rule_coverage(toks, hits), lengths))
        for i, (s, e) in enumerate(toks):
            os_, oe = norm.to_original(s, e)
            labels.append(sum(c in gold_set for c in range(os_, oe)) * 2 >= max(1, oe - os_))
            sparse_rows.append(token_features(words, i))
    counts: Counter[str] = Counter(f for feats in sparse_rows for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= 2)
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices = [0], []
    for feats in sparse_rows:
        ids = sorted({index[f] for f in feats if f in index})
        indices.extend(ids)
        indptr.append(len(indices))
    Xs = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(sparse_rows), len(vocab)))
    X = sparse.hstack([Xs, sparse.csr_matrix(np.vstack(dense_rows))]).tocsr()
    clf = LogisticRegression(C=strength, solver="liblinear", random_state=seed, max_iter=300)
    clf.fit(X, np.array(labels))
    coef = clf.coef_[0]
    return SpanHead(vocab, coef[: len(vocab)], coef[len(vocab) :], float(clf.intercept_[0]))


# -- evaluation ---------------------------------------------------------------
def auc_ap(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    if len(set(y.tolist())) < 2:
        return float("nan"), float("nan")
    return float(roc_auc_score(y, p)), float(average_precision_score(y, p))


def evaluate(model: Model, examples: Sequence[Example], desc: str = "evaluate") -> dict[str, Any]:
    """ROC-AUC/AP/precision/recall per source and label on labelled rows."""
    results = [model.score_one(ex.text) for ex in tqdm(examples, desc=desc, leave=False)]
    out: dict[str, Any] = {}
    for source in sorted({ex.source for ex in examples}):
        rows = [i for i, ex in enumerate(examples) if ex.source == source]
        out[source] = per_label(model, [examples[i] for i in rows], [results[i] for i in rows])
    return out


def per_label(model: Model, examples: Sequence[Example], results: Sequence[Any]) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    for label in LABELS:
        pairs = [
            (ex.labels[label], r.scores[label])
            for ex, r in zip(examples, results, strict=True)
            if ex.labels[label] is not None
        ]
        if not pairs:
            continue
        y = np.array([p[0] >= 0.5 for p in pairs])
        s = np.array([p[1] for p in pairs])
        if y.sum() == 0 or y.sum() == len(y):
            continue
        auc, ap = auc_ap(y, s)
        thr = model.thresholds.get(label, 0.5)
        pred = s >= thr
        tp = int((pred & y).sum())
        stats[label] = {
            "n": len(y),
            "positives": int(y.sum()),
            "roc_auc": round(auc, 4),
            "average_precision": round(ap, 4),
            "threshold": thr,
            "precision": round(tp / max(1, int(pred.sum())), 4),
            "recall": round(tp / max(1, int(y.sum())), 4),
        }
    return stats


def span_f1(
    model: Model,
    rows: Sequence[tuple[str, list[int]]],
    threshold: float | None = None,
    relative: float | None = None,
) -> float:
    """SemEval-2021 Task 5 character F1 (mean over posts; empty vs empty = 1)."""
    saved = model.span_threshold, model.span_relative
    model.span_threshold = saved[0] if threshold is None else threshold
    model.span_relative = saved[1] if relative is None else relative
    try:
        scores = []
        for text, gold in rows:
            pred: set[int] = set()
            for sp in model.score_one(text).spans:
                pred.update(range(sp.start, sp.end))
            scores.append(_f1(pred, set(gold)))
        return float(np.mean(scores))
    finally:
        model.span_threshold, model.span_relative = saved


def _f1(pred: set[int], gold: set[int]) -> float:
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


# Inverse regularisation strengths (C) tried for the span head, most regularised first.
SPAN_C = (0.03, 0.06, 0.12, 0.25, 0.5, 1.0)
SPAN_THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
SPAN_RELATIVES = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)


def tune_spans(model: Model, rows: Sequence[tuple[str, list[int]]]) -> tuple[float, float, float]:
    """Absolute and relative span cutoffs maximising mean character F1 on ``rows``.

    Returns (threshold, relative, F1). The post's rule matches are always kept.
    """
    posts = []
    for text, gold in tqdm(rows, desc="span tuning", unit="doc", leave=False):
        raw, _ = sanitize(text)
        norm = normalize(clean(raw))
        logits, spans, per_occ = model._linear(norm)
        hits = [(s, e) for _, s, e in model._rules(norm.text)]
        toks, contrib = model.token_contributions(norm, spans, per_occ)
        probs = (
            model.span_head.predict(norm.text, toks, contrib, float(logits[0]), hits)
            if toks and model.span_head is not None
            else np.zeros(len(toks))
        )
        words = [set(range(*norm.to_original(s, e))) for s, e in toks]
        ruled: set[int] = set()
        for s, e in hits:
            ruled.update(range(*norm.to_original(s, e)))
        posts.append((words, probs, ruled, set(gold)))
    best = (-1.0, 0.5, 0.0)
    for thr in SPAN_THRESHOLDS:
        for rel in SPAN_RELATIVES:
            f1s = []
            for words, probs, ruled, gold in posts:
                cutoff = max(thr, rel * float(probs.max())) if len(probs) else thr
                pred = set(ruled)
                for chars, p in zip(words, probs, strict=True):
                    if p >= cutoff:
                        pred |= chars
                f1s.append(_f1(pred, gold))
            best = max(best, (float(np.mean(f1s)), thr, rel))
    return best[1], best[2], round(best[0], 4)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))
