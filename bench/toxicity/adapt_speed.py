"""How long `agora model adapt` takes for a decisions file (default 5,000 decisions).

    .venv/bin/python bench/toxicity/adapt_speed.py [--n 5000]

The decisions are comments of varied length from the bench corpus, half of them labelled toxic
(with a site-specific insult added), in threads of ten. Runs the real command in a subprocess and
prints the wall time and the gate's figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.moderation.corpus import comments

INSULTS = ("what a clown", "typical snowflake", "spineless weasel", "absolute muppet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args()
    texts = comments(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        decisions = Path(tmp) / "decisions.jsonl"
        with open(decisions, "w", encoding="utf-8") as fh:
            for i, text in enumerate(texts):
                toxic = i % 2
                body = f"{text} {INSULTS[i % len(INSULTS)]}" if toxic else text
                fh.write(json.dumps({"text": body, "toxic": toxic, "thread": str(i // 10)}) + "\n")
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "agora.toxicity", "model", "adapt", "--decisions",
                               str(decisions), "--out", str(Path(tmp) / "adapted.npz")],
                              capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - start
    report = json.loads(proc.stdout)
    print(f"{args.n} decisions adapted in {elapsed:.1f} s (target < 60 s on 2 cores)")
    print(json.dumps({"not_worse": report["not_worse"], "held_back": report["held_back"]}))


if __name__ == "__main__":
    main()
