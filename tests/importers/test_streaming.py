"""Readers stream: memory does not grow with the file. The loader keeps the tree right across
batches, including replies written before their parents."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from agora.comments.models import Comment
from agora.importers import loader
from agora.importers.services import reader
from tests.importers.conftest import assert_tree_consistent, run_import
from tests.importers.synthetic import write_disqus, write_remark42


def _peak_while_reading(fmt: str, path) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        count = sum(1 for _ in reader(fmt)(str(path)))
        return tracemalloc.get_traced_memory()[1], count
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("fmt", "write"), [("disqus", write_disqus), ("remark42", write_remark42)])
def test_reader_memory_does_not_grow_with_the_file(tmp_path, fmt, write):
    small = write(tmp_path / "small", 1_000)
    large = write(tmp_path / "large", 8_000)
    assert large.stat().st_size > 7 * small.stat().st_size
    small_peak, small_count = _peak_while_reading(fmt, small)
    large_peak, large_count = _peak_while_reading(fmt, large)
    assert large_count > 7 * small_count
    # Eight times the data, about the same memory (a copy of the file would be MBs).
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    assert large_peak < 4 * 1024 * 1024


@pytest.mark.django_db
def test_loader_places_out_of_order_replies_across_batches(site, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "BATCH_SIZE", 50)
    path = write_disqus(tmp_path / "export.xml", 600, body_size=20)
    summary = run_import(site, "disqus", str(path), status="approved")
    assert summary.comments_created == 600
    # Posts 3k+2 reply to the post before; posts 21k+19 reply to 21k+18 and come before it.
    swapped = len(range(18, 600, 21))
    assert Comment.objects.filter(site=site, parent__isnull=False).count() == 200 + swapped
    assert Comment.objects.filter(site=site, depth=2).count() == swapped
    assert_tree_consistent(site)
    late = Comment.objects.get(site=site, external_id="disqus:p19")  # written before its parent p18
    assert late.parent.external_id == "disqus:p18"
