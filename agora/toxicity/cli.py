"""Command line: ``score`` (JSON lines in/out) and ``model train|eval``.

Usable as ``python -m agora.toxicity ...`` or through ``main(argv)``.

score contract: each input line is ``{"id": ..., "text": ...}``; each output line
is ``{"id": ..., "scores": {...}, "spans": [[start, end, weight], ...]}`` in input
order, plus ``"language"``/``"unsupported": true`` for languages the model does
not cover and ``"truncated": true`` when only a prefix was scored. Blank lines are
skipped. A malformed line stops the run: stderr names the line, exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

CHUNK = 64  # records per unit of work: small enough to keep every worker busy


class InputError(Exception):
    """A malformed input line (1-based ``line`` number)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


def _parse(line_no: int, line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(line_no, f"invalid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise InputError(line_no, "expected a JSON object")
    if not isinstance(obj.get("text"), str):
        raise InputError(line_no, 'missing or non-string "text"')
    return obj


def _records(stream: IO[str]) -> Iterator[dict[str, Any]]:
    for line_no, line in enumerate(stream, start=1):
        if line.strip():
            yield _parse(line_no, line)


def _output(obj: dict[str, Any], result: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": obj.get("id"),
        "scores": result.scores,
        "spans": [[s.start, s.end, s.weight] for s in result.spans],
    }
    if result.unsupported:
        out["language"] = result.language
        out["unsupported"] = True
    if result.truncated:
        out["truncated"] = True
    return out


_WORKER_MODEL: Any = None


def _score_chunk(chunk: list[dict[str, Any]]) -> str:
    """Score records and return their output lines (workers send back text, not objects)."""
    results = _WORKER_MODEL.score([obj["text"] for obj in chunk])
    return "".join(json.dumps(_output(obj, res), ensure_ascii=False) + "\n"
                   for obj, res in zip(chunk, results, strict=True))


class _Chunks:
    """Input records in chunks; a malformed line ends the chunks and is kept in `error`."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.error: InputError | None = None

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        chunk: list[dict[str, Any]] = []
        try:
            for obj in _records(self.stream):
                chunk.append(obj)
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
        except InputError as exc:
            self.error = exc  # lines before the bad one are still valid output
        if chunk:
            yield chunk


def cmd_score(args: argparse.Namespace) -> int:
    global _WORKER_MODEL
    from .model import load

    _WORKER_MODEL = load(args.model)
    workers = max(1, args.workers or os.cpu_count() or 1)
    with contextlib.ExitStack() as stack:
        src = (
            stack.enter_context(open(args.input, encoding="utf-8", errors="replace"))
            if args.input
            else sys.stdin
        )
        dst = stack.enter_context(open(args.output, "w", encoding="utf-8")) if args.output else sys.stdout
        chunks = _Chunks(src)
        if workers == 1:
            scored: Iterator[str] = map(_score_chunk, chunks)
        else:
            # Forked workers share the loaded model; imap keeps input order while this
            # process reads and writes in parallel with the scoring.
            pool = stack.enter_context(mp.get_context("fork").Pool(workers))
            scored = pool.imap(_score_chunk, chunks)
        for lines in scored:
            dst.write(lines)
        dst.flush()
        if chunks.error is not None:
            print(f"error: {chunks.error}", file=sys.stderr)
            return 2
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .train import train

    meta = train(args.data, args.out, seed=args.seed, cap=args.cap, embeddings=args.embeddings,
                 blend=args.blend)
    summary = {s: {k: v.get("roc_auc") for k, v in d.items()} for s, d in meta["heldout"].items()}
    print(json.dumps({"out": str(args.out), "heldout_roc_auc": summary}, indent=1))
    return 0


def cmd_adapt(args: argparse.Namespace) -> int:
    """Adapt a model to a decisions file; a bad file is refused whole (exit 2), and the
    artefact appears at ``--out`` only once it is complete."""
    from .decisions import DecisionsError, adapt
    from .model import DEFAULT_PATH
    from .site import read_decisions

    out = Path(args.out)
    if out.resolve() == DEFAULT_PATH.resolve():
        print("error: --out must not be the shipped model", file=sys.stderr)
        return 2
    try:
        with open(args.decisions, encoding="utf-8", errors="strict") as fh:
            decisions = read_decisions(fh)
        partial = out.with_name(out.name + ".partial")
        comparison = adapt(decisions, partial, args.model)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.decisions}: {exc}", file=sys.stderr)
        return 2
    except DecisionsError as exc:
        print(f"error: {args.decisions}: {exc}", file=sys.stderr)
        return 2
    os.replace(partial, out)
    report = {"out": str(out), "decisions": len(decisions), "not_worse": comparison.not_worse,
              "held_back": comparison.metrics, "reasons": comparison.reasons}
    print(json.dumps(report, indent=1))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import run_eval

    report = run_eval(
        args.data,
        model_path=args.model,
        text_col=args.text_col,
        label_col=args.label_col,
        source_col=args.source_col,
        card=args.card,
        loso=args.loso,
        seed=args.seed,
        baseline_python=args.baseline_python,
        generalisation=args.generalisation,
        heldout_from_training=args.heldout_from_training,
        heldout_every=args.heldout_every,
    )
    print(json.dumps(report, indent=1, default=str))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="agora", description="Agora toxicity model")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score", help="score JSON lines {id, text}")
    s.add_argument("--input", help="input JSONL (default stdin)")
    s.add_argument("--output", help="output JSONL (default stdout)")
    s.add_argument("--model", help="model artefact (default: shipped model)")
    s.add_argument("--workers", type=int, default=0,
                   help="worker processes (default: one per core)")
    s.set_defaults(func=cmd_score)
    m = sub.add_parser("model", help="train or evaluate a model")
    msub = m.add_subparsers(dest="model_command", required=True)
    t = msub.add_parser("train", help="train from a data directory")
    t.add_argument("--data", required=True, help="directory with the source datasets")
    t.add_argument("--out", default=str(Path(__file__).parent / "data" / "model.npz"))
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--cap", type=int, help="at most this many rows per source")
    t.add_argument("--embeddings", help="cache directory for the training texts' embeddings")
    t.add_argument("--blend", type=float, help="the encoder's share of each logit (0: n-grams only)")
    t.set_defaults(func=cmd_train)
    a = msub.add_parser("adapt", help="adapt a model to moderator decisions (JSON lines)")
    a.add_argument("--decisions", required=True,
                   help='JSON lines {"text": str, "toxic": 0|1, "label"?: attribute, "created"?: ISO date}')
    a.add_argument("--out", required=True, help="where to write the adapted model")
    a.add_argument("--model", help="base model (default: shipped model)")
    a.set_defaults(func=cmd_adapt)
    e = msub.add_parser("eval", help="evaluate on a labelled file or a data directory")
    e.add_argument("--data", required=True, help="CSV/TSV/JSONL file, or a data directory")
    e.add_argument("--text-col", default="text")
    e.add_argument(
        "--label-col",
        default="label",
        help="label column, or attr=col[,attr=col] (default attribute: toxicity)",
    )
    e.add_argument("--source-col", help="optional column to report per source")
    e.add_argument("--card", help="write a Markdown model card here")
    e.add_argument("--model", help="model artefact (default: shipped model)")
    e.add_argument("--loso", action="store_true", help="also run leave-one-source-out")
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--baseline-python", help="python of a venv with alt-profanity-check, to compare")
    e.add_argument("--generalisation", help="report of bench/toxicity/generalisation.py, for the card")
    e.add_argument("--heldout-from-training", action="store_true",
                   help="reuse the held-out figures computed when the model was trained")
    e.add_argument("--heldout-every", type=int, default=1, help="score every k-th held-out row only")
    e.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
