"""Adapting the model to a site's moderator decisions: the file contract, the gate, the head."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from agora.toxicity import load
from agora.toxicity.cli import main
from agora.toxicity.decisions import Comparison, adapt
from agora.toxicity.site import DecisionsError, read_decisions, recency_weights

# This site removes comments calling people "snowflakes"; the base model barely reacts.
TOXIC = ["typical snowflake reader number {i}", "another snowflake take from commenter {i}"]
FINE = ["interesting point about bus route {i}", "the tram timetable {i} changed again"]
PROBE = "what a snowflake reader, honestly"


def _rows(n: int = 40) -> list[dict]:
    rows = []
    for i in range(n):
        for k, template in enumerate(TOXIC):
            rows.append({"text": template.format(i=i), "toxic": 1, "thread": f"t{i}-{k}"})
        for k, template in enumerate(FINE):
            rows.append({"text": template.format(i=i), "toxic": 0, "thread": f"t{i}-{k}"})
    return rows


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_recent_decisions_weigh_more() -> None:
    decisions = read_decisions([
        json.dumps({"text": "a", "toxic": 1, "created": "2026-01-01T00:00:00"}),
        json.dumps({"text": "b", "toxic": 0, "created": "2025-01-01T00:00:00"}),
    ])
    new, old = recency_weights(decisions)
    assert new > 2 * old


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"text": "fine", "toxic": 0}', "not json"], "line 2: invalid JSON"),
        (['{"text": "fine", "toxic": 0}', '{"body": "x", "toxic": 1}'], 'line 2: "text"'),
        (['{"text": "fine", "toxic": 0}', '{"text": "x", "toxic": "yes"}'], 'line 2: "toxic"'),
        (['{"text": "fine", "toxic": 0}', '{"text": "x", "toxic": 1, "label": "rude"}'], 'line 2: "label"'),
        (['{"text": "fine", "toxic": 0}', '{"text": "x", "toxic": 1, "created": "May"}'],
         'line 2: "created"'),
        (['{"text": "fine", "toxic": 0}', "[1, 2]"], "line 2: expected a JSON object"),
        (['{"text": "a", "toxic": 1}', '{"text": "b", "toxic": 1}'], "both 0 and 1"),
        ([""], "no decisions"),
    ],
)
def test_bad_decisions_are_refused_with_the_line(lines: list[str], message: str) -> None:
    with pytest.raises(DecisionsError, match=message):
        read_decisions(lines)


def test_adapted_model_learns_the_sites_line(tmp_path: Path) -> None:
    decisions = read_decisions(json.dumps(r) for r in _rows())
    out = tmp_path / "site.npz"
    comparison = adapt(decisions, out)
    assert isinstance(comparison, Comparison)
    assert comparison.not_worse, comparison.reasons
    assert comparison.decisions_train + comparison.decisions_eval == len(decisions)
    tox = comparison.metrics["toxicity"]
    assert tox["new"] > tox["active"]
    [adapted], [shipped] = load(out).score([PROBE]), load().score([PROBE])
    assert adapted.scores["toxicity"] > shipped.scores["toxicity"] + 0.2
    # Other attributes keep the base model's scores.
    assert adapted.scores["threat"] == pytest.approx(shipped.scores["threat"])
    json.dumps(asdict(comparison))  # serialisable for the caller's audit log


def test_gate_needs_enough_held_back_positives(tmp_path: Path) -> None:
    rows = [r for r in _rows() if not r["toxic"]] + [r for r in _rows() if r["toxic"]][:6]
    comparison = adapt(read_decisions(json.dumps(r) for r in rows), tmp_path / "few.npz")
    assert not comparison.not_worse
    assert any("at least" in reason for reason in comparison.reasons)


def test_adapt_command_writes_a_model_that_score_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decisions = _write(tmp_path / "decisions.jsonl", _rows())
    out = tmp_path / "adapted.npz"
    assert main(["model", "adapt", "--decisions", str(decisions), "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["out"] == str(out) and report["decisions"] == len(_rows())
    comments = _write(tmp_path / "comments.jsonl", [{"id": 1, "text": PROBE}])
    scored = tmp_path / "scored.jsonl"
    assert main(["score", "--model", str(out), "--input", str(comments), "--output", str(scored),
                 "--workers", "1"]) == 0
    [line] = scored.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["scores"]["toxicity"] > load().score([PROBE])[0].scores["toxicity"] + 0.2


@pytest.mark.parametrize(
    "content",
    [
        '{"text": "a", "toxic": 1}\n{"text": "b", "toxic": 1}\n',  # one class only
        '{"text": "a", "toxic": 1}\n{oops\n',  # not JSON
        "\xff\xfe",  # not UTF-8
    ],
)
def test_adapt_command_refuses_a_bad_file_and_writes_nothing(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_bytes(content.encode("latin-1"))
    out = tmp_path / "adapted.npz"
    assert main(["model", "adapt", "--decisions", str(decisions), "--out", str(out)]) == 2
    assert "error:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [decisions]


def test_adapt_command_never_overwrites_the_shipped_model(tmp_path: Path) -> None:
    from agora.toxicity.model import DEFAULT_PATH

    decisions = _write(tmp_path / "decisions.jsonl", _rows())
    before = DEFAULT_PATH.stat().st_mtime_ns
    assert main(["model", "adapt", "--decisions", str(decisions), "--out", str(DEFAULT_PATH)]) == 2
    assert DEFAULT_PATH.stat().st_mtime_ns == before
