"""The served widget: its English catalogue bundled, every key the source asks for present,
minified below the readable source."""

from __future__ import annotations

import json
import re

import pytest

from agora.comments import widget_build


def test_every_key_the_widget_asks_for_is_in_the_english_catalogue():
    source = widget_build.SOURCE.read_text()
    catalogue = widget_build.english_catalogue()
    asked = set(re.findall(r'\bt\("([a-z_]+)"', source))
    plural = set(re.findall(r'\btn\("([a-z_]+)"', source))
    assert asked and plural
    prefixes = {k for k in asked if k.endswith("_")}  # t("reason_" + value) and the like
    assert sorted(asked - prefixes - set(catalogue)) == []
    assert all(any(key.startswith(prefix) for key in catalogue) for prefix in prefixes)
    assert sorted(k for k in plural if f"{k}_one" not in catalogue or f"{k}_other" not in catalogue) == []
    placeholders = {k: set(re.findall(r"\{(\w+)\}", v)) for k, v in catalogue.items()}
    assert all(placeholders[f"{k}_one"] == placeholders[f"{k}_other"] for k in plural)


def test_the_served_script_bundles_the_catalogue_and_is_minified():
    served = widget_build.build()
    assert widget_build.PLACEHOLDER not in served
    bundled = re.search(r"const EN=(\{.*?\});", served).group(1)
    assert json.loads(bundled) == widget_build.english_catalogue()
    readable = len(widget_build.SOURCE.read_text()) + len(widget_build.CATALOGUE.read_text())
    assert len(served) < 0.85 * readable
    assert "// ----" not in served  # comments stripped


def test_a_broken_catalogue_is_a_clear_error(tmp_path, monkeypatch):
    broken = tmp_path / "en.json"
    broken.write_text('{"nested": {"not": "flat"}}')
    monkeypatch.setattr(widget_build, "CATALOGUE", broken)
    with pytest.raises(ValueError, match="flat object"):
        widget_build.build()
