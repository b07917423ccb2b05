"""Learning from a site's own moderator decisions (framework-free).

``retrain_with_decisions(base_data_dir, decisions, out, active_path)`` writes a new
artefact to ``out`` and returns a :class:`Comparison` of new vs. active model on a
fixed evaluation split; the caller decides whether to activate it.

* With ``base_data_dir``: full retraining on the open data plus the decisions.
* Without it (the usual case on a site): the active model's toxicity head is
  adapted: a recalibration (scale, shift) plus a sparse, strongly regularised
  correction learned from the decisions, so a few hundred decisions move the
  site's line without forgetting the base model.

Decisions are ``{"text", "toxic": 0/1, "weight"?, "created"?: ISO date}``; recent
ones count more (half-life 90 days). A fixed 20% of decisions (by text hash) is
never trained on and is used for the comparison.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import artefact
from .data import LABELS, Example
from .lexicon import IDENTITY_RE
from .model import DEFAULT_PATH, Model, load
from .normalize import normalize
from .text import clean

TOLERANCE = 0.005
MIN_SUBGROUP = 20


@dataclass
class Comparison:
    """New vs. active model; ``not_worse`` is the activation hint."""

    new_path: str
    active_path: str
    decisions_train: int
    decisions_eval: int
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    subgroups: dict[str, dict[str, float]] = field(default_factory=dict)
    not_worse: bool = True
    reasons: list[str] = field(default_factory=list)


def _is_eval(text: str) -> bool:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[0] < 52  # ~20%


def _adapt(active: Model, examples: list[Example], lam: float = 1.0) -> dict[str, np.ndarray]:
    """Recalibrate + sparse correction of the toxicity head on the decisions."""
    from scipy.optimize import minimize

    from .train import matrix, normalized_texts

    docs = normalized_texts([ex.text for ex in examples], desc="decisions")
    X = matrix(docs, active.index, active.idf, active.block, desc="decision features")
    y = np.array([float(ex.labels["toxicity"] or 0.0) for ex in examples])
    w = np.array([ex.weight for ex in examples])
    z = X @ active.weights[:, 0].astype(np.float64) + active.bias[0]
    n = X.shape[1]

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        a, c, delta = params[0], params[1], params[2:]
        logit = a * z + c + X @ delta
        p = 1 / (1 + np.exp(-np.clip(logit, -30, 30)))
        eps = 1e-9
        value = -np.sum(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) / w.sum()
        g = w * (p - y) / w.sum()
        grad = np.concatenate([[g @ z, g.sum()], X.T @ g + lam * delta / len(y)])
        return value + 0.5 * lam * float(delta @ delta) / len(y), grad

    x0 = np.concatenate([[1.0, 0.0], np.zeros(n)])
    res = minimize(loss, x0, jac=True, method="L-BFGS-B", options={"maxiter": 200})
    a, c, delta = res.x[0], res.x[1], res.x[2:]
    weights = active.weights.copy()
    bias = active.bias.astype(np.float32).copy()
    weights[:, 0] = (a * weights[:, 0] + delta).astype(np.float32)
    bias[0] = a * bias[0] + c
    return {"weights": weights, "bias": bias}


def _auc(y: list[float], s: list[float]) -> float | None:
    from .train import auc_ap

    if len(set(int(v >= 0.5) for v in y)) < 2:
        return None
    return auc_ap(np.array(y) >= 0.5, np.array(s))[0]


def _subgroups(examples: list[Example]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        for term in {m.group() for m in IDENTITY_RE.finditer(normalize(clean(ex.text)).text)}:
            groups[term.rstrip("s")].append(i)
    return {g: idx for g, idx in groups.items() if len(idx) >= MIN_SUBGROUP}


def compare(active: Model, new: Model, examples: list[Example], comparison: Comparison) -> Comparison:
    """Fill per-label and per-identity-subgroup ROC-AUC for both models."""
    s_old = [active.score_one(ex.text).scores for ex in examples]
    s_new = [new.score_one(ex.text).scores for ex in examples]
    for label in LABELS:
        rows = [i for i, ex in enumerate(examples) if ex.labels[label] is not None]
        y = [float(examples[i].labels[label] or 0) for i in rows]
        a = _auc(y, [s_old[i][label] for i in rows])
        b = _auc(y, [s_new[i][label] for i in rows])
        if a is not None and b is not None:
            comparison.metrics[label] = {"active": round(a, 4), "new": round(b, 4), "n": len(rows)}
    for group, idx in _subgroups(examples).items():
        y = [float(examples[i].labels["toxicity"] or 0) for i in idx]
        a = _auc(y, [s_old[i]["toxicity"] for i in idx])
        b = _auc(y, [s_new[i]["toxicity"] for i in idx])
        if a is not None and b is not None:
            comparison.subgroups[group] = {"active": round(a, 4), "new": round(b, 4), "n": len(idx)}
    for name, m in [
        *comparison.metrics.items(),
        *(("subgroup " + k, v) for k, v in comparison.subgroups.items()),
    ]:
        if m["new"] < m["active"] - TOLERANCE:
            comparison.not_worse = False
            comparison.reasons.append(f"{name}: ROC-AUC {m['new']:.4f} < active {m['active']:.4f}")
    return comparison


def retrain_with_decisions(
    base_data_dir: str | Path | None,
    decisions: Iterable[dict[str, Any]],
    out: str | Path,
    active_path: str | Path | None = None,
    seed: int = 0,
) -> Comparison:
    """Train a site model from moderator decisions and compare it with the active one."""
    from .train import decisions_to_examples, train

    rows = [d for d in decisions if isinstance(d.get("text"), str) and d.get("toxic") in (0, 1, True, False)]
    train_rows = [d for d in rows if not _is_eval(d["text"])]
    eval_rows = [d for d in rows if _is_eval(d["text"])]
    active = load(active_path)
    if base_data_dir is not None:
        train(base_data_dir, out, seed=seed, extra=train_rows)
    else:
        arrays, meta = artefact.read(active_path or DEFAULT_PATH)
        arrays.update(_adapt(active, decisions_to_examples(train_rows)))
        meta["adapted_with_decisions"] = len(train_rows)
        artefact.save(out, arrays, meta)
    new = Model(*artefact.read(out))
    comparison = Comparison(str(out), str(active_path or DEFAULT_PATH), len(train_rows), len(eval_rows))
    return compare(active, new, decisions_to_examples(eval_rows), comparison)
