"""The moderator triage page: `/` and its static files, with strict security headers.

The page is plain HTML, CSS and JavaScript in `service/static/` (package
data, so it is served from an installed package or the Docker image too). It
calls the same `/v1/` API as any client, from the browser; the server never
fetches anything for it. Every response here carries a Content-Security-Policy
that allows only the page's own script and style files and same-origin API
calls, so a document that slipped markup into the page could still run nothing.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_from_directory

STATIC_DIR = Path(__file__).with_name("static")
# Nothing inline, nothing from elsewhere: scripts, styles and API calls only from this origin.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Seconds a browser may reuse a static file before asking again (it revalidates with its ETag then).
STATIC_MAX_AGE = 300

blueprint = Blueprint("page", __name__)


@blueprint.get("/")
def index():
    return send_from_directory(STATIC_DIR, "index.html", max_age=0)


@blueprint.get("/static/<path:filename>")
def static_file(filename: str):
    """A file of the page; `send_from_directory` refuses paths that leave the directory (404)."""
    return send_from_directory(STATIC_DIR, filename, max_age=STATIC_MAX_AGE)


@blueprint.after_request
def add_security_headers(response):
    """On every answer of this blueprint, the 404 for a missing file included."""
    response.headers.update(SECURITY_HEADERS)
    return response
