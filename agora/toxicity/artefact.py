"""Compact, deterministic model artefact: one ``.npz`` holding arrays and JSON meta.

Written with fixed zip timestamps so the same model is byte-identical, which
makes retraining reproducible and diffs meaningful.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)


def encode_strings(items: list[str]) -> np.ndarray:
    """Newline-joined UTF-8 bytes (features never contain newlines)."""
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def decode_strings(arr: np.ndarray) -> list[str]:
    data = arr.tobytes().decode("utf-8")
    return data.split("\n") if data else []


def save(path: str | Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write arrays plus ``meta`` (as JSON) deterministically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = dict(arrays)
    payload["meta"] = np.frombuffer(
        json.dumps(meta, sort_keys=True, indent=1).encode("utf-8"), dtype=np.uint8
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(payload):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(payload[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def read(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read an artefact written by :func:`save`."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
    return arrays, meta
