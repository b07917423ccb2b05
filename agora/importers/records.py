"""What every format reader yields: plain records, independent of the database.

Readers are generators, so a file of any size passes through in constant memory: the loader
consumes records one by one and writes them in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ImportFormatError(Exception):
    """The file cannot be read; the message names the place (line/column or record number)."""


@dataclass
class ArticleRecord:
    key: str  # the source's identifier of the thread, used by CommentRecord.article_key
    url: str
    title: str = ""
    published_at: datetime | None = None
    is_closed: bool = False
    # Columns a lossless restore sets on a newly created article (agora format only).
    extra: dict = field(default_factory=dict)


@dataclass
class CommentRecord:
    external_id: str
    article_key: str
    body: str
    author_name: str
    created_at: datetime
    parent_external_id: str = ""
    author_email: str = ""
    # Agora exports only: the account the comment belongs to. Other systems' user names are never
    # matched to local accounts (anyone could claim one).
    author_username: str = ""
    # State in the source system: approved, pending (unapproved) or rejected (spam).
    source_status: str = "approved"
    is_deleted: bool = False
    upvotes: int = 0
    downvotes: int = 0
    edited_at: datetime | None = None
    # Extra columns a lossless restore sets verbatim (agora format only).
    extra: dict = field(default_factory=dict)


@dataclass
class Skip:
    """A record the reader saw and left out, with the reason shown in the summary."""

    reason: str
    where: str = ""


@dataclass
class Notice:
    """Something the reader repaired or could not recover (broken XML); shown in the summary."""

    message: str
