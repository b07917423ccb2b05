"""Real servers and browsers for end-to-end tests: `agora serve` in a subprocess on its own
SQLite database, free ports, and headless Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AGORA = str(Path(sys.executable).with_name("agora"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def agora_env(data_dir: Path, port: int, secret_key: str) -> dict[str, str]:
    """The environment of an Agora installation in `data_dir`, reachable on `port`; the test
    runner's own AGORA_* settings (e.g. a PostgreSQL URL) do not leak in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AGORA_")}
    env.update(AGORA_DATABASE_URL=f"sqlite:///{data_dir}/agora.sqlite3", AGORA_DATA_DIR=str(data_dir),
               AGORA_SECRET_KEY=secret_key, AGORA_PUBLIC_URL=f"http://127.0.0.1:{port}")
    return env


def run_agora(env: dict[str, str], *args: str) -> str:
    """Run an `agora` command to completion; its standard output."""
    done = subprocess.run([AGORA, *args], env=env, check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


@contextmanager
def agora_serve(env: dict[str, str], port: int) -> Iterator[str]:
    """`agora serve` (uvicorn, as in production) until the block ends; yields its base URL."""
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([AGORA, "serve", "--port", str(port), "--workers", "1"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):  # a loaded machine may need a while to import and bind
            try:
                urllib.request.urlopen(f"{base}/embed.js", timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium(path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
