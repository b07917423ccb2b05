"""The ``score`` JSON-lines contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from agora.toxicity.cli import main
from agora.toxicity.model import LABELS


def _run(tmp_path: Path, lines: list[str], *options: str) -> tuple[int, list[dict], str]:
    src = tmp_path / "in.jsonl"
    dst = tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        code = main(["score", "--input", str(src), "--output", str(dst), *options])
    finally:
        sys.stderr = old
    out = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    return code, out, err.getvalue()


def test_score_in_order_with_contract(tmp_path: Path) -> None:
    rows = [{"id": i, "text": t} for i, t in enumerate(["you idiot", "", "nice piece", "😀 ok"])]
    rows.append({"id": "x-5", "text": "Vielen Dank"})
    code, out, _ = _run(tmp_path, [json.dumps(r) for r in rows])
    assert code == 0
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    for o, r in zip(out, rows, strict=True):
        assert set(o["scores"]) == set(LABELS)
        for start, end, weight in o["spans"]:
            assert 0 <= start < end <= len(r["text"]) and 0 <= weight <= 1
    assert out[0]["scores"]["toxicity"] > 0.5


def test_batches_beyond_one_chunk(tmp_path: Path) -> None:
    rows = [json.dumps({"id": i, "text": f"comment number {i}"}) for i in range(600)]
    code, out, _ = _run(tmp_path, rows)
    assert code == 0
    assert [o["id"] for o in out] == list(range(600))


@pytest.mark.parametrize(
    "bad", ["{not json", "[1, 2]", '{"id": 3}', '{"id": 3, "text": 5}', '"just a string"']
)
def test_malformed_line_exits_2_naming_the_line(tmp_path: Path, bad: str) -> None:
    lines = [json.dumps({"id": 1, "text": "fine"}), "", bad, json.dumps({"id": 4, "text": "x"})]
    code, out, err = _run(tmp_path, lines)
    assert code == 2
    assert "line 3" in err
    assert [o["id"] for o in out] == [1]


def test_unsupported_language_is_marked(tmp_path: Path) -> None:
    text = "Je pense que vous avez tort, mais merci pour cet article"
    code, out, _ = _run(tmp_path, [json.dumps({"id": 1, "text": text})])
    assert code == 0 and out[0]["unsupported"] is True and out[0]["language"] == "fr"


def test_module_entry_point_uses_stdin_stdout() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "agora.toxicity", "score"],
        input='{"id": "a", "text": "you are an idiot"}\n{broken\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "line 2" in proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["id"] == "a"


def test_workers_keep_input_order(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    dst = tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"text {i} idiot"}) + "\n" for i in range(300)))
    assert main(["score", "--input", str(src), "--output", str(dst), "--workers", "2"]) == 0
    out = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [o["id"] for o in out] == list(range(300))


def test_workers_stop_at_a_malformed_line_after_writing_the_lines_before(tmp_path: Path) -> None:
    good = [json.dumps({"id": i, "text": f"text {i}"}) for i in range(199)]
    code, out, err = _run(tmp_path, [*good, "{broken", *good[:5]], "--workers", "2")
    assert code == 2 and "line 200" in err
    assert [o["id"] for o in out] == list(range(199))
