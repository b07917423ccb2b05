"""Peak memory of the importers against file size: it must stay flat (streaming).

    .venv/bin/python bench/importers/memory.py --sizes-mb 10,100,1000 --mode read
    .venv/bin/python bench/importers/memory.py --sizes-mb 5,20 --mode import
    .venv/bin/python bench/importers/memory.py --sizes-mb 10,100 --mode load

`read` runs the Disqus reader over a generated file (parsing, repairs, HTML to text: everything
but the database). `import` runs the whole import (pipeline included) into a throwaway SQLite
database; `load` the same without the moderation pipeline (the importer's own cost). Each size
runs in its own process so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def generate(path: Path, megabytes: int) -> int:
    from tests.importers.synthetic import write_disqus

    posts = max(1, megabytes * 1024 * 1024 // 480)  # about 480 bytes per generated post
    write_disqus(path, posts)
    return posts


def child(path: str, mode: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    import django

    django.setup()
    from agora.importers import services
    from agora.importers.loader import ImportOptions

    started = time.perf_counter()
    if mode == "read":
        count = sum(1 for _ in services.reader("disqus")(path))
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        site, _ = services.get_or_create_site("bench", create=True)
        options = ImportOptions(progress=False, base_url="https://news.example", moderate=mode == "import")
        summary = services.import_file(site, "disqus", path, options)
        count = summary.comments_created
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{count} {elapsed:.1f} {peak_kb}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", default="10,100")
    parser.add_argument("--mode", choices=("read", "import", "load"), default="read")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.mode)
        return
    print(f"mode={args.mode}")
    print(f"{'file MB':>8} {'records':>10} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12}")
    for megabytes in (int(size) for size in args.sizes_mb.split(",")):
        with tempfile.TemporaryDirectory(prefix="agora-bench-") as directory:
            path = Path(directory) / "disqus.xml"
            generate(path, megabytes)
            env = {**os.environ, "AGORA_DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"}
            result = subprocess.run([sys.executable, __file__, "--child", str(path), "--mode", args.mode],
                                    capture_output=True, text=True, env=env, check=True)
            count, seconds, peak_kb = result.stdout.split()[-3:]
            size = path.stat().st_size / 1024 / 1024
            rate = int(count) / max(float(seconds), 0.001)
            peak_mb = int(peak_kb) / 1024
            print(f"{size:8.0f} {count:>10} {seconds:>8} {rate:10.0f} {peak_mb:12.1f}", flush=True)


if __name__ == "__main__":
    main()
