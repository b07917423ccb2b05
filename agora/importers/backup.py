"""Online backups of the SQLite database (the backup API copies a consistent snapshot while the
server keeps running) with retention. PostgreSQL is backed up with pg_dump: see docs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "agora-"
SUFFIX = ".sqlite3"


def backup_sqlite(database: str | Path, directory: Path, keep: int) -> tuple[Path, list[Path]]:
    """Copy `database` into `directory`; keep the newest `keep` backups. Returns (new file, removed)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"{PREFIX}{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(partial)
        try:
            # Small steps let writers in between; the copy is still one consistent snapshot.
            source.backup(destination, pages=256)
        finally:
            destination.close()
    finally:
        source.close()
    partial.rename(target)
    return target, prune(directory, keep)


def prune(directory: Path, keep: int) -> list[Path]:
    backups = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
