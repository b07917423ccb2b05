"""Quality benchmark: our model vs. alt-profanity-check, spans, behaviour, bias.

    .venv/bin/python bench/toxicity/quality.py [--data /work/shared/data/train]
        [--baseline-python bench/toxicity/.venv-baseline/bin/python]

The baseline (alt-profanity-check, pinned scikit-learn) lives in its own venv:
    python3 -m venv bench/toxicity/.venv-baseline
    bench/toxicity/.venv-baseline/bin/pip install alt-profanity-check
and is run in a subprocess on the same held-out texts. Prints figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from agora.toxicity import behaviour, load
from agora.toxicity.data import read_tsd
from agora.toxicity.evaluate import heldout_examples
from agora.toxicity.train import auc_ap, span_f1

HERE = Path(__file__).parent
_BASELINE = """
import json, sys
from profanity_check import predict_prob
texts = json.load(sys.stdin)
json.dump([float(p) for p in predict_prob(texts)], sys.stdout)
"""


def baseline_scores(python: Path, texts: list[str]) -> list[float] | None:
    if not python.exists():
        print(f"baseline venv missing ({python}); skipping alt-profanity-check")
        return None
    proc = subprocess.run(
        [str(python), "-c", _BASELINE], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/train", type=Path)
    ap.add_argument("--baseline-python", default=HERE / ".venv-baseline" / "bin" / "python", type=Path)
    args = ap.parse_args()
    model = load()
    held = heldout_examples(args.data, seed=0)
    ours = [model.score_one(ex.text).scores["toxicity"] for ex in held]
    base = baseline_scores(args.baseline_python, [ex.text for ex in held])
    print("held-out toxicity ROC-AUC per source (fixed split, seed 0)")
    print(f"{'source':26} {'n':>6} {'pos':>5} {'agora':>7} {'alt-profanity-check':>20} {'diff':>7}")
    diffs = []
    for source in sorted({ex.source for ex in held}):
        idx = [i for i, ex in enumerate(held) if ex.source == source]
        y = np.array([held[i].labels["toxicity"] for i in idx]) >= 0.5
        a = auc_ap(y, np.array([ours[i] for i in idx]))[0]
        b = auc_ap(y, np.array([base[i] for i in idx]))[0] if base else float("nan")
        diffs.append(a - b)
        print(f"{source:26} {len(idx):6d} {int(y.sum()):5d} {a:7.4f} {b:20.4f} {a - b:+7.4f}")
    print(
        f"mean ROC-AUC difference (agora - baseline): {np.nanmean(diffs):+.4f}; "
        f"min per source {np.nanmin(diffs):+.4f}"
    )
    english = [d for source, d in zip(sorted({ex.source for ex in held}), diffs, strict=True)
               if not source.startswith("germeval")]
    print(f"mean ROC-AUC difference, English sources only: {np.nanmean(english):+.4f}")
    tsd = args.data / "toxic_spans_civil" / "tsd_test.csv"
    print(f"toxic-span F1 on tsd_test.csv: {span_f1(model, read_tsd(tsd)):.4f} (SemEval-2021 winner 0.708)")
    suites = (
        ("development", behaviour.CASES),
        ("held-out", behaviour.HELDOUT_CASES),
        ("held-out, threats and Nazi praise", behaviour.HELDOUT_RULE_CASES),
    )
    for name, cases in suites:
        res = behaviour.run(model, cases)
        print(f"behaviour suite ({name}): overall {res['overall']:.3f}")
        for cat, rate in res["pass_rate"].items():
            print(f"  {cat:22} {rate:.2f}")
        for f in res["failures"]:
            print(f"  FAIL {f}")
    bias = behaviour.bias_gap(model)
    for kind in ("neutral", "toxic"):
        b = bias[kind]
        print(f"identity-swap {kind}: gap {b['gap']:.3f} (max {b['max_group']}, min {b['min_group']})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
