"""How much memory each service worker has to itself, and how much it shares.

    python benchmarks/worker_memory.py [--requests 200] [--workers 2] [--out benchmarks/worker_memory.md]

The server is `python -m service` on a free loopback port, started and stopped
as benchmarks/load.py does. gunicorn loads the model in its master and forks
the workers, so a worker shares the master's pages until it writes to one.
RSS alone cannot show that: it counts shared pages in full in every process.
This reads /proc/<pid>/smaps_rollup of each worker, idle and after
`--requests` requests (each a batch of 16 articles of load.py's kind, from one
client thread per worker), and reports RSS, PSS (shared pages split between the processes
sharing them) and private memory (pages this worker alone holds: what one more
worker costs).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from load import BATCH_SIZE, HERE, free_port, payloads, start_server, stop_server
from soak import workers_of

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty")


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS and private memory of one process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in FIELDS:
            values[name] = int(rest.split()[0]) / 1024
    return {"rss": values["Rss"], "pss": values["Pss"], "private": values["Private_Clean"] + values["Private_Dirty"]}


def post(port: int, body: bytes) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/score", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


def row(label: str, workers: list[dict[str, float]]) -> str:
    def cells(key: str) -> str:
        return " / ".join(f"{w[key]:.0f}" for w in workers)
    return f"| {label} | {cells('rss')} | {cells('pss')} | {cells('private')} |"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "worker_memory.md")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.workers < 1:
        parser.error("--requests and --workers must be at least 1")

    body, _ = next(value for name, value in payloads().items() if name.startswith("batch"))
    payload = json.dumps(body).encode("utf-8")
    port = free_port()
    process, _ = start_server(port, LURID_WORKERS=str(args.workers))
    try:
        pids = workers_of(process.pid)
        while len(pids) < args.workers:  # /readyz answers as soon as one worker is up
            time.sleep(0.05)
            pids = workers_of(process.pid)
        idle = [memory_mb(pid) for pid in pids]
        # one client per worker, so that every worker gets requests
        with ThreadPoolExecutor(args.workers) as clients:
            list(clients.map(lambda _: post(port, payload), range(args.requests)))
        busy = [memory_mb(pid) for pid in pids]
    finally:
        stop_server(process)

    lines = [
        "# Service worker memory",
        "",
        f"`python -m service` with {args.workers} workers, Python {platform.python_version()}. "
        "Written by `python benchmarks/worker_memory.py`. MB per worker, one figure per worker, from "
        "/proc/<pid>/smaps_rollup; private = pages only that worker holds (what one more worker costs).",
        "",
        "| when | RSS | PSS | private |",
        "| --- | --- | --- | --- |",
        row("idle, after start-up", idle),
        row(f"after {args.requests} requests of {BATCH_SIZE} articles each", busy),
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
