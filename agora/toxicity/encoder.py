"""Sentence encoder at run time: all-MiniLM-L6-v2 as int8 ONNX, no PyTorch.

``Encoder(directory).embed(texts)`` returns unit-length 384-dimensional embeddings
(mean pooling and normalisation are inside the graph, see ``export_encoder``).
Texts are cut to ``MAX_TOKENS`` word pieces. ``segments`` splits a comment into the
sentences the n-gram heads also score on their own.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import numpy as np

DEFAULT_DIR = Path(__file__).parent / "data"
DIMENSION = 384
MAX_TOKENS = 128
MAX_SEGMENTS = 8  # sentences scored on their own, at most: bounds the cost of a long comment
MIN_SENTENCE_CHARS = 20  # shorter pieces ("Yes." "Really?") join the next sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def segments(text: str) -> list[str]:
    """The whole text, then (if it has several) its first ``MAX_SEGMENTS`` sentences: each is
    scored on its own and the strongest counts, so one abusive sentence is not diluted by the
    rest of a long comment."""
    text = text.strip()
    sentences: list[str] = []
    pending = ""
    for piece in _SENTENCE_END.split(text):
        pending = f"{pending} {piece}".strip()
        if len(pending) >= MIN_SENTENCE_CHARS:
            sentences.append(pending)
            pending = ""
    if pending:
        if sentences:
            sentences[-1] = f"{sentences[-1]} {pending}"
        else:
            sentences.append(pending)
    if len(sentences) <= 1:
        return [text]
    return [text, *sentences[:MAX_SEGMENTS]]


class Encoder:
    """A loaded encoder; thread-safe (onnxruntime sessions are)."""

    def __init__(self, directory: str | Path = DEFAULT_DIR, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        # One thread per process by default: the server and `agora score` scale by processes.
        options.intra_op_num_threads = threads or int(os.environ.get("AGORA_ENCODER_THREADS", "1"))
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(directory / "encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str], batch: int = 1) -> np.ndarray:
        """Embeddings of ``texts`` (n x 384, float32). One text at a time by default: int8
        activations are quantised per batch, so batching (by similar length) is faster but
        makes a text's embedding depend slightly on its neighbours."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encoded = self.tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for k, i in enumerate(rows):
                n = len(encoded[i].ids)
                ids[k, :n] = encoded[i].ids
                mask[k, :n] = 1
            [vectors] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[rows] = vectors
        return out


class StaticEncoder:
    """The same encoder distilled into one vector per word piece (numpy only, ~0.1 ms a
    comment): a text's embedding is the weighted mean of its pieces' vectors, normalised.
    Each piece's vector is the encoder's output for that piece alone, centred; the weight
    is smooth inverse frequency over the training texts, so frequent pieces count less."""

    def __init__(self, directory: str | Path = DEFAULT_DIR) -> None:
        from tokenizers import Tokenizer

        directory = Path(directory)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        with np.load(directory / "static_encoder.npz") as arrays:
            weights = arrays["weights"].astype(np.float32)[:, None]
            self.vectors = arrays["vectors"].astype(np.float32) * weights
        self.dimension = self.vectors.shape[1]

    def embed(self, texts: list[str], batch: int = 0) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                v = self.vectors[encoding.ids[: MAX_TOKENS * MAX_SEGMENTS]].mean(axis=0)
                out[i] = v / max(float(np.linalg.norm(v)), 1e-9)
        return out


_CACHE: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def load(directory: str | Path = DEFAULT_DIR) -> Encoder:
    """The encoder in ``directory``, loaded once per process."""
    key = str(directory)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = Encoder(directory)
        return _CACHE[key]


def available(directory: str | Path = DEFAULT_DIR) -> bool:
    return (Path(directory) / "encoder.onnx").exists() and (Path(directory) / "tokenizer.json").exists()
