"""Opening an export: plain or gzip-compressed (Remark42 writes its backups as .gz; any other
export may be compressed too), detected from the first bytes."""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

_GZIP_MAGIC = b"\x1f\x8b"


def open_binary(path: str) -> BinaryIO:
    with open(path, "rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def open_text(path: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", errors="strict")
