"""The reader widget as served: `embed.js` with the English catalogue bundled, minified.

The source stays readable (long names, comments); rjsmin strips comments and whitespace, which
is what keeps the served script within its size budget (bench/widget_size.py measures this
output, not the source).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import rjsmin

STATIC = Path(__file__).parent / "static" / "agora"
SOURCE = Path(__file__).parent / "widget" / "embed.js"
CATALOGUE = STATIC / "i18n" / "en.json"
# Where the source expects the catalogue: `const EN = {/*en.json*/};`
PLACEHOLDER = "{/*en.json*/}"


def english_catalogue() -> dict[str, str]:
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    if not isinstance(catalogue, dict) or not all(isinstance(v, str) for v in catalogue.values()):
        raise ValueError(f"{CATALOGUE} must be one flat object of key -> English text.")
    return catalogue


def build() -> str:
    source = SOURCE.read_text(encoding="utf-8")
    if source.count(PLACEHOLDER) != 1:
        raise ValueError(f"{SOURCE} must contain the catalogue placeholder {PLACEHOLDER} exactly once.")
    catalogue = json.dumps(english_catalogue(), ensure_ascii=False, separators=(",", ":"))
    return rjsmin.jsmin(source.replace(PLACEHOLDER, catalogue))


@cache
def served_bytes() -> bytes:
    """Built once per process: the source files ship with the installed package."""
    return build().encode("utf-8")
