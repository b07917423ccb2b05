"""Adapting a model to a site's moderator decisions (framework-free, numpy only).

``adapt(decisions, out, base_path)`` writes a new artefact to ``out``: the base model
(its site heads, if any, dropped) plus a site head per attribute that the decisions
label (see ``site``), and returns a :class:`Comparison`: for each attribute, the head
trained on three quarters of the threads against the base model on the held-back
quarter. ``not_worse`` is the activation hint; it is False when the held-back part has
too few toxic or other decisions to judge. The written heads are then refitted on all
decisions with the penalty that the gate's head chose.

The open training data is not needed: retraining everything from it took about an
hour on two cores and gained less than a site head.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from . import artefact
from .model import DEFAULT_PATH, load
from .site import Decision, DecisionsError, fit_head, group_of, judge, recency_weights, site_features

__all__ = ["Comparison", "Decision", "DecisionsError", "adapt", "from_rows"]


@dataclass
class Comparison:
    """New vs. base model on the held-back decisions; ``not_worse`` is the activation hint."""

    new_path: str
    active_path: str
    decisions_train: int
    decisions_eval: int
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    gates: list[dict[str, Any]] = field(default_factory=list)
    not_worse: bool = True
    reasons: list[str] = field(default_factory=list)


def from_rows(rows: Iterable[dict[str, Any]]) -> list[Decision]:
    """Decisions from dicts already validated by their source (the database)."""
    out = []
    for r in rows:
        created = r.get("created")
        stamp = datetime.fromisoformat(created).timestamp() if isinstance(created, str) else None
        out.append(Decision(str(r["text"]), int(r["toxic"]), r.get("label", "toxicity"),
                            float(r.get("weight", 1.0)), stamp, str(r.get("thread", ""))))
    return out


def _base_features(model: Any, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Base logits (n x labels) and embeddings of the decisions' texts, on two threads:
    the encoder releases the interpreter lock, so the n-gram part of one comment runs
    while another is embedded."""
    workers = min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        pairs = list(pool.map(model.features, texts))
    if pairs and pairs[0][1] is None:
        raise DecisionsError("the base model has no sentence encoder to adapt")
    return np.stack([z for z, _ in pairs]), np.stack([e for _, e in pairs])


def adapt(decisions: Sequence[Decision], out: str | Path, base_path: str | Path | None = None) -> Comparison:
    """Fit site heads on ``decisions``, write the adapted artefact, compare with the base."""
    base = load(base_path)
    Z, E = _base_features(base, [d.text for d in decisions])
    weights = recency_weights(decisions)
    coefs, intercepts, labels = [], [], []
    held_back = 0
    comparison = Comparison(str(out), str(base_path or DEFAULT_PATH), 0, 0)
    for label in sorted({d.label for d in decisions}, key=base.labels.index):
        rows = np.array([i for i, d in enumerate(decisions) if d.label == label])
        mine = [decisions[i] for i in rows]
        X = site_features(Z[rows, base.labels.index(label)], E[rows])
        y = np.array([d.toxic for d in mine], dtype=np.float64)
        if min(int(y.sum()), int(len(y) - y.sum())) < 2:
            comparison.reasons.append(f"{label}: decisions of one class only; no head learned")
            comparison.not_worse = False
            continue
        report = judge(label, X, y, weights[rows], mine)
        comparison.gates.append(report.as_dict())
        comparison.reasons += report.reasons
        comparison.not_worse &= report.passed
        held_back += report.held_back
        if report.base_auc is not None and report.site_auc is not None:
            comparison.metrics[label] = {
                "active": report.base_auc, "new": report.site_auc, "n": report.held_back
            }
        head, _ = fit_head(X, y, weights[rows], [group_of(d) for d in mine], penalty=report.penalty)
        coefs.append(head.coef)
        intercepts.append(head.intercept)
        labels.append(label)
    if not labels:
        raise DecisionsError("; ".join(comparison.reasons) or "nothing to learn from")
    comparison.decisions_eval = held_back
    comparison.decisions_train = len(decisions) - held_back
    arrays, meta = artefact.read(base_path or DEFAULT_PATH)
    arrays["site_coef"] = np.stack(coefs).astype(np.float32)
    arrays["site_intercept"] = np.array(intercepts, dtype=np.float32)
    meta["site_labels"] = labels
    meta["adapted"] = {"decisions": len(decisions), "gates": comparison.gates}
    artefact.save(out, arrays, meta)
    return comparison
