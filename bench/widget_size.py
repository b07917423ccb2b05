"""Size budget of the reader widget: all JavaScript it loads, gzipped, must stay ≤ 15 kB.

Measured on what `/embed.js` serves (the source with its English catalogue bundled, minified
by agora/comments/widget_build.py), beside the readable source for comparison.
`python bench/widget_size.py` prints the figures; `--check` exits 1 when over budget
(run by `make test`).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agora.comments import widget_build

BUDGET_BYTES = 15 * 1024


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args()
    source = widget_build.SOURCE.read_bytes() + widget_build.CATALOGUE.read_bytes()
    served = widget_build.build().encode("utf-8")
    print(f"source (embed.js + i18n/en.json): {len(source):,} bytes, {gzipped(source):,} bytes gzip")
    total = gzipped(served)
    print(f"served /embed.js (minified, catalogue bundled): {len(served):,} bytes, {total:,} bytes gzip")
    verdict = "within" if total <= BUDGET_BYTES else "OVER"
    print(f"widget JS total: {total:,} bytes gzip, {verdict} the {BUDGET_BYTES:,}-byte budget "
          f"(Isso ships ~20 kB, Remark42 ~62 kB)")
    return 1 if args.check and total > BUDGET_BYTES else 0


if __name__ == "__main__":
    sys.exit(main())
