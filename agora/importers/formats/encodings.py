"""The character encoding of an XML export, checked before a single record is read.

The XML readers work on bytes in an ASCII-compatible encoding (their repairs are byte patterns,
and libxml2 decodes what the declaration names). Two kinds of files need help first:

- UTF-16 (with a byte-order mark or a UTF-16 declaration): transcoded line by line to UTF-8,
  the declaration rewritten to match.
- Files that declare UTF-8 (or declare nothing, which means UTF-8) but are not: a recovering
  parser would store mojibake. Such a file is refused, naming the first bad byte, unless it is
  certainly Windows-1251 (Cyrillic), which is then read as such and reported.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from agora.importers.formats.source import open_binary
from agora.importers.records import ImportFormatError, Notice

_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DECLARATION_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+(["'])""")
_UTF16_STARTS = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00?\x00": "utf-16-le",
                 b"\x00<\x00?": "utf-16-be"}
_UTF8_NAMES = {"utf-8", "utf8"}
_CHUNK = 64 * 1024  # memory stays flat whatever the file size
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
# Windows-1251 recovery is certain only when the text reads as Cyrillic words: non-ASCII letters
# never glued to Latin ones (a Western file misread as 1251 gives "cafй", "Bjцrn").
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_MIXED_WORD = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
_MIN_CYRILLIC_WORDS = 3
_PUNCTUATION_1251 = set("«»\u2013\u2014…№“”„\u2018\u2019•\u00a0")


class _Transcoded:
    """Lines of a file in `encoding`, as UTF-8 bytes, with the declaration saying UTF-8."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self.text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        self.declaration_pending = True

    def readline(self) -> bytes:
        try:
            line = self.text.readline()
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"the file is not valid {self.text.encoding} ({error.reason})") from None
        if self.declaration_pending and "<?xml" in line:
            line = _DECLARATION_ENCODING.sub(r"\1UTF-8\2", line.lstrip("\ufeff"), count=1)
            self.declaration_pending = False
        return line.encode("utf-8")

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8")

    def close(self) -> None:
        self.text.close()


def head_text(head: bytes) -> str:
    """The first bytes of a file as text, UTF-16 included (for telling formats apart)."""
    for start, encoding in _UTF16_STARTS.items():
        if head.startswith(start):
            return head[: len(head) // 2 * 2].decode(encoding, "replace")
    return head.decode("utf-8", "replace")


def _declared_encoding(head: bytes) -> str:
    match = _DECLARED.search(head[:1024])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def _first_invalid_utf8(path: str) -> tuple[int, int] | None:
    """(line, byte offset) of the first byte that is not UTF-8, or None when all of it is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with open_binary(path) as stream:
        while chunk := stream.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return line + chunk.count(b"\n", 0, error.start), offset + error.start
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line, offset
    return None


def _certainly_cp1251(path: str) -> bool:
    """No valid UTF-8 multi-byte sequence anywhere, and read as Windows-1251 every non-ASCII
    character is Cyrillic or its typography, in words that are Cyrillic through and through."""
    cyrillic_words = 0
    with open_binary(path) as stream:
        while chunk := stream.read(_CHUNK):
            if _has_utf8_sequence(chunk):
                return False
            text = chunk.decode("cp1251", errors="replace")
            foreign = {ch for ch in text if ord(ch) > 127} - _PUNCTUATION_1251
            if "\ufffd" in foreign or any(not "\u0400" <= ch <= "\u04ff" for ch in foreign):
                return False
            if _MIXED_WORD.search(text):
                return False
            cyrillic_words += len(_CYRILLIC_WORD.findall(text))
    return cyrillic_words >= _MIN_CYRILLIC_WORDS


def _has_utf8_sequence(chunk: bytes) -> bool:
    """A well-formed UTF-8 multi-byte character: a file mixing both encodings cannot be fixed."""
    for match in _UTF8_SEQUENCE.finditer(chunk):
        try:
            match.group().decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


@contextmanager
def open_xml(path: str, *, verify: bool = True) -> Iterator[tuple[BinaryIO, Notice | None]]:
    """The file as bytes the XML readers can take, and what was done to get there (or None).
    `verify=False` skips the pass over the whole file that checks a UTF-8 declaration."""
    with open_binary(path) as probe:
        head = probe.read(1024)
    encoding, notice = _encoding_to_read(path, head, verify)
    raw = open_binary(path)
    stream = _Transcoded(raw, encoding) if encoding else raw
    try:
        yield stream, notice
    finally:
        stream.close()


def _encoding_to_read(path: str, head: bytes, verify: bool) -> tuple[str, Notice | None]:
    """The encoding to transcode from ("" to read the bytes as they are), and a notice."""
    for start, encoding in _UTF16_STARTS.items():
        if head.startswith(start):
            return encoding, None
    declared = _declared_encoding(head)
    if declared not in _UTF8_NAMES or not verify:
        return "", None  # libxml2 decodes what the declaration names
    invalid = _first_invalid_utf8(path)
    if invalid is None:
        return "", None
    line, offset = invalid
    if _certainly_cp1251(path):
        return "cp1251", Notice(f"the file declares UTF-8 but is Windows-1251 (Cyrillic), first non-UTF-8 "
                                f"byte at line {line}: read as Windows-1251")
    raise ImportFormatError(
        f"line {line}, byte {offset}: the file declares UTF-8 but is not UTF-8, and its real encoding "
        "is not certain; convert it to UTF-8 (iconv -f <its encoding> -t UTF-8) or correct the "
        "encoding in its XML declaration, then import again")
