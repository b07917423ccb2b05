"""Generalisation benchmark: leave-one-source-out ROC-AUC and the site-adaptation curve.

    nice -n 10 .venv/bin/python bench/toxicity/generalisation.py --data /work/shared/data/train \
        [--cache /work/wt/cache/emb] [--cap 6000] [--out report.json]

Needs the ``train`` extra. Every English source in turn is left out (with its sibling
from the same site); the n-gram head, the encoder head and their blends are trained on
the rest and scored on the left-out source's held-out part. Then the fold model is
adapted with N = 50, 100, 300 and 1,000 of that source's labelled comments (a site head
on the sentence embedding, as ``agora model adapt`` does) and scored again. Prints the
tables as JSON. The first run embeds the training texts into the cache (~10 minutes on
two cores for 60k texts); later runs take a few minutes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from agora.toxicity.study import BLENDS, adaptation_curve, folds, loso_table, prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "agora-embeddings"))
    parser.add_argument("--cap", type=int, default=6000, help="rows per source at most")
    parser.add_argument("--out", help="also write the report here (JSON)")
    args = parser.parse_args()
    prepared = prepare(args.data, args.cache, args.cap)
    fs = folds(prepared)
    loso = loso_table(prepared, fs)
    best = max(BLENDS, key=lambda a: loso["mean"][f"blend_{a}"])
    report = {
        "loso": loso,
        "chosen_blend": best,
        "adaptation_encoder_blend": adaptation_curve(prepared, fs, best),
    }
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
