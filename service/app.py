"""The app factory: settings, model, hooks, routes.

    create_app(config=None) -> Flask   (also importable as `service.create_app`)

`config` is a `ServiceConfig`; None reads the `LURID_*` environment variables
(see config.py and the README). The model is loaded and verified here, once
per process, before the app can answer anything: a missing or tampered
artifact raises `classifier.model.ModelError`, which stops gunicorn's start-up
with its message.
"""

from __future__ import annotations

import math
import os
import re
import time

from flask import Flask, request
from flask_cors import CORS

from classifier.model import default_model, load_model

from .api import ServiceState, blueprint
from .auth import require_api_keys
from .config import ServiceConfig
from .errors import register_error_handlers
from .metrics import install_metrics
from .page import blueprint as page_blueprint
from .errors import error_response
from .requestlog import REQUEST_ID_HEADER, install_request_log

# Browser-extension origins are always allowed: the extension is the main client.
# Chrome (and Edge) extension ids are 32 letters a-p; Firefox uses a per-install UUID.
EXTENSION_ORIGINS = (
    re.compile(r"chrome-extension://[a-p]{32}\Z"),
    re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z"),
)
# Seconds a browser may cache a preflight answer.
PREFLIGHT_MAX_AGE = 600


def allowed_origins(config: ServiceConfig) -> list[re.Pattern]:
    """The extension origins, plus the configured ones, matched exactly."""
    return [*EXTENSION_ORIGINS, *(re.compile(re.escape(origin) + r"\Z") for origin in config.allowed_origins)]


def vary_by_origin(response):
    """Every /v1/ answer depends on the Origin header (CORS headers or none), so it says so: a shared
    cache must not hand a copy made for one origin, or for none, to another."""
    if request.path.startswith("/v1/"):
        response.vary.add("Origin")
    return response


def install_rate_limit(app: Flask, config: ServiceConfig) -> None:
    """At most `config.rate_limit` requests per client address on `/v1/` (off when None).

    The page, probes, metrics and preflights are not counted, nor paths that
    match no route. Over the limit, the answer is a JSON 429 with `Retry-After`
    (the seconds until the client's window resets). With the default in-memory
    storage each worker process counts on its own, so with N workers a client
    may get up to N times the rate; `LURID_RATE_LIMIT_STORAGE` (a `limits`
    storage URI such as redis://host:6379) shares one count.
    """
    if config.rate_limit is None:
        return
    from flask_limiter import Limiter, RateLimitExceeded
    from flask_limiter.util import get_remote_address

    # an application limit: one count per client over every /v1/ endpoint, not one per route. No rate-limit
    # headers on every answer: they would also overwrite the Retry-After of a 503.
    limiter = Limiter(get_remote_address, app=app, application_limits=[config.rate_limit], headers_enabled=False,
                      storage_uri=config.rate_limit_storage, key_prefix="lurid",
                      application_limits_exempt_when=lambda: request.method == "OPTIONS"
                      or not request.path.startswith("/v1/"))

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        current = limiter.current_limit
        wait = max(1, math.ceil(current.reset_at - time.time())) if current is not None else 1
        return error_response(429, "rate_limited", f"too many requests from this client: the limit is "
                              f"{error.description}. Retry in {wait} s", headers={"Retry-After": str(wait)})


def create_app(config: ServiceConfig | None = None) -> Flask:
    config = config or ServiceConfig.from_env(os.environ)
    # default_model() is cached: one load per process, whatever the number of apps built
    model = default_model() if config.model_path is None else load_model(config.model_path)
    # The CLI imports these on first use, to start faster; a server imports them now, once, before
    # gunicorn forks its workers: a broken install fails at start-up, not on a reader's first page.
    import feedparser  # noqa: F401
    import trafilatura  # noqa: F401

    # static_folder=None: the page's files are served by the page blueprint, with its security headers
    app = Flask(__name__, static_folder=None)
    # Werkzeug would answer "/v1//score" with an HTML redirect; a wrong path is a JSON 404 here.
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # results keep the CLI's field order: id first
    install_request_log(app, config.log_requests)  # first: every later hook's refusal is logged with its id
    metrics = install_metrics(app)  # then the timer, so that it times the other hooks too
    app.extensions["lurid"] = ServiceState(config=config, model=model, metrics=metrics)
    install_rate_limit(app, config)  # before the key check: guessing keys is counted too
    require_api_keys(app, config.api_keys)
    CORS(app, resources={r"/v1/*": {"origins": allowed_origins(config)}},
         allow_headers=["Content-Type", "Authorization", REQUEST_ID_HEADER],
         expose_headers=[REQUEST_ID_HEADER, "Retry-After"], methods=["GET", "POST", "OPTIONS"],
         max_age=PREFLIGHT_MAX_AGE)
    app.after_request(vary_by_origin)
    register_error_handlers(app, config.max_body_bytes)
    app.register_blueprint(blueprint)
    app.register_blueprint(page_blueprint)
    return app
