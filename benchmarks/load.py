"""Load test of the real service: gunicorn on loopback, driven from this process.

    python benchmarks/load.py [--seconds 6] [--starts 3] [--out benchmarks/load.md]

The server is `python -m service` (what `make serve` runs: one worker per
core, preloaded model) on a free loopback port. The client is this script:
one thread per concurrent connection, each with its own keep-alive
`http.client` connection, sending the same payload as fast as answers come
back for `--seconds`. Requests in flight at the deadline are waited for and
counted. The client shares the machine's cores with the server, as a sidecar
or a proxy would.

Payloads are authored text from training_data/ (invented, Apache-2.0): one
paragraph; a 1,500-word article (authored paragraphs, then a junk block);
a batch of 16 such articles. Cold start is the time from starting the
process to the first 200 on /readyz. The in-process floor is the core's own
time for each payload, one thread, no HTTP: it says how much of a latency is
scoring and how much is queueing and transport. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from classifier.corpus import load_corpus  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.scoring import score_documents  # noqa: E402

CONCURRENCY = (1, 16, 64)
ARTICLE_WORDS = 1500
BATCH_SIZE = 16
# The targets on a 2-core machine.
TARGET_P99_MS = 30.0  # single article, concurrency 16
TARGET_ARTICLES_PER_S = 300.0  # at saturation
TARGET_COLD_START_S = 1.5
READY_DEADLINE_S = 60.0


def article(corpus, rng: random.Random) -> str:
    """Authored paragraphs up to ARTICLE_WORDS words, then one authored junk block."""
    paragraphs, words = [], 0
    while words < ARTICLE_WORDS:
        text = rng.choice(corpus.paragraphs)["text"]
        paragraphs.append(text)
        words += len(text.split())
    return "\n\n".join(paragraphs) + "\n\n" + "\n".join(rng.choice(corpus.junk_blocks)["lines"])


def payloads() -> dict[str, tuple[dict, int]]:
    """name -> (request body, articles in it); a paragraph is not an article and counts 0."""
    corpus = load_corpus()
    rng = random.Random(20251125)
    paragraph = next(p["text"] for p in corpus.paragraphs if p["register"] == "tabloid")
    return {
        "one paragraph": ({"text": paragraph}, 0),
        f"{ARTICLE_WORDS:,}-word article": ({"text": article(corpus, rng)}, 1),
        f"batch of {BATCH_SIZE} articles": (
            {"documents": [{"id": i, "text": article(corpus, rng)} for i in range(BATCH_SIZE)]}, BATCH_SIZE),
    }


def in_process_ms(body: dict, repeats: int = 5) -> float:
    """The core's own time for one request body: the floor under any HTTP latency."""
    model = load_model()
    documents = body.get("documents") or [{"text": body["text"]}]
    documents = [{"text": d["text"]} for d in documents]
    score_documents(model, documents)
    start = time.perf_counter()
    for _ in range(repeats):
        score_documents(model, documents)
    return (time.perf_counter() - start) / repeats * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, **variables: str) -> tuple[subprocess.Popen, float]:
    """Start `python -m service`; return it and the seconds until /readyz first answered 200.

    Only `variables` (say LURID_WORKERS="2") are added to the caller's environment, without its LURID_ ones.
    """
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LURID_", "PROMETHEUS_"))}
    environment.update(variables, LURID_HOST="127.0.0.1", LURID_PORT=str(port))
    start = time.perf_counter()
    # a file, not a pipe: the request log writes a line per request, and a full pipe would stall the server
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "service"], cwd=ROOT, env=environment,
                               stdout=subprocess.DEVNULL, stderr=log)
    while time.perf_counter() - start < READY_DEADLINE_S:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {server_log(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                if response.status == 200:
                    return process, time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"the server was not ready within {READY_DEADLINE_S} s")


def stop_server(process: subprocess.Popen) -> int:
    """SIGTERM (a graceful stop, as an orchestrator sends it); the server's exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


def drive(port: int, body: bytes, concurrency: int, seconds: float) -> dict:
    """Send `body` from `concurrency` keep-alive connections for `seconds`; latencies in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        barrier.wait()
        mine = []
        failed = 0
        while time.perf_counter() < deadline[0]:
            sent = time.perf_counter()
            try:
                connection.request("POST", "/v1/score", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                ok = False
            if ok:
                mine.append((time.perf_counter() - sent) * 1000)
            else:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    start = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"requests": len(latencies), "errors": errors[0], "elapsed": elapsed,
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99)}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile (the value below which p% of the samples fall)."""
    if not sorted_values:
        return float("nan")
    rank = max(int(round(p / 100 * len(sorted_values) + 0.5)) - 1, 0)
    return sorted_values[min(rank, len(sorted_values) - 1)]


def verdict(measured: float, target: float, higher_is_better: bool) -> str:
    met = measured >= target if higher_is_better else measured <= target
    if met:
        return "met"
    factor = target / measured if higher_is_better else measured / target
    return f"**missed** by {abs(measured - target):.3g} ({factor:.1f}x)"


def report(rows, floors, cold_starts, workers, load_averages, seconds) -> str:
    article_row = next(r for r in rows if r["payload"].endswith("article") and r["concurrency"] == 16)
    best = max(rows, key=lambda r: r["articles_per_s"])  # paragraph rows count 0 articles
    cold = statistics.median(cold_starts)
    batch_name = next(name for name in floors if name.startswith("batch"))
    article_name = next(name for name in floors if name.endswith("article"))
    per_article_ms = floors[batch_name] / BATCH_SIZE
    ceiling = workers * 1000 / per_article_ms
    # cores' worth of scoring the server actually got during the single-article rows at concurrency 16
    effective_cores = article_row["requests_per_s"] * floors[article_name] / 1000
    # Little's law: time in the system = requests in flight / throughput
    little_ms = 16 / article_row["requests_per_s"] * 1000
    needed_for_p99 = 16 / (TARGET_P99_MS / 1000)
    lines = [
        "# Load test of the scoring service",
        "",
        f"Written by `python benchmarks/load.py` (`make load`). Server: `python -m service` (gunicorn, {workers} "
        f"workers, gthread, preloaded model) on 127.0.0.1; client: this script in a separate process, one "
        f"keep-alive connection per concurrent client, {seconds:g} s per row. Machine: {os.cpu_count()} cores "
        f"(shared with the client and with other work: load average {load_averages[0]:.2f} just before the run, "
        f"{load_averages[1]:.2f} just after), "
        f"Python {platform.python_version()}.",
        "",
        "| payload | concurrency | requests | errors | p50 ms | p99 ms | requests/s | articles/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        articles = f"{r['articles_per_s']:.1f}" if r["articles_per_s"] else "–"
        lines.append(f"| {r['payload']} | {r['concurrency']} | {r['requests']} | {r['errors']} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['requests_per_s']:.1f} | {articles} |")
    lines += [
        "",
        "In-process floor (the core alone, one thread, no HTTP): " + "; ".join(
            f"{name} {ms:.1f} ms" for name, ms in floors.items()) + ".",
        "",
        f"Cold start (process start to first 200 on `/readyz`), {len(cold_starts)} starts: "
        + ", ".join(f"{s:.2f} s" for s in cold_starts) + f"; median {cold:.2f} s.",
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        f"| p99 ≤ {TARGET_P99_MS:g} ms, single article at concurrency 16 | {article_row['p99']:.1f} ms | "
        f"{verdict(article_row['p99'], TARGET_P99_MS, False)} |",
        f"| ≥ {TARGET_ARTICLES_PER_S:g} articles/s at saturation | {best['articles_per_s']:.1f} articles/s "
        f"({best['payload']}, concurrency {best['concurrency']}) | "
        f"{verdict(best['articles_per_s'], TARGET_ARTICLES_PER_S, True)} |",
        f"| cold start ≤ {TARGET_COLD_START_S:g} s | {cold:.2f} s (median) | "
        f"{verdict(cold, TARGET_COLD_START_S, False)} |",
        "",
        "## Why",
        "",
        f"- **Throughput is bounded by the core's scoring time.** Scored in-process in a batch, an article "
        f"costs {per_article_ms:.1f} ms of one core, so {workers} workers given every core could do at most about "
        f"{ceiling:.0f} articles/s before any HTTP or JSON work. {TARGET_ARTICLES_PER_S:g} articles/s needs an "
        f"article in about {workers * 1000 / TARGET_ARTICLES_PER_S:.1f} ms of CPU: that is the model's speed "
        f"(splitting, ftfy repair, the junk model's cues, highlights), not the service's.",
        f"- **The server did not get every core.** At concurrency 16 it scored single articles at "
        f"{article_row['requests_per_s']:.1f}/s, {floors[article_name]:.1f} ms each: the equivalent of "
        f"{effective_cores:.2f} of the {os.cpu_count()} cores. The rest went to the client (this script) and to "
        f"the other work on the machine (the load average above).",
        f"- **p99 at concurrency 16 is queueing.** By Little's law, 16 requests in flight at "
        f"{article_row['requests_per_s']:.1f} requests/s take {little_ms:.0f} ms from sending to answer on average "
        f"(measured p50: {article_row['p50']:.0f} ms); p99 adds the spread of the queue. A p99 of "
        f"{TARGET_P99_MS:g} ms at concurrency 16 needs more than {needed_for_p99:.0f} articles/s, beyond the "
        f"throughput target itself. Concurrency 1 shows the unqueued latency: p50 "
        f"{next(r for r in rows if r['payload'] == article_row['payload'] and r['concurrency'] == 1)['p50']:.1f}"
        f" ms for an article, against {floors[article_name]:.1f} ms in-process.",
        "- **Cold start** includes the interpreter, imports (Flask, scikit-learn, SciPy), the artifact's sha256 "
        "check and unpickling in the gunicorn master, then forking the workers.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of each row (default 6)")
    parser.add_argument("--starts", type=int, default=3, help="cold starts to time (default 3)")
    parser.add_argument("--out", type=Path, default=HERE / "load.md")
    args = parser.parse_args(argv)

    bodies = payloads()
    floors = {name: in_process_ms(body) for name, (body, _) in bodies.items()}
    print("in-process floor:", {k: round(v, 1) for k, v in floors.items()}, flush=True)
    load_before = os.getloadavg()[0]

    cold_starts = []
    for _ in range(args.starts):
        process, seconds = start_server(free_port())
        cold_starts.append(seconds)
        stop_server(process)
    print("cold starts:", [round(s, 2) for s in cold_starts], flush=True)

    port = free_port()
    process, _ = start_server(port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as response:
            json.load(response)  # the server answers before anything is timed
        # start_server drops the caller's LURID_ variables, so the server runs its default: one worker per core
        workers = len(os.sched_getaffinity(0))
        rows = []
        for name, (body, articles) in bodies.items():
            encoded = json.dumps(body).encode()
            drive(port, encoded, 2, 1.0)  # warm-up: both workers have scored this shape once
            for concurrency in CONCURRENCY:
                result = drive(port, encoded, concurrency, args.seconds)
                result.update(payload=name, concurrency=concurrency,
                              requests_per_s=result["requests"] / result["elapsed"],
                              articles_per_s=result["requests"] * articles / result["elapsed"])
                rows.append(result)
                print(f"{name:>24} c={concurrency:<3} n={result['requests']:<5} err={result['errors']} "
                      f"p50={result['p50']:.1f} ms p99={result['p99']:.1f} ms "
                      f"{result['requests_per_s']:.1f} requests/s", flush=True)
    finally:
        stop_server(process)
    load_averages = (load_before, os.getloadavg()[0])
    args.out.write_text(report(rows, floors, cold_starts, workers, load_averages, args.seconds), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def server_log(log) -> str:
    """What the server wrote to stderr so far."""
    log.seek(0)
    return log.read().decode("utf-8", "replace")


if __name__ == "__main__":
    sys.exit(main())
