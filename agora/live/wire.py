"""What travels between server processes: one live event, and the channel it goes on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import orjson

CHANNEL = "agora:live"


@dataclass(frozen=True)
class Event:
    key: str
    id: str
    name: str
    data: str  # JSON text

    @cached_property
    def encoded(self) -> bytes:
        """The SSE wire form, built once and shared by every stream that sends it."""
        return f"id: {self.id}\nevent: {self.name}\ndata: {self.data}\n\n".encode()

    @classmethod
    def from_message(cls, raw: bytes | str) -> Event:
        fields = orjson.loads(raw)
        return cls(key=fields["key"], id=fields["id"], name=fields["event"], data=fields["data"])


def order(event_id: str) -> tuple[int, int]:
    """Event ids are `milliseconds-sequence`; this makes them comparable."""
    try:
        millis, _, sequence = event_id.partition("-")
        return int(millis), int(sequence or 0)
    except ValueError:
        return (0, 0)
