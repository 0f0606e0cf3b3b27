"""Structured request logs: one JSON line per request, on the `lurid.requests` logger.

    {"event": "request", "request_id": "5f0c...", "method": "POST", "path": "/v1/score",
     "status": 200, "latency_ms": 14.2, "documents": 1, "bytes_in": 1520}

No document text, no header values and no API key are ever logged: only the
fields above. `documents` is how many documents the request asked to score
(null for other endpoints, or when the body was refused before it was read).
The request id is the client's `X-Request-ID` when it is a short token, else
a new one; either way it is sent back in `X-Request-ID`, so a client can
quote it in a report.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

LOGGER_NAME = "lurid.requests"
REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed and logged only if it cannot forge a log line or carry text: a short plain token.
_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}\Z")


def request_id(offered: str | None) -> str:
    """The client's id if it is a short token, else a fresh one.

    >>> request_id("abc-123")
    'abc-123'
    >>> len(request_id('bad"id\\n{"status": 200}'))
    32
    """
    if offered and _CLIENT_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def count_documents(count: int) -> None:
    """Called by a view: the number of documents this request asked to score, for its log line."""
    g.lurid_documents = count


class JsonLines(logging.Formatter):
    """A record's message is already a dict: write it as one JSON line, with the time (UTC) first."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        fields = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                  **record.msg}
        return json.dumps(fields, ensure_ascii=True)


def request_logger() -> logging.Logger:
    """The logger, writing JSON lines to stderr unless the host application configured it already."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
        logger.propagate = False  # the lines are complete JSON: no other handler's prefix
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return logger


def install_request_log(app: Flask, enabled: bool = True) -> None:
    """Give every request an id, and (when enabled) log one line for it once it is answered."""
    logger = request_logger() if enabled else None

    @app.before_request
    def start_request():
        g.lurid_request_id = request_id(request.headers.get(REQUEST_ID_HEADER))
        g.lurid_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        if "lurid_request_id" not in g:  # failed before our hook ran (e.g. a limit checked earlier)
            g.lurid_request_id = request_id(None)
        response.headers[REQUEST_ID_HEADER] = g.lurid_request_id
        if logger is not None:
            started = g.get("lurid_started")
            logger.info({
                "event": "request",
                "request_id": g.lurid_request_id,
                "method": request.method if request.method.isalpha() else "other",
                "path": request.url_rule.rule if request.url_rule is not None else "unmatched",
                "status": response.status_code,
                "latency_ms": None if started is None else round((time.perf_counter() - started) * 1000, 2),
                "documents": g.get("lurid_documents"),
                "bytes_in": request.content_length,
            })
        return response
