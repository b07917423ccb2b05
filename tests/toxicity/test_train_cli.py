"""``model train`` / ``model eval`` on tiny synthetic data in the native formats."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

from agora.toxicity.cli import main

CLEAN = ["thanks for the update on the {}", "the {} meeting is on tuesday", "good point about the {}"]
TOXIC = ["you are a stupid idiot about the {}", "shut up moron, the {} is yours", "what a pathetic loser {}"]
TOPICS = ["bridge", "school", "budget", "park", "library", "tram", "harbour", "museum", "market", "zoo"]


def _write_sources(root: Path) -> None:
    wiki = root / "wiki_context_toxicity"
    wiki.mkdir(parents=True)
    for name in ("gc.csv", "gn.csv"):
        with open(wiki / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "text", "parent", "label", "api"])
            for i, topic in enumerate(TOPICS * 3):
                toxic = i % 3 == 0
                text = (TOXIC if toxic else CLEAN)[i % 3].format(topic) + f" {name} {i}"
                w.writerow([f"{name}{i}", text, "", int(toxic), "0.5"])
    ger = root / "germeval2018"
    ger.mkdir()
    lines = []
    for i, topic in enumerate(TOPICS * 3):
        if i % 2:
            lines.append(f"Du bist ein dummer Idiot wegen {topic} {i}\tOFFENSE\tINSULT")
        else:
            lines.append(f"Danke für den Bericht über {topic} {i}\tOTHER\tOTHER")
    (ger / "germeval2018.training.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_is_deterministic_and_loadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from agora.toxicity import load

    data = tmp_path / "data"
    _write_sources(data)
    digests = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.npz"
        assert main(["model", "train", "--data", str(data), "--out", str(out), "--seed", "3"]) == 0
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    model = load(tmp_path / "a.npz")
    assert (
        model.score(["you stupid idiot"])[0].scores["toxicity"]
        > model.score(["thanks"])[0].scores["toxicity"]
    )
    assert "heldout_roc_auc" in capsys.readouterr().out


def test_train_fits_encoder_heads_and_n_grams_alone_on_request(tmp_path: Path) -> None:
    from agora.toxicity import load

    data = tmp_path / "data"
    _write_sources(data)
    cache = tmp_path / "embeddings"
    assert main(["model", "train", "--data", str(data), "--out", str(tmp_path / "m.npz"),
                 "--embeddings", str(cache)]) == 0
    model = load(tmp_path / "m.npz")
    assert model.encoder is not None and model.blend[0] > 0
    assert (cache / "keys.txt").exists()  # a second run reuses the embeddings
    ngrams_only = tmp_path / "n.npz"
    assert main(["model", "train", "--data", str(data), "--out", str(ngrams_only), "--blend", "0"]) == 0
    assert load(ngrams_only).encoder is None


def test_train_no_longer_takes_decisions(tmp_path: Path) -> None:
    # Decisions adapt a copy with `model adapt`; they never retrain the shipped artefact.
    with pytest.raises(SystemExit) as exit_:
        main(["model", "train", "--data", str(tmp_path), "--extra", str(tmp_path / "d.jsonl")])
    assert exit_.value.code == 2


def test_eval_on_a_labelled_file_writes_a_card(tmp_path: Path) -> None:
    table = tmp_path / "comments.csv"
    with open(table, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["body", "removed", "paper"])
        for i, topic in enumerate(TOPICS * 2):
            toxic = i % 2 == 0
            w.writerow([(TOXIC if toxic else CLEAN)[i % 3].format(topic), int(toxic), f"paper{(i // 2) % 2}"])
    card = tmp_path / "card.md"
    old, sys.stdout = sys.stdout, io.StringIO()
    try:
        code = main(
            [
                "model",
                "eval",
                "--data",
                str(table),
                "--text-col",
                "body",
                "--label-col",
                "removed",
                "--source-col",
                "paper",
                "--card",
                str(card),
            ]
        )
        report = json.loads(sys.stdout.getvalue())
    finally:
        sys.stdout = old
    assert code == 0
    assert report["heldout"]["paper0"]["toxicity"]["roc_auc"] > 0.5
    text = card.read_text(encoding="utf-8")
    assert "ROC-AUC" in text and "CC BY-SA" in text and "Known limits" in text
