"""gunicorn settings for the lurid service, from the `LURID_*` variables.

    gunicorn --config service/gunicorn.conf.py

`python -m service` and `make serve` run exactly that. gunicorn runs this
file by path, so the `service` package is not imported before the metrics
directory below is set. One worker per core, two threads each; the app, and
so the model, is loaded once in the master before forking (`preload_app`),
so a bad artifact stops start-up before any worker exists and workers share
the model's memory pages. SIGTERM stops accepting connections and lets
requests in flight finish.
"""

import atexit
import gc
import os
import shutil
import tempfile

# Prometheus multiprocess mode: each worker writes its metrics under this directory and a scrape adds
# them up. It must be set before prometheus_client is first imported, i.e. before the service package is.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _metrics_dir = tempfile.mkdtemp(prefix="lurid-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir
    _master_pid = os.getpid()

    @atexit.register
    def _remove_metrics_dir():
        """At the master's exit, also after a failed start-up (workers inherit this hook: they skip it)."""
        if os.getpid() == _master_pid:
            shutil.rmtree(_metrics_dir, ignore_errors=True)

from service.config import ServiceConfig  # noqa: E402  (after the variable above)

_config = ServiceConfig.from_env(os.environ)

wsgi_app = "service.app:create_app()"
# an IPv6 address is bracketed, as gunicorn reads it ("[::]:8000")
bind = [f"[{_config.host}]:{_config.port}" if ":" in _config.host and not _config.host.startswith("[")
        else f"{_config.host}:{_config.port}"]
workers = _config.workers
# gthread keeps HTTP connections alive between requests (the sync worker closes each one) and a worker's
# heartbeat goes on while a long batch is scored. Scoring holds the GIL, so more threads would not add speed.
worker_class = "gthread"
threads = 2
preload_app = True
# Seconds a worker gets to finish its requests after SIGTERM. A full batch of articles takes about a second;
# a pathological body (1 MiB of one-word lines) can take longer, see the README's limits.
graceful_timeout = 30
# Seconds an idle keep-alive connection stays open.
keepalive = 5
# gunicorn's control socket has one default path per user, so two servers on one machine (make serve,
# the tests, the benchmark) would fight over it; nothing here uses it.
control_socket_disable = True


def pre_fork(server, worker):
    """Move the master's objects (the model, the imported modules) out of the collector's reach.

    A worker shares them with the master page by page until it writes to one. The collector writes to
    every object it examines, so each collection in a worker copied pages of the shared model; frozen
    objects are never examined. Two workers after 200 requests of 16 articles: 81-82 MB of private memory
    per worker without this, 43 MB with it (benchmarks/worker_memory.py).
    """
    gc.freeze()
