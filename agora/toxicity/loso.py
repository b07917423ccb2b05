"""Leave-one-source-out: how the toxicity head does on a source it never saw.

In-source held-out figures flatter a model that learned a source's artefacts;
training on the other sources and testing on the held-out part of the missing
one is the better proxy for "another newspaper's comments".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from . import augment
from .data import LABELS, load_sources, split
from .features import block_of
from .model import Model

ENGLISH = ("toxic_spans_civil", "wiki_context_toxicity", "stormfront", "davidson2017")


def leave_one_source_out(data_dir: str | Path, seed: int = 0) -> dict[str, Any]:
    from .train import auc_ap, build_vocab, fit_heads, idf_of, matrix, normalized_texts

    examples = load_sources(data_dir) + augment.examples(seed)
    train_idx, test_idx = split(examples, seed)
    docs = normalized_texts([ex.text for ex in examples])
    out: dict[str, Any] = {}
    for held in tqdm(ENGLISH, desc="leave-one-source-out", unit="source"):
        fold = [i for i in train_idx if examples[i].source != held]
        fold_docs = [docs[i] for i in fold]
        vocab = build_vocab(fold_docs)
        index = {f: i for i, f in enumerate(vocab)}
        block = np.array([block_of(f) for f in vocab], dtype=np.int8)
        idf = idf_of(fold_docs, index)
        X = matrix(fold_docs, index, idf, block)
        W, b = fit_heads(X, [examples[i] for i in fold], seed, labels=("toxicity",))
        model = Model(
            {
                "vocab": np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
                "idf": idf,
                "weights": W,
                "bias": b,
            },
            {"labels": list(LABELS)},
        )
        rows = [examples[i] for i in test_idx if examples[i].source == held]
        y = np.array([ex.labels["toxicity"] for ex in rows]) >= 0.5
        s = np.array([model.score_one(ex.text).scores["toxicity"] for ex in rows])
        auc, ap = auc_ap(y, s)
        out[held] = {
            "n": len(rows),
            "positives": int(y.sum()),
            "roc_auc": round(auc, 4),
            "average_precision": round(ap, 4),
        }
    return out
