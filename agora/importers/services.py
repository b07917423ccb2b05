"""Entry points used by the management commands and the admin."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator

from django.db import transaction

from agora.comments.models import Site
from agora.importers.formats import agora
from agora.importers.formats.encodings import head_text
from agora.importers.formats.source import open_binary
from agora.importers.loader import ImportOptions, Summary, run_import
from agora.importers.records import ImportFormatError

FORMATS = ("disqus", "wxr", "isso", "remark42", "commento", "page", "agora")


def reader(format_name: str) -> Callable[..., Iterator]:
    if format_name not in FORMATS:
        raise ImportFormatError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return importlib.import_module(f"agora.importers.formats.{format_name}").read


def detect_format(path: str) -> str:
    """Guess the format from the first bytes (used by `agora audit` without --format)."""
    with open_binary(path) as stream:
        head = stream.read(4096)
    text = head_text(head)
    if head.startswith(b"SQLite format 3"):
        return "isso"
    if "<disqus" in text:
        return "disqus"
    if "wordpress.org/export" in text or "<rss" in text:
        return "wxr"
    if '"format":"agora"' in text.replace(" ", ""):
        return "agora"
    if '"commentHex"' in text or '"commenters"' in text:
        return "commento"
    if '"locator"' in text or text.lstrip().startswith('{"version"'):
        return "remark42"
    if text.lstrip().startswith("["):
        return "isso"
    if "•" in head.decode("utf-8", "ignore") or path.endswith(".txt"):
        return "page"
    raise ImportFormatError(f"cannot tell the format of {os.path.basename(path)}: give --format")


def import_file(site: Site, format_name: str, path: str, options: ImportOptions, *,
                keep_pingbacks: bool = False, url: str = "", source: str = "") -> Summary:
    """Read `path` in `format_name` into `site`: all of it or, on any error, nothing."""
    read = reader(format_name)
    finishers: tuple = ()
    if format_name == "agora":
        finishers = (agora.finish,)
        options.moderate = False
        if options.status == "site":
            options.status = "source"
    records = read(path, keep_pingbacks=keep_pingbacks, url=url)
    return run_import(site, records, options, format_name=format_name,
                      source=source or os.path.basename(path),
                      finishers=finishers)


def get_or_create_site(slug: str, create: bool) -> tuple[Site, bool]:
    site = Site.objects.filter(slug=slug).first()
    if site is not None:
        return site, False
    if not create:
        raise ImportFormatError(f"no site '{slug}' (add --create-site to create it)")
    with transaction.atomic():
        return Site.objects.create(slug=slug, name=slug), True
