"""The triage page's files: served with strict security headers, self-contained, no HTML sinks."""

import re
import tomllib
from pathlib import Path

import pytest

from service.page import CONTENT_SECURITY_POLICY, STATIC_DIR

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_FILES = sorted(path.name for path in STATIC_DIR.iterdir() if path.is_file())
# Ways to turn a string into markup or code: document text must never reach any of them.
HTML_SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function|"
                        r"setAttribute\(\s*[\"'](on|style)|srcdoc")


def assert_security_headers(response):
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_policy_constant_is_the_one_asked_for():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP


def test_page_is_served_at_the_root_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert b'<script type="module" src="/static/triage.js">' in response.data
    assert_security_headers(response)


MIMETYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}


@pytest.mark.parametrize("name", PAGE_FILES)
def test_static_files_are_served_with_their_type_and_security_headers(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200 and response.mimetype == MIMETYPES[Path(name).suffix]
    assert response.data == (STATIC_DIR / name).read_bytes()
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/static/missing.js", "/static/../app.py", "/static/%2e%2e/app.py"])
def test_missing_or_escaping_static_paths_are_json_404s_with_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert_security_headers(response)


def test_api_answers_do_not_get_the_page_policy(client):
    response = client.get("/v1/model")
    assert response.status_code == 200 and "Content-Security-Policy" not in response.headers


def test_page_is_open_when_api_keys_are_configured_but_the_api_is_not(make_app):
    client = make_app(api_keys=("secret-key",)).test_client()
    assert client.get("/").status_code == 200 and client.get("/static/triage.js").status_code == 200
    response = client.get("/v1/model")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/v1/model", headers={"Authorization": "Bearer secret-key"}).status_code == 200


@pytest.mark.parametrize("name", PAGE_FILES)
def test_page_files_have_no_html_sinks_and_load_nothing_from_elsewhere(name):
    source = (STATIC_DIR / name).read_text(encoding="utf-8")
    assert not HTML_SINKS.search(source), HTML_SINKS.search(source)
    # no URL with a host: no CDN, no web font, no remote image (the hint text names none either)
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", source, re.IGNORECASE)
    assert "@import" not in source and "@font-face" not in source


def test_index_has_no_inline_script_or_style():
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "inline script"
    assert "<style" not in html and not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def test_every_page_file_is_package_data():
    """A file left out of the package data would be missing from the Docker image and any wheel."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["service"]
    served = {path.name for path in STATIC_DIR.iterdir() if path.is_file()}
    packaged = {path.name for pattern in patterns for path in (ROOT / "service").glob(pattern)}
    assert served and served <= packaged
