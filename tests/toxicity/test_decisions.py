"""Learning from moderator decisions without the open training data."""

from __future__ import annotations

import json
from pathlib import Path

from agora.toxicity import load
from agora.toxicity.decisions import Comparison, retrain_with_decisions
from agora.toxicity.train import decisions_to_examples


def _decisions() -> list[dict]:
    # This site removes comments calling people "snowflakes"; the base model barely reacts.
    rows = []
    for i in range(60):
        rows.append({"text": f"typical snowflake reader number {i}", "toxic": 1, "created": "2026-03-01"})
        rows.append({"text": f"interesting point about bus route {i}", "toxic": 0, "created": "2026-03-01"})
    return rows


def test_recent_decisions_weigh_more() -> None:
    rows = [
        {"text": "a", "toxic": 1, "created": "2026-01-01T00:00:00"},
        {"text": "b", "toxic": 1, "created": "2025-01-01T00:00:00"},
    ]
    new, old = decisions_to_examples(rows)
    assert new.weight > 2 * old.weight


def test_adapts_active_model_and_compares(tmp_path: Path) -> None:
    out = tmp_path / "site.npz"
    comparison = retrain_with_decisions(None, _decisions(), out)
    assert isinstance(comparison, Comparison)
    assert out.exists()
    assert comparison.decisions_train + comparison.decisions_eval == 120
    assert comparison.decisions_eval > 0
    tox = comparison.metrics["toxicity"]
    assert tox["new"] >= tox["active"]
    assert comparison.not_worse, comparison.reasons
    new_model = load(out)
    probe = "what a snowflake reader, honestly"
    assert new_model.score([probe])[0].scores["toxicity"] > load().score([probe])[0].scores["toxicity"]
    json.dumps(comparison.__dict__)  # serialisable for the caller's audit log
