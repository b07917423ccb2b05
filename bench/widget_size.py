"""Size budget of the reader widget: all JavaScript it loads, gzipped, must stay ≤ 15 kB.

`python bench/widget_size.py` prints the figures; `--check` exits 1 when over budget
(run by `make test`).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

BUDGET_BYTES = 15 * 1024
WIDGET_FILES = [Path(__file__).resolve().parent.parent / "agora/comments/static/agora/embed.js"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args()
    total = 0
    for path in WIDGET_FILES:
        raw = path.read_bytes()
        packed = len(gzip.compress(raw, compresslevel=9))
        total += packed
        print(f"{path.name}: {len(raw):,} bytes, {packed:,} bytes gzip")
    verdict = "within" if total <= BUDGET_BYTES else "OVER"
    print(f"widget JS total: {total:,} bytes gzip, {verdict} the {BUDGET_BYTES:,}-byte budget "
          f"(Isso ships ~20 kB, Remark42 ~62 kB)")
    return 1 if args.check and total > BUDGET_BYTES else 0


if __name__ == "__main__":
    sys.exit(main())
