"""Screenshots of the triage page for the README, taken from the real server.

    python benchmarks/screenshots.py [--out docs]        (or `make screenshots`)

Starts `python -m service` on a free loopback port, opens the page in Debian's
chromium through Playwright, pastes the seed-like golden document
(tests/golden/seed_emoji.json), loads the browser tests' RSS fixture, and saves:

- triage-table.png: the ranked table at 1280x800, threshold slid to 0 so the sober items show too;
- triage-item.png: the seed's item view at 1280x800, scrolled to its end: highlights, the collapsed junk block;
- triage-narrow.png: the table at 390 px wide.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "golden" / "seed_emoji.json"
RSS = ROOT / "tests" / "browser" / "fixtures" / "triage.rss"
CHROMIUM = os.environ.get("LURID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
READY_DEADLINE_S = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LURID_", "PROMETHEUS_"))}
    environment.update(LURID_HOST="127.0.0.1", LURID_PORT=str(port), LURID_WORKERS="1")
    # a file, not a pipe: the request log writes a line per request, and a full pipe would stall the server
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "service"], cwd=ROOT, env=environment,
                               stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + READY_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {server_log(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server was not ready within {READY_DEADLINE_S} s")


def load_items(page, base: str) -> None:
    page.goto(base + "/")
    expect(page.locator("#model-info")).to_contain_text("triage threshold")
    page.fill("#paste-text", json.loads(SEED.read_text(encoding="utf-8"))["input"])
    page.click("#paste-form button[type=submit]")
    expect(page.locator("#status")).to_contain_text("1 item scored.")
    page.fill("#paste-text", "")
    page.set_input_files("#file-input", str(RSS))
    expect(page.locator("#status")).to_contain_text(f"{RSS.name}: 5 items scored.")
    page.fill("#threshold", "0")
    page.locator("h1").click()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    out = parser.parse_args(argv).out
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            load_items(page, f"http://127.0.0.1:{port}")
            page.locator("#items-heading").evaluate("heading => heading.closest('section').scrollIntoView()")
            page.screenshot(path=out / "triage-table.png")
            page.locator("#items tbody tr[data-id='pasted text 1'] button.open").click()
            expect(page.locator("#item-view")).to_be_visible()
            page.locator("details.junk-block summary").scroll_into_view_if_needed()
            page.screenshot(path=out / "triage-item.png")

            narrow = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            load_items(narrow, f"http://127.0.0.1:{port}")
            narrow.locator("#items-heading").evaluate("heading => heading.closest('section').scrollIntoView()")
            narrow.screenshot(path=out / "triage-narrow.png")
            browser.close()
    finally:
        server.kill()
        server.wait(timeout=30)
    for name in ("triage-table.png", "triage-item.png", "triage-narrow.png"):
        print(out / name)
    return 0


def server_log(log) -> str:
    """What the server wrote to stderr so far."""
    log.seek(0)
    return log.read().decode("utf-8", "replace")


if __name__ == "__main__":
    sys.exit(main())
