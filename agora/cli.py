"""The `agora` command: serve, migrate, createadmin, demo, and everything Django manages.

`agora score` and `agora model` belong to the toxicity package and run without Django.
"""

from __future__ import annotations

import argparse
import os
import sys

_TOXICITY_COMMANDS = {"score", "model"}
# nginx's default limits (4 header buffers of 8 kB); a client sending more is refused with a 400
# before its headers take memory.
DEFAULT_MAX_HEADER_BYTES = 32 * 1024


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["model", "train"] and "--from-decisions" in argv:
        # Decisions live in the database: a Django command (agora.modelops).
        argv = ["train_from_decisions", *(a for a in argv[2:] if a != "--from-decisions")]
    if argv and argv[0] == "transparency-report":
        argv[0] = "transparency_report"
    if argv and argv[0] in _TOXICITY_COMMANDS:
        from agora.toxicity.cli import main as toxicity_main

        return toxicity_main(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    if argv and argv[0] == "serve":
        return serve(argv[1:])
    if argv and argv[0] == "demo":
        return demo(argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agora", *argv])
    return 0


def _default_workers() -> int:
    """Without Redis, live updates and caches live in one process, so one worker serves all
    readers of a thread; with Redis every worker shares them."""
    if "AGORA_WORKERS" in os.environ:
        return int(os.environ["AGORA_WORKERS"])
    from agora import config

    return (os.cpu_count() or 1) if config.get("redis_url") else 1


def _serve_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--host", default=os.environ.get("AGORA_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("AGORA_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=_default_workers(),
                        help="worker processes (default: CPU count with Redis, else 1)")
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--max-header-bytes", type=int,
                        default=int(os.environ.get("AGORA_MAX_HEADER_BYTES", str(DEFAULT_MAX_HEADER_BYTES))),
                        help="largest request line and headers a client may send (default 32768)")
    return parser


def serve(argv: list[str]) -> int:
    """Production-style ASGI server (uvicorn) with N worker processes."""
    args = _serve_parser("agora serve").parse_args(argv)
    import uvicorn

    os.environ["AGORA_MAX_HEADER_BYTES"] = str(args.max_header_bytes)  # read by agora.asgi
    uvicorn.run(
        "agora.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        # h11 is the parser that bounds what a client's request line and headers may take
        # (httptools accepts any size).
        http="h11",
        h11_max_incomplete_event_size=args.max_header_bytes,
        # Open live streams end within this many seconds on shutdown; browsers reconnect.
        timeout_graceful_shutdown=10,
    )
    return 0


def demo(argv: list[str]) -> int:
    """Migrate, load the demo newspaper, then serve it (`--no-serve` to only load; `--lang ar`
    switches the newspaper, its widget and the admin's workspace to another language)."""
    from agora.i18n.languages import CODES

    parser = _serve_parser("agora demo")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--lang", choices=sorted(CODES),
                        help="language of the demo (default: as before, else en)")
    args = parser.parse_args(argv)
    os.environ.setdefault("AGORA_PUBLIC_URL", f"http://{args.host}:{args.port}")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("demo", *([f"--lang={args.lang}"] if args.lang else []))
    if args.no_serve:
        return 0
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    return serve([f"--host={args.host}", f"--port={args.port}", f"--workers={args.workers}",
                  f"--log-level={args.log_level}"])


if __name__ == "__main__":
    sys.exit(main())
