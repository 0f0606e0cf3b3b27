"""Prometheus metrics: requests by route and status, latency, documents, junk blocks.

Under gunicorn each worker is its own process with its own counters. So that
`/metrics` reports the whole server, whichever worker answers the scrape,
`service/gunicorn.conf.py` sets `PROMETHEUS_MULTIPROC_DIR` to a fresh
directory before the app is imported: every worker then writes its values to
files there, and the scrape adds them up (prometheus_client's multiprocess
mode). Without that variable (the Flask test client, a single process), the
app's own registry is reported.
"""

from __future__ import annotations

import os
import time

from flask import Flask, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

# Seconds; from a one-paragraph request (a few ms) to a full 64-document batch (seconds).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED_ROUTE = "unmatched"  # 404s and 405s: one label, whatever path was asked for
# Methods counted by name; any other (clients may send any token) is counted as "other".
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})


class ServiceMetrics:
    """The service's metrics, in a registry of their own (one per app, so tests can build many apps)."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("lurid_http_requests", "HTTP requests, by route, method and status",
                                ("route", "method", "status"), registry=self.registry)
        self.latency = Histogram("lurid_http_request_duration_seconds", "Time to answer a request, by route",
                                 ("route",), buckets=LATENCY_BUCKETS, registry=self.registry)
        self.documents = Counter("lurid_documents_scored", "Documents scored", registry=self.registry)
        self.junk_blocks = Counter("lurid_junk_blocks_found", "Documents in which a junk block was found",
                                   registry=self.registry)

    def record_scores(self, results: list[dict]) -> None:
        self.documents.inc(len(results))
        self.junk_blocks.inc(sum(1 for result in results if result.get("junk_block") is not None))

    def exposition(self) -> tuple[bytes, str]:
        """(body, content type) of a scrape: all workers' values in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def install_metrics(app: Flask) -> ServiceMetrics:
    """Count and time every request, error responses included."""
    metrics = ServiceMetrics()

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def count_request(response):
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
        method = request.method if request.method in KNOWN_METHODS else "other"
        metrics.requests.labels(route, method, str(response.status_code)).inc()
        if "request_started" in g:
            metrics.latency.labels(route).observe(time.perf_counter() - g.request_started)
        return response

    return metrics
