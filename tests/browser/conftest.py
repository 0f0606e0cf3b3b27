"""Fixtures for the triage page in a real Chromium: the real server (gunicorn), a browser, a page.

The tests skip, with the reason, where Playwright or Debian's chromium is missing, so that
`make test` passes on any machine; `make test-browser` installs both and sets
LURID_BROWSER_TESTS=required, which turns those skips into failures.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("LURID_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("LURID_BROWSER_TESTS") == "required"
# Flags for a headless Chromium in a container: no sandbox (root), no GPU, no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
START_DEADLINE = 90  # seconds; generous for a loaded CI machine, never reached when things work
API_KEY = "browser-test-key"


def skip_or_fail(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (LURID_BROWSER_TESTS=required: run `make test-browser`, which installs it)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(**variables):
    """`python -m service` on a free loopback port; yields its base URL, kills it afterwards."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LURID_", "PROMETHEUS_"))}
    environment.update(LURID_HOST="127.0.0.1", LURID_PORT=str(port), LURID_WORKERS="1", **variables)
    # a file, not a pipe: the request log writes a line per request, and a full pipe would stall the server
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "service"], cwd=ROOT, env=environment,
                               stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_DEADLINE
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}: {server_log(log)}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                    break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"the server was not ready within {START_DEADLINE} s")
                time.sleep(0.1)
        yield base
    finally:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def server():
    yield from serve()


@pytest.fixture(scope="session")
def keyed_server():
    """(base URL, the one key it accepts)."""
    for base in serve(LURID_API_KEYS=API_KEY):
        yield base, API_KEY


@pytest.fixture(scope="session")
def small_batch_server():
    """A server that takes at most 2 documents a request (the page sends up to 64)."""
    yield from serve(LURID_MAX_DOCUMENTS="2")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright is not installed (pip install -e '.[browser]')")
    if not CHROMIUM.exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page, with what it said: dialogs (alert() would be one), console messages, uncaught errors."""

    def __init__(self, page):
        self.page = page
        self.dialogs = []
        self.console = []
        self.errors = []
        page.on("dialog", self._on_dialog)
        page.on("console", lambda message: self.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    watched = Watched(context.new_page())
    yield watched
    context.close()


def server_log(log) -> str:
    """What the server wrote to stderr so far."""
    log.seek(0)
    return log.read().decode("utf-8", "replace")
