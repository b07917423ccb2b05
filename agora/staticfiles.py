"""Static files collected when `agora serve` or `agora demo` starts, so one command still runs
everything: collection runs only when the files shipped with Agora (and its apps) changed
since the last one, and takes a few seconds when it does."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

STAMP_NAME = ".agora-collected"


def sources_fingerprint() -> str:
    """Names, sizes and modification times of every file the finders would collect."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Collect into STATIC_ROOT unless it already holds these sources; True when it collected."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP_NAME
    fingerprint = sources_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (hashed names, gzip copies); before the first collection
    (tests, `agora shell`) a page links the plain name instead of failing to render."""

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:  # not collected yet: nothing to hash
            return StaticFilesStorage.url(self, name)
