"""Leave-one-source-out and site-adaptation studies (training time: scikit-learn, a data
directory, and an embedding cache outside the project).

* LOSO: for each English source, the toxicity heads (n-gram, encoder, and their blend)
  are trained on the other sources and scored on the held-out part of that source.
  Sources from the same site count as one: Wikipedia talk (Jigsaw 2018 and the
  context-toxicity set) and Civil Comments (toxic spans and the extra comments) are
  left out together, or the "unseen" source would have been seen under another name.
* Adaptation: each English source plays a newsroom. The fold model that never saw it
  is adapted with N of its labelled comments (from its training part) and scored on
  its held-out part; the gain over the fold model is averaged over three draws.

The n-gram vocabulary and IDF are built once on the training rows of all sources
(unsupervised; labels of a left-out source are never used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from . import augment
from .data import Example, load_sources, split
from .embed_cache import EmbeddingCache
from .encoder import DEFAULT_DIR, Encoder
from .features import block_of
from .head import fit_logistic, roc_auc
from .site import fit_head, site_features

FAMILIES = {
    "jigsaw2018": ("jigsaw2018", "wiki_context_toxicity"),
    "wiki_context_toxicity": ("jigsaw2018", "wiki_context_toxicity"),
    "toxic_spans_civil": ("toxic_spans_civil", "civil_comments_extra"),
    "civil_comments_extra": ("toxic_spans_civil", "civil_comments_extra"),
}
ENGLISH = (
    "toxic_spans_civil",
    "civil_comments_extra",
    "wiki_context_toxicity",
    "jigsaw2018",
    "stormfront",
    "davidson2017",
    "hatexplain",
    "sbic",
    "hatemoji_build",
    "convabuse",
)
ORIGINAL = (
    "toxic_spans_civil", "wiki_context_toxicity", "stormfront", "davidson2017", "germeval2018", "augment"
)
BLENDS = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
SIZES = (50, 100, 300, 1000)
DRAWS = 3


@dataclass
class Prepared:
    examples: list[Example]
    train_idx: np.ndarray
    test_idx: np.ndarray
    X: sparse.csr_matrix  # n-gram TF-IDF, all rows
    E: np.ndarray  # embeddings, all rows
    y: np.ndarray  # soft toxicity
    w: np.ndarray
    sources: np.ndarray
    docs: list[str]  # normalised texts, the encoders' input


def prepare(data_dir: str | Path, cache_dir: str | Path, cap: int, seed: int = 0,
            encoder_dir: str | Path = DEFAULT_DIR, ngrams: bool = True) -> Prepared:
    from .train import build_vocab, idf_of, matrix, normalized_texts

    examples = [ex for ex in load_sources(data_dir, cap=cap) + augment.examples(seed)
                if ex.labels["toxicity"] is not None]
    train_idx, test_idx = split(examples, seed)
    docs = normalized_texts([ex.text for ex in examples])
    train_docs = [docs[i] for i in train_idx]
    X = sparse.csr_matrix((len(docs), 1), dtype=np.float32)
    if ngrams:
        vocab = build_vocab(train_docs)
        index = {f: i for i, f in enumerate(vocab)}
        block = np.array([block_of(f) for f in vocab], dtype=np.int8)
        X = matrix(docs, index, idf_of(train_docs, index), block)
    E = EmbeddingCache(cache_dir).embed(docs, Encoder(encoder_dir))
    return Prepared(
        examples,
        np.array(train_idx),
        np.array(test_idx),
        X,
        E,
        np.array([float(ex.labels["toxicity"]) for ex in examples]),
        np.array([ex.weight for ex in examples]),
        np.array([ex.source for ex in examples]),
        docs,
    )


def fit_ngram(p: Prepared, rows: np.ndarray, seed: int = 0) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    from .train import C, soft_rows

    idx, labels, weights = soft_rows(rows, p.y[rows], p.w[rows])
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=200)
    clf.fit(p.X[idx], labels, sample_weight=weights)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def fit_encoder(p: Prepared, rows: np.ndarray) -> tuple[np.ndarray, float]:
    from .train import ENCODER_L2

    head = fit_logistic(p.E[rows], p.y[rows], p.w[rows], ENCODER_L2)
    return head.coef, head.intercept


@dataclass
class Fold:
    held: str
    test: np.ndarray
    pool: np.ndarray  # the held-out source's training rows: its "decisions"
    z_ngram: np.ndarray  # logits for all rows of the source (test and pool)
    z_encoder: np.ndarray
    z_original: np.ndarray


def folds(p: Prepared, held_sources: Sequence[str] = ENGLISH) -> list[Fold]:
    out = []
    for held in held_sources:
        family = FAMILIES.get(held, (held,))
        others = p.train_idx[~np.isin(p.sources[p.train_idx], family)]
        original = others[np.isin(p.sources[others], ORIGINAL)]
        W, b = fit_ngram(p, others)
        V, c = fit_encoder(p, others)
        Wo, bo = fit_ngram(p, original)
        mine = np.flatnonzero(p.sources == held)
        z_ngram = np.full(len(p.y), np.nan)
        z_encoder = np.full(len(p.y), np.nan)
        z_original = np.full(len(p.y), np.nan)
        z_ngram[mine] = p.X[mine] @ W + b
        z_encoder[mine] = p.E[mine] @ V + c
        z_original[mine] = p.X[mine] @ Wo + bo
        test = np.intersect1d(mine, p.test_idx)
        pool = np.intersect1d(mine, p.train_idx)
        out.append(Fold(held, test, pool, z_ngram, z_encoder, z_original))
    return out


def blend(fold: Fold, alpha: float, rows: np.ndarray) -> np.ndarray:
    return alpha * fold.z_encoder[rows] + (1 - alpha) * fold.z_ngram[rows]


def loso_table(p: Prepared, fs: Sequence[Fold]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for f in fs:
        y = p.y[f.test] >= 0.5
        table[f.held] = {
            "n": len(f.test),
            "positives": int(y.sum()),
            "original_ngram": round(roc_auc(y, f.z_original[f.test]), 4),
            **{f"blend_{a}": round(roc_auc(y, blend(f, a, f.test)), 4) for a in BLENDS},
        }
    means = {k: round(float(np.mean([r[k] for r in table.values()])), 4)
             for k in next(iter(table.values())) if k not in ("n", "positives")}
    return {"sources": table, "mean": means}


def adaptation_curve(p: Prepared, fs: Sequence[Fold], alpha: float,
                     sizes: Sequence[int] = SIZES, draws: int = DRAWS) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fs:
        y_test = p.y[f.test] >= 0.5
        base_test = blend(f, alpha, f.test)
        base_auc = roc_auc(y_test, base_test)
        row: dict[str, Any] = {"base": round(base_auc, 4)}
        for n in sizes:
            if n > len(f.pool):
                continue
            gains = []
            for draw in range(draws):
                rng = np.random.default_rng(1000 * draw + n)
                chosen = rng.choice(f.pool, size=n, replace=False)
                y = (p.y[chosen] >= 0.5).astype(float)
                if len(set(y.tolist())) < 2:
                    continue
                X = site_features(blend(f, alpha, chosen), p.E[chosen])
                head, _ = fit_head(X, y, np.ones(n), [p.examples[i].group for i in chosen])
                site = head.logits(site_features(base_test, p.E[f.test]))
                gains.append(roc_auc(y_test, site) - base_auc)
            if gains:
                row[str(n)] = round(float(np.mean(gains)), 4)
        out[f.held] = row
    means = {}
    for n in sizes:
        values = [r[str(n)] for r in out.values() if str(n) in r]
        if values:
            means[str(n)] = round(float(np.mean(values)), 4)
    return {"sources": out, "mean_gain": means}
