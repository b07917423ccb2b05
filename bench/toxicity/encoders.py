"""Encoder comparison: the int8 ONNX MiniLM against static word-piece embeddings distilled from it.

    nice -n 10 .venv/bin/python bench/toxicity/encoders.py --data DIR --cache CACHE \
        [--static-out DIR] [--out report.json]

Distils the static encoder (each word piece alone through the ONNX encoder, centred; smooth inverse
frequency weights from the training texts), then compares the two on the same folds as
bench/toxicity/generalisation.py with encoder heads only (no n-grams, no rules): leave-one-source-out
ROC-AUC, the adaptation gain at N = 300 and 1,000, and embedding speed on one core. Needs the
``train`` extra; the ONNX embeddings come from the generalisation benchmark's cache.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np

from agora.toxicity.encoder import DEFAULT_DIR, Encoder, StaticEncoder
from agora.toxicity.head import roc_auc
from agora.toxicity.site import fit_head, site_features
from agora.toxicity.study import ENGLISH, FAMILIES, Prepared, fit_encoder, prepare

SIF = 1e-3


def distil(p: Prepared, out: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(DEFAULT_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    vocab = tokenizer.get_vocab_size()
    encoder = Encoder(DEFAULT_DIR)
    ids = np.arange(vocab)
    vectors = np.zeros((vocab, 384), dtype=np.float32)
    for start in range(0, vocab, 512):  # equal lengths: no padding, so batching is exact
        batch = ids[start : start + 512]
        x = np.stack([np.full(len(batch), 101), batch, np.full(len(batch), 102)], axis=1).astype(np.int64)
        [v] = encoder.session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})
        vectors[start : start + len(batch)] = v
    vectors -= vectors.mean(axis=0)
    counts: Counter[int] = Counter()
    for encoding in tokenizer.encode_batch([p.docs[i] for i in p.train_idx], add_special_tokens=False):
        counts.update(encoding.ids)
    total = sum(counts.values())
    freq = np.array([counts.get(i, 0) / total for i in range(vocab)])
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "static_encoder.npz", vectors=vectors.astype(np.float16),
                        weights=(SIF / (SIF + freq)).astype(np.float16))
    shutil.copy(DEFAULT_DIR / "tokenizer.json", out / "tokenizer.json")


def compare(p: Prepared, E: np.ndarray) -> dict:
    out = {}
    for held in ENGLISH:
        family = FAMILIES.get(held, (held,))
        others = p.train_idx[~np.isin(p.sources[p.train_idx], family)]
        saved = p.E
        p.E = E
        V, c = fit_encoder(p, others)
        p.E = saved
        mine = np.flatnonzero(p.sources == held)
        test, pool = np.intersect1d(mine, p.test_idx), np.intersect1d(mine, p.train_idx)
        y = p.y[test] >= 0.5
        z_test = E[test] @ V + c
        base = roc_auc(y, z_test)
        row = {"loso": round(base, 4)}
        for n in (300, 1000):
            if n > len(pool):
                continue
            gains = []
            for draw in range(3):
                chosen = np.random.default_rng(1000 * draw + n).choice(pool, size=n, replace=False)
                yc = (p.y[chosen] >= 0.5).astype(float)
                head, _ = fit_head(site_features(E[chosen] @ V + c, E[chosen]), yc, np.ones(n),
                                   [p.examples[i].group for i in chosen])
                gains.append(roc_auc(y, head.logits(site_features(z_test, E[test]))) - base)
            row[f"gain_{n}"] = round(float(np.mean(gains)), 4)
        out[held] = row
    keys = ("loso", "gain_300", "gain_1000")
    out["mean"] = {k: round(float(np.mean([r[k] for s, r in out.items() if k in r])), 4) for k in keys}
    return out


def speed(encoder: object, texts: list[str]) -> dict:
    times = []
    for t in texts:
        start = time.perf_counter()
        encoder.embed([t])
        times.append((time.perf_counter() - start) * 1000)
    return {f"p{q}_ms": round(float(np.percentile(times, q)), 2) for q in (50, 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--cap", type=int, default=6000)
    parser.add_argument("--static-out", default="/tmp/agora-static-encoder")
    parser.add_argument("--out")
    args = parser.parse_args()
    p = prepare(args.data, args.cache, args.cap, ngrams=False)
    distil(p, Path(args.static_out))
    static = StaticEncoder(args.static_out)
    E_static = static.embed(p.docs)
    sample = [p.docs[i] for i in p.test_idx[:500]]
    report = {
        "onnx_int8": {**compare(p, p.E), "speed": speed(Encoder(DEFAULT_DIR), sample)},
        "static": {**compare(p, E_static), "speed": speed(static, sample)},
    }
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
