"""Embeddings of training texts, computed once and kept in a cache directory outside the
project (training and evaluation only): iterating on heads then costs seconds.

The cache is keyed by the SHA-1 of the encoder's input text, so changing the text
normalisation re-embeds only the texts it changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .encoder import DIMENSION, Encoder

SAVE_EVERY = 2000


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class EmbeddingCache:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.keys: list[str] = []
        self.vectors = np.zeros((0, DIMENSION), dtype=np.float32)
        if (self.directory / "keys.txt").exists():
            self.keys = (self.directory / "keys.txt").read_text().split()
            self.vectors = np.load(self.directory / "vectors.npy")[: len(self.keys)]
        self.index = {k: i for i, k in enumerate(self.keys)}

    def _save(self) -> None:
        np.save(self.directory / "vectors.npy", self.vectors)
        (self.directory / "keys.txt").write_text("\n".join(self.keys))

    def embed(self, texts: Sequence[str], encoder: Encoder) -> np.ndarray:
        """Embeddings of ``texts`` (encoder inputs), computing only the missing ones."""
        digests = [_digest(t) for t in texts]
        missing = {d: t for d, t in zip(digests, texts, strict=True) if d not in self.index}
        pending_keys: list[str] = []
        pending: list[np.ndarray] = []
        for d, t in tqdm(missing.items(), desc="embed", unit="text", leave=False):
            pending_keys.append(d)
            # One text at a time: dynamic int8 quantisation makes a batch's padding
            # change the result slightly, and scoring embeds one comment alone.
            pending.append(encoder.embed([t])[0])
            if len(pending) >= SAVE_EVERY:
                self._extend(pending_keys, pending)
                pending_keys, pending = [], []
        if pending:
            self._extend(pending_keys, pending)
        return self.vectors[[self.index[d] for d in digests]]

    def _extend(self, keys: list[str], vectors: list[np.ndarray]) -> None:
        for k in keys:
            self.index[k] = len(self.keys)
            self.keys.append(k)
        self.vectors = np.vstack([self.vectors, np.stack(vectors)])
        self._save()
