"""``model eval``: figures for a labelled file or a data directory, and the model card."""

from __future__ import annotations

import csv
import json
import resource
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from . import behaviour
from .card import render_card
from .data import LABELS, READERS, Example, load_sources, read_germeval, read_tsd, split
from .model import Model, load


def _parse_label_spec(spec: str) -> dict[str, str]:
    """``col`` → {toxicity: col}; ``attr=col,attr=col`` → mapping."""
    if "=" not in spec:
        return {"toxicity": spec}
    out = {}
    for part in spec.split(","):
        attr, col = part.split("=", 1)
        if attr.strip() not in LABELS:
            raise SystemExit(f"unknown attribute {attr!r}; expected one of {', '.join(LABELS)}")
        out[attr.strip()] = col.strip()
    return out


def _read_table(path: Path) -> list[dict[str, Any]]:
    if path.suffix in (".jsonl", ".json"):
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    delimiter = "\t" if path.suffix in (".tsv", ".txt") else ","
    csv.field_size_limit(10_000_000)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def file_examples(path: Path, text_col: str, label_col: str, source_col: str | None) -> list[Example]:
    spec = _parse_label_spec(label_col)
    out = []
    for i, row in enumerate(_read_table(path)):
        labels: dict[str, float | None] = dict.fromkeys(LABELS)
        for attr, col in spec.items():
            value = row.get(col)
            labels[attr] = None if value in (None, "") else float(value)
        source = str(row.get(source_col, path.stem)) if source_col else path.stem
        out.append(Example(str(row.get(text_col, "")), source, labels, f"f{i}"))
    return out


def heldout_examples(data_dir: Path, seed: int, cap: int | None = None) -> list[Example]:
    """The fixed held-out split of each source (with the training run's cap per source),
    plus GermEval's official test file."""
    examples = load_sources(data_dir, cap=cap)
    _, test_idx = split(examples, seed)
    held = [examples[i] for i in test_idx]
    if (data_dir / "germeval2018" / "germeval2018.test.txt").exists():
        for ex in read_germeval(data_dir, "germeval2018.test.txt"):
            ex.source = "germeval2018_test"
            held.append(ex)
    return held


def speed(model: Model, texts: list[str]) -> dict[str, float]:
    """Single-comment latency (p50/p99, ms), sequential throughput and peak RSS."""
    times = []
    for t in texts:
        start = time.perf_counter()
        model.score_one(t)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    start = time.perf_counter()
    model.score(texts)
    per_s = len(texts) / (time.perf_counter() - start)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
        "comments_per_s_one_core": round(per_s),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


_BASELINE = """
import json, sys
from profanity_check import predict_prob
json.dump([float(p) for p in predict_prob(json.load(sys.stdin))], sys.stdout)
"""


def baseline_comparison(python: str | Path, model: Model, held: list[Example]) -> dict[str, Any]:
    """Toxicity ROC-AUC per source: this model vs. alt-profanity-check (own venv)."""
    import subprocess

    from .train import auc_ap

    texts = [ex.text for ex in held]
    proc = subprocess.run(
        [str(python), "-c", _BASELINE], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    base = np.array(json.loads(proc.stdout))
    ours = np.array([model.score_one(t).scores["toxicity"] for t in texts])
    out: dict[str, Any] = {}
    for source in sorted({ex.source for ex in held}):
        idx = [i for i, ex in enumerate(held) if ex.source == source and ex.labels["toxicity"] is not None]
        y = np.array([held[i].labels["toxicity"] for i in idx]) >= 0.5
        out[source] = {
            "agora": round(auc_ap(y, ours[idx])[0], 4),
            "alt_profanity_check": round(auc_ap(y, base[idx])[0], 4),
        }
    return out


def run_eval(
    data: str | Path,
    model_path: str | Path | None = None,
    text_col: str = "text",
    label_col: str = "label",
    source_col: str | None = None,
    card: str | Path | None = None,
    loso: bool = False,
    seed: int = 0,
    baseline_python: str | Path | None = None,
    generalisation: str | Path | None = None,
    heldout_from_training: bool = False,
    heldout_every: int = 1,
) -> dict[str, Any]:
    """Figures for the model card; ``generalisation`` is a report written by
    bench/toxicity/generalisation.py (leave-one-source-out and adaptation curve);
    ``heldout_from_training`` takes the held-out figures that training computed on the same
    split with the same model, instead of scoring those rows again."""
    from .train import evaluate, span_f1

    model = load(model_path)
    data = Path(data)
    report: dict[str, Any] = {"model": str(model_path or "shipped"), "meta": _meta_summary(model)}
    if data.is_dir():
        held = heldout_examples(data, seed, model.meta.get("rows_per_source_cap"))[::heldout_every]
        if heldout_from_training and "heldout" in model.meta:
            report["heldout"] = model.meta["heldout"]
        else:
            report["heldout"] = evaluate(model, held)
        tsd = data / "toxic_spans_civil" / "tsd_test.csv"
        if tsd.exists():
            report["span_f1_tsd_test"] = round(span_f1(model, read_tsd(tsd)), 4)
        if baseline_python:
            report["baseline"] = baseline_comparison(baseline_python, model, held)
        if loso:
            from .loso import leave_one_source_out

            report["leave_one_source_out"] = leave_one_source_out(data, seed)
        report["speed"] = speed(model, [ex.text for ex in held[:1000]])
    else:
        examples = file_examples(data, text_col, label_col, source_col)
        report["heldout"] = evaluate(model, examples)
        report["speed"] = speed(model, [ex.text for ex in examples[:1000]])
    report["behaviour"] = behaviour.run(model)
    report["behaviour_heldout"] = behaviour.run(model, behaviour.HELDOUT_CASES)
    report["behaviour_rule_heldout"] = behaviour.run(model, behaviour.HELDOUT_RULE_CASES)
    report["behaviour_newsroom"] = behaviour.run(model, behaviour.NEWSROOM_CASES)
    report["behaviour_newsroom_heldout"] = behaviour.run(model, behaviour.NEWSROOM_HELDOUT_CASES)
    if generalisation:
        report["generalisation"] = json.loads(Path(generalisation).read_text(encoding="utf-8"))
    report["bias"] = behaviour.bias_gap(model)
    if card:
        Path(card).write_text(render_card(report), encoding="utf-8")
    return report


def _meta_summary(model: Model) -> dict[str, Any]:
    keep = (
        "format",
        "seed",
        "train_size",
        "heldout_size",
        "sources",
        "span_c",
        "span_threshold",
        "span_relative",
        "span_tuning_f1",
        "thresholds",
        "rows_per_source_cap",
        "encoder_blend",
        "encoder_heads_sources",
    )
    return {k: model.meta[k] for k in keep if k in model.meta}


def mean_auc(stats: dict[str, Any], label: str = "toxicity") -> float:
    values = [s[label]["roc_auc"] for s in stats.values() if label in s]
    return float(np.mean(values)) if values else float("nan")


__all__ = ["READERS", "file_examples", "heldout_examples", "mean_auc", "run_eval", "speed"]
