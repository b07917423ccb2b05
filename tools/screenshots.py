"""Screenshots of what readers and staff see, for anyone to look at: the widget (light, dark,
360 px wide), the moderation queue, the admin and the API docs, from a fresh demo installation.

`make screenshots` (or `python tools/screenshots.py [--out DIR]`); needs Chromium
(/usr/bin/chromium, or AGORA_CHROMIUM). The pictures are written to var/screenshots/, which is
not committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import agora_env, agora_serve, chromium, free_port, run_agora  # noqa: E402


def shoot(base: str, password: str, out: Path, chromium_path: str) -> list[Path]:
    from agora.demo import content

    article = f"{base}/news/{content.STORIES[0].slug}"
    saved = []
    with chromium(chromium_path) as browser:
        for name, width, scheme in (("widget-light", 1000, "light"), ("widget-dark", 1000, "dark"),
                                    ("widget-360px", 360, "light")):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            page.goto(article)
            page.locator("#agora-comments").get_by_role("textbox", name="Join the discussion").wait_for()
            saved.append(out / f"{name}.png")
            page.locator("#agora-comments").screenshot(path=str(saved[-1]))
            context.close()

        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/accounts/login/?next=/moderate/queue/all")
        saved.append(out / "login.png")
        page.screenshot(path=str(saved[-1]))
        page.get_by_label("Username or e-mail").fill("admin")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/moderate/queue/all", timeout=30000)
        for name, url in (("queue", "/moderate/queue/all"), ("admin", "/admin/"),
                          ("api-docs", "/api/v1/docs")):
            page.goto(base + url)
            if name == "api-docs":
                page.locator(".swagger-ui .info .title").wait_for()
            saved.append(out / f"{name}.png")
            page.screenshot(path=str(saved[-1]), full_page=name != "queue")
        context.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    args = parser.parse_args()
    chromium_path = os.environ.get("AGORA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    if not os.path.exists(chromium_path):
        print(f"Chromium not found at {chromium_path} (apt-get install chromium, or set AGORA_CHROMIUM).")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="agora-screenshots-") as data:
        env = agora_env(Path(data), port, "screenshots-secret-key")
        run_agora(env, "demo", "--no-serve")
        password = (Path(data) / "demo-admin-password").read_text().strip()
        with agora_serve(env, port) as base:
            for path in shoot(base, password, args.out, chromium_path):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
