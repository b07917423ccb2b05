"""Logistic heads on dense features, in numpy only (Newton's method with an L2 penalty).

Used for the encoder's attribute heads at training time and for a site's head at run
time, where it must train in seconds without scikit-learn. Labels may be soft (the
share of raters who judged a comment toxic): the loss is the cross-entropy against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class Linear:
    coef: np.ndarray
    intercept: float

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.coef + self.intercept


def fit_logistic(
    X: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    l2: float | np.ndarray = 1.0,
    iterations: int = 30,
) -> Linear:
    """Weighted L2-penalised logistic regression. ``l2`` (per feature, or one number) plays
    the part of scikit-learn's ``1 / C``: the mean loss plus ``l2 / (2 n) * |coef|^2``.
    The intercept is not penalised."""
    n, d = X.shape
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
    w = w / w.sum()
    penalty = np.broadcast_to(np.asarray(l2, dtype=np.float64), (d,)) / max(1.0, float(n))
    A = np.hstack([X.astype(np.float64), np.ones((n, 1))])
    reg = np.concatenate([penalty, [0.0]])
    beta = np.zeros(d + 1)
    for _ in range(iterations):
        p = sigmoid(A @ beta)
        grad = A.T @ (w * (p - y)) + reg * beta
        hessian = (A * (w * p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(hessian, grad)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-6:
            break
    return Linear(beta[:-1].astype(np.float32), float(beta[-1]))


def roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    """ROC-AUC by ranks (ties averaged); NaN without both classes."""
    y = np.asarray(y, dtype=bool)
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = np.asarray(s)[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))
