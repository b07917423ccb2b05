"""Streaming JSON helpers: items of a top-level array (or of one key) one at a time, with errors
that name the record where the file broke."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

import ijson

from agora.importers.records import ImportFormatError


def items(stream: BinaryIO, prefix: str, what: str) -> Iterator[tuple[int, dict]]:
    """(record number starting at 1, object) for each item under `prefix` ("item" = top-level array)."""
    number = 0
    try:
        for number, item in enumerate(ijson.items(stream, prefix, use_float=True), start=1):
            if not isinstance(item, dict):
                raise ImportFormatError(f"{what} {number}: expected an object, found {type(item).__name__}")
            yield number, item
    except ijson.JSONError as error:
        raise ImportFormatError(f"{what} {number + 1}: invalid JSON ({_short(error)})") from None


def lines(stream: BinaryIO, what: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-empty line of a JSON-lines file."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ImportFormatError(f"line {number}: invalid JSON {what} ({_short(error)})") from None
        if not isinstance(item, dict):
            raise ImportFormatError(f"line {number}: expected a JSON object")
        yield number, item


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
