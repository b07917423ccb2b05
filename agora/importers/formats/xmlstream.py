"""Streaming XML shared by the Disqus and WordPress readers.

Real exports are often broken in small ways. `CleaningReader` repairs the common cases line by
line before the parser sees them (stray bytes before the XML declaration, control characters XML
forbids, unquoted attribute values) and counts every repair so the summary can report it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from agora.importers.formats.encodings import open_xml
from agora.importers.records import ImportFormatError, Notice

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TAG = re.compile(rb"<[A-Za-z][^<>]*>")
_UNQUOTED_ATTRIBUTE = re.compile(rb"(\s[\w:.-]+=)([^\s\"'<>=]+?)(?=\s|/?>|$)")


class CleaningReader:
    """A file-like object over a binary file that yields repaired lines to the parser."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.line_number = 0
        self.buffer = b""
        self.started = False
        self.repairs: dict[str, list[int]] = {}

    def _note(self, what: str) -> None:
        self.repairs.setdefault(what, []).append(self.line_number)

    def _clean(self, line: bytes) -> bytes:
        if not self.started:
            start = line.find(b"<")
            if start < 0:
                if line.strip():
                    self._note("stray characters before the XML declaration removed")
                return b""
            if line[:start].strip(b" \t\r\n\xef\xbb\xbf"):
                self._note("stray characters before the XML declaration removed")
            line = line[start:]
            self.started = True
        if _CONTROL_BYTES.search(line):
            self._note("control characters not allowed in XML removed")
            line = _CONTROL_BYTES.sub(b"", line)
        if b"=" in line:
            line = _TAG.sub(self._quote_attributes, line)
        return line

    def _quote_attributes(self, match: re.Match) -> bytes:
        tag = match.group(0)
        fixed = _UNQUOTED_ATTRIBUTE.sub(lambda m: m.group(1) + b'"' + m.group(2) + b'"', tag)
        if fixed != tag:
            self._note("unquoted attribute values quoted")
        return fixed

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            line = self.raw.readline()
            if not line:
                break
            self.line_number += 1
            self.buffer += self._clean(line)
        if size < 0:
            size = len(self.buffer)
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk

    def notices(self) -> Iterator[Notice]:
        for what, lines in self.repairs.items():
            shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
            yield Notice(f"{what}: {len(lines)} line(s) (line {shown})")


def iter_elements(path: str, tags: tuple[str, ...], *, recover: bool,
                  records: tuple[str, ...] | None = None) -> Iterator[etree._Element | Notice]:
    """Yield each completed element whose local name is in `tags`; once the caller is done with a
    record element (local name in `records`, default `tags`, not nested in another record) it is
    freed with everything before it. Repairs and (when recovering) the parser's unrecoverable
    errors are yielded as notices at the end."""
    with open_xml(path) as (raw, encoding_notice):
        reader = CleaningReader(raw)
        context = etree.iterparse(reader, events=("end",), tag=tuple("{*}" + t for t in tags),
                                  # No huge_tree: libxml2's limits against entity-expansion bombs
                                  # stay on (a comment is never a 10 MB text node).
                                  recover=recover, resolve_entities=False,
                                  no_network=True, remove_comments=True)
        try:
            yield from _freeing(context, set(records or tags))
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (reader.line_number, 0)
            raise ImportFormatError(f"line {line}, column {column}: {error.msg}") from None
        if encoding_notice is not None:
            yield encoding_notice
        yield from reader.notices()
        if recover:
            yield from _unrecovered(context.error_log)


def _freeing(context, records: set[str]) -> Iterator[etree._Element]:
    for _event, element in context:
        yield element
        # Nested matches (a Disqus post's <thread/> reference) stay until their record is done.
        parent = element.getparent()
        if local_name(element) in records and parent is not None and local_name(parent) not in records:
            element.clear()
            while element.getprevious() is not None:
                del parent[0]


def _unrecovered(error_log) -> Iterator[Notice]:
    errors = [e for e in error_log if e.level >= etree.ErrorLevels.ERROR]
    for error in errors[:10]:
        yield Notice(f"could not parse line {error.line}, column {error.column}: {error.message.strip()} "
                     "(content there may be lost)")
    if len(errors) > 10:
        yield Notice(f"… and {len(errors) - 10} more parse errors")


def require_marker(path: str, marker: bytes, what: str) -> None:
    """Refuse early a file of another kind: `marker` must appear near the start."""
    with open_xml(path, verify=False) as (stream, _notice):
        head = stream.read(64 * 1024)
    if marker not in head:
        raise ImportFormatError(f"line 1: not {what} ({marker.decode()!r} not found at the start)")


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and local_name(child) == name:
            return (child.text or "").strip() if name != "message" else (child.text or "")
    return ""


def child(element: etree._Element, name: str) -> etree._Element | None:
    for item in element:
        if isinstance(item.tag, str) and local_name(item) == name:
            return item
    return None


def internal_id(element: etree._Element | None) -> str:
    """The dsq:id attribute (namespaced or, in repaired files, not)."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if key == "id" or key.endswith("}id"):
            return value.strip()
    return ""
