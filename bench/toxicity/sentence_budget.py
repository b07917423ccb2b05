"""How many sentences the encoder should also score on its own (``Model.encoder_sentences``).

    nice -n 10 .venv/bin/python bench/toxicity/sentence_budget.py [--data /work/shared/data/train]
        [--n 800] [--budgets 8,2,1,0]

Held-out comments of several sentences (fixed split, seed 0, English sources), scored with
each budget: toxicity ROC-AUC and average precision, and the CPU time per comment. The
n-gram heads score every sentence whatever the budget. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from agora.toxicity import artefact, encoder
from agora.toxicity.evaluate import heldout_examples
from agora.toxicity.model import DEFAULT_PATH, Model
from agora.toxicity.normalize import normalize
from agora.toxicity.text import clean, sanitize
from agora.toxicity.train import auc_ap


def several_sentences(data: Path, n: int) -> list[tuple[str, bool]]:
    rows = []
    for ex in heldout_examples(data, seed=0):
        if ex.source.startswith("germeval") or ex.labels["toxicity"] is None:
            continue
        if len(encoder.segments(normalize(clean(sanitize(ex.text)[0])).text)) > 1:
            rows.append((ex.text, ex.labels["toxicity"] >= 0.5))
    random.Random(0).shuffle(rows)
    return rows[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/train", type=Path)
    ap.add_argument("--n", default=800, type=int)
    ap.add_argument("--budgets", default="8,2,1,0")
    args = ap.parse_args()
    rows = several_sentences(args.data, args.n)
    y = np.array([label for _, label in rows])
    print(f"{len(rows)} held-out comments of several sentences, {int(y.sum())} toxic")
    for budget in (int(b) for b in args.budgets.split(",")):
        model = Model(*artefact.read(DEFAULT_PATH))  # fresh: no comment cached at another budget
        model.encoder_sentences = budget
        c0 = time.process_time()
        scores = np.array([model.score_one(text).scores["toxicity"] for text, _ in rows])
        cpu_ms = (time.process_time() - c0) * 1000 / len(rows)
        auc, ap_ = auc_ap(y, scores)[:2]
        print(f"encoder_sentences={budget}: ROC-AUC {auc:.4f}, AP {ap_:.4f}, CPU {cpu_ms:.2f} ms/comment")


if __name__ == "__main__":
    main()
