"""Throughput of `score` end to end against the raw model, in the same run.

    python benchmarks/throughput.py [--documents N] [--out benchmarks/throughput.md]

Documents are composed from the authored corpus (article-length text, about
half with a junk block). End to end means the `score` command as a user runs
it: a subprocess reading JSONL on stdin and writing JSONL, with one worker
(LURID_JOBS=1) and with one per core. The raw floor is scikit-learn's
`predict_proba` of the same model on the same paragraphs, in-process, one
core: no splitting, no junk detection, no highlights, no JSON. Figures are
printed and written as a markdown table; nothing here is asserted.

A shared machine's speed drifts by tens of percent within minutes, so the
runs are repeated (--rounds, default 3) and each end-to-end run is compared
with a floor measured just before it; the report gives medians and the range.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from classifier import features  # noqa: E402
from classifier.cli import long_lived_heap  # noqa: E402
from classifier.compose import compose_documents  # noqa: E402
from classifier.corpus import load_corpus  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.text import split_text  # noqa: E402


def article_documents(count: int) -> list[str]:
    corpus = load_corpus()
    documents = compose_documents(corpus.paragraphs, corpus.junk_blocks, corpus.endings, corpus.headings,
                                  count * 3, seed=7, block_share=0.5)
    texts = [d.content for d in documents if not d.is_html and len(d.content.split()) >= 250]
    return texts[:count]


def time_cli(payload: bytes, jobs: int) -> float:
    environment = dict(os.environ, LURID_JOBS=str(jobs))
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"], input=payload,
                               capture_output=True, env=environment, check=True)
    elapsed = time.perf_counter() - start
    lines = completed.stdout.count(b"\n")
    if lines != payload.count(b"\n"):
        raise RuntimeError(f"expected one output line per input line, got {lines}")
    return elapsed


def time_startup() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"], input=b"",
                   capture_output=True, check=True)
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="repeat every run this many times (default 3)")
    parser.add_argument("--out", type=Path, default=HERE / "throughput.md")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.documents < 1:
        parser.error("--rounds and --documents must be at least 1")

    texts = article_documents(args.documents)
    payload = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    payload_bytes = payload.encode("utf-8")
    megabytes = len(payload_bytes) / 1e6
    words = sum(len(t.split()) for t in texts)

    model = load_model()
    paragraphs = [p.text for t in texts for p in split_text(t).paragraphs]
    model.loaded.predict_proba(paragraphs[:50])  # warm caches, as the CLI's first batch would

    def floor() -> float:
        # cold, as each `score` run starts: the tokens, stems and lexicon matches of an earlier round
        # would otherwise be remembered (features.py caches them per process)
        features.clear_caches()
        # and under the same garbage-collector settings as `score` (a frozen heap, rare young collections):
        # with Python's defaults, the floor spends time collecting that `score` does not
        with long_lived_heap():
            start = time.perf_counter()
            model.loaded.predict_proba(paragraphs)
            return time.perf_counter() - start

    cores = os.cpu_count() or 1
    names = ["score end to end, 1 worker", f"score end to end, {cores} workers"]
    seconds: dict[str, list[float]] = {"floor": [], "startup": [], **{name: [] for name in names}}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.rounds):
        seconds["startup"].append(time_startup())
        for name, jobs in zip(names, (1, cores)):
            raw = floor()
            elapsed = time_cli(payload_bytes, jobs)
            seconds["floor"].append(raw)
            seconds[name].append(elapsed)
            ratios[name].append(raw / elapsed)

    raw = median(seconds["floor"])
    lines = [
        "# Throughput",
        "",
        f"{len(texts)} article-length documents ({words / len(texts):.0f} words, "
        f"{len(paragraphs) / len(texts):.1f} paragraphs each on average; {megabytes:.2f} MB of JSONL), "
        f"model {model.version}, Python {platform.python_version()}, {cores} cores, {args.rounds} rounds. "
        f"Written by `python benchmarks/throughput.py --documents {args.documents} --rounds {args.rounds}`.",
        "",
        "Each end-to-end run is compared with a floor measured just before it, from cold feature caches and "
        "under the garbage-collector settings `score` uses. Seconds are medians of the times; the ratio is the "
        "median of the paired ratios (so the columns need not divide into each other); the range is of the "
        "floor's seconds in its row and of the paired ratios in the others.",
        "",
        "| run | seconds | documents/s | MB/s | vs raw floor | range |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| raw predict_proba, 1 core (floor) | {raw:.2f} | {len(texts) / raw:.0f} | {megabytes / raw:.2f} | "
        f"1.00x | {min(seconds['floor']):.2f}–{max(seconds['floor']):.2f} s |",
    ]
    for name in names:
        elapsed = median(seconds[name])
        lines.append(f"| {name} | {elapsed:.2f} | {len(texts) / elapsed:.0f} | {megabytes / elapsed:.2f} | "
                     f"{median(ratios[name]):.2f}x | {min(ratios[name]):.2f}–{max(ratios[name]):.2f}x |")
    lines += [
        "",
        f"`score` start-up with empty input (interpreter, imports, model load and verification): "
        f"{median(seconds['startup']):.2f} s (range {min(seconds['startup']):.2f}–{max(seconds['startup']):.2f}); "
        "it is included in the end-to-end rows.",
        "",
        "The target is end to end at least 0.6x the raw floor. End to end also splits paragraphs, repairs "
        "mojibake, finds the junk block, computes highlights and writes JSON, none of which the floor does.",
    ]
    report = "\n".join(lines) + "\n"
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
