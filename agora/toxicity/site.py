"""A site's own line, learned from its moderators' decisions in seconds (numpy only).

The site head sees the base model's logit for an attribute and the comment's sentence
embedding: ``logit = a * base + c + v . embedding``. With few decisions the penalty
on ``v`` keeps it near a recalibration of the base model; with more, the embedding
lets it learn what this newsroom removes that the open data never called toxic. The
penalty is chosen by cross-validation on the site's own decisions, folds split by
thread (or article) so that one discussion's comments never sit on both sides.

Decisions are ``{"text": str, "toxic": 0|1}`` with optional ``"label"`` (another
attribute; default toxicity), ``"created"`` (ISO date; recent decisions weigh more,
half-life 90 days), ``"weight"`` and ``"thread"``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from .data import LABELS
from .head import Linear, fit_logistic, roc_auc

# Strongest first, so that a tie keeps the head closer to the base model.
PENALTIES = (300.0, 100.0, 30.0, 10.0, 3.0, 1.0)
FOLDS = 4
HALF_LIFE_DAYS = 90.0
MIN_PER_CLASS = 5  # per attribute, to fit a head at all
GATE_MIN_PER_CLASS = 10  # in the held-back part, to judge a new head at all
GATE_SHARE = 0.25
TOLERANCE = 0.005


class DecisionsError(ValueError):
    """A decisions file that cannot be learned from; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass
class Decision:
    text: str
    toxic: int
    label: str = "toxicity"
    weight: float = 1.0
    created: float | None = None
    thread: str = ""


def parse_decision(line_no: int, line: str) -> Decision:
    """One JSON line of a decisions file; a clear error naming the line otherwise."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DecisionsError(f"invalid JSON ({exc.msg})", line_no) from None
    if not isinstance(obj, dict):
        raise DecisionsError("expected a JSON object", line_no)
    text, toxic = obj.get("text"), obj.get("toxic")
    if not isinstance(text, str) or not text.strip():
        raise DecisionsError('"text" must be a non-empty string', line_no)
    if toxic not in (0, 1) or isinstance(toxic, float):
        raise DecisionsError('"toxic" must be 0 or 1', line_no)
    label = obj.get("label", "toxicity")
    if label not in LABELS:
        raise DecisionsError(f'"label" must be one of {", ".join(LABELS)}', line_no)
    weight = obj.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
        raise DecisionsError('"weight" must be a positive number', line_no)
    created = obj.get("created")
    stamp = None
    if created is not None:
        try:
            stamp = datetime.fromisoformat(str(created)).timestamp()
        except ValueError:
            raise DecisionsError('"created" must be an ISO 8601 date', line_no) from None
    thread = obj.get("thread", obj.get("article", ""))
    return Decision(text, int(toxic), label, float(weight), stamp, str(thread))


def read_decisions(lines: Iterable[str]) -> list[Decision]:
    """All decisions of a JSON-lines file (blank lines skipped); raises ``DecisionsError``."""
    out = [parse_decision(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not out:
        raise DecisionsError("no decisions in the file")
    classes = {d.toxic for d in out}
    if len(classes) < 2:
        raise DecisionsError(f'every decision has "toxic": {classes.pop()}; both 0 and 1 are needed')
    return out


def recency_weights(decisions: Sequence[Decision]) -> np.ndarray:
    """Each decision's weight times 0.5 ** (age / half-life), age from the newest one."""
    stamps = [d.created for d in decisions if d.created is not None]
    newest = max(stamps) if stamps else 0.0
    ages = np.array([(newest - d.created) / 86400 if d.created is not None else 0.0 for d in decisions])
    return np.array([d.weight for d in decisions]) * 0.5 ** (np.maximum(ages, 0.0) / HALF_LIFE_DAYS)


def _bucket(key: str) -> float:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8], "big") / 2**64


def group_of(decision: Decision) -> str:
    """Split unit: the thread when known, else the text itself."""
    return "t:" + decision.thread if decision.thread else "x:" + decision.text


def site_features(base_logit: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
    return np.hstack([np.asarray(base_logit, dtype=np.float64)[:, None], embeddings.astype(np.float64)])


def _penalty_vector(strength: float, dimension: int) -> np.ndarray:
    # The base logit's scale is nearly free; the embedding weights carry the penalty.
    return np.concatenate([[0.01], np.full(dimension - 1, strength)])


def fit_head(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, groups: Sequence[str], penalty: float | None = None
) -> tuple[Linear, float]:
    """The site head with ``penalty``, or with the one that cross-validates best (folds
    by group)."""
    if penalty is not None:
        return fit_logistic(X, y, w, _penalty_vector(penalty, X.shape[1])), penalty
    fold = np.array([int(_bucket("fold" + g) * FOLDS) for g in groups])
    best = (-1.0, PENALTIES[0])
    for strength in PENALTIES:
        scored = []
        for k in range(FOLDS):
            train, test = fold != k, fold == k
            if len(set(y[train].tolist())) < 2 or len(set(y[test].tolist())) < 2:
                continue
            head = fit_logistic(X[train], y[train], w[train], _penalty_vector(strength, X.shape[1]))
            scored.append(roc_auc(y[test] >= 0.5, head.logits(X[test])))
        value = float(np.mean(scored)) if scored else 0.0
        if value > best[0] + 1e-4:
            best = (value, strength)
    return fit_logistic(X, y, w, _penalty_vector(best[1], X.shape[1])), best[1]


@dataclass
class GateReport:
    """The new head against the base model on the site's held-back decisions."""

    label: str
    trained_on: int
    held_back: int
    held_back_positives: int
    base_auc: float | None = None
    site_auc: float | None = None
    penalty: float | None = None
    passed: bool = False
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def gate_split(decisions: Sequence[Decision]) -> np.ndarray:
    """True for decisions held back: a quarter of the threads (or texts)."""
    return np.array([_bucket("gate" + group_of(d)) < GATE_SHARE for d in decisions])


def judge(
    label: str, X: np.ndarray, y: np.ndarray, w: np.ndarray, decisions: Sequence[Decision]
) -> GateReport:
    """Train on three quarters of the threads and compare with the base on the rest.

    Only a gate with enough held-back positives and negatives can pass: with a handful
    of positives a ROC-AUC says nothing, and a head is better not activated."""
    held = gate_split(decisions)
    positives = int((y[held] >= 0.5).sum())
    report = GateReport(label, int((~held).sum()), int(held.sum()), positives)
    if min(positives, int(held.sum()) - positives) < GATE_MIN_PER_CLASS:
        report.reasons.append(
            f"{label}: the held-back part has {positives} toxic and {int(held.sum()) - positives} other "
            f"decisions; at least {GATE_MIN_PER_CLASS} of each are needed to judge a new head"
        )
        return report
    train = ~held
    if min(int((y[train] >= 0.5).sum()), int((y[train] < 0.5).sum())) < MIN_PER_CLASS:
        report.reasons.append(f"{label}: too few decisions of one class to learn from")
        return report
    groups = [group_of(decisions[i]) for i in np.flatnonzero(train)]
    head, report.penalty = fit_head(X[train], y[train], w[train], groups)
    report.base_auc = round(roc_auc(y[held] >= 0.5, X[held, 0]), 4)
    report.site_auc = round(roc_auc(y[held] >= 0.5, head.logits(X[held])), 4)
    report.passed = report.site_auc >= report.base_auc - TOLERANCE
    if not report.passed:
        report.reasons.append(f"{label}: ROC-AUC {report.site_auc:.4f} < base {report.base_auc:.4f}")
    return report
