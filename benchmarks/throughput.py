"""Throughput of `score` end to end against the raw model, in the same run.

    python benchmarks/throughput.py [--documents N] [--out benchmarks/throughput.md]

Documents are composed from the authored corpus (article-length text, about
half with a junk block). End to end means the `score` command as a user runs
it: a subprocess reading JSONL on stdin and writing JSONL, with one worker
(LURID_JOBS=1) and with one per core. The raw floor is scikit-learn's
`predict_proba` of the same model on the same paragraphs, in-process, one
core: no splitting, no junk detection, no highlights, no JSON. Figures are
printed and written as a markdown table; nothing here is asserted.
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=HERE / "throughput.md")
    args = parser.parse_args(argv)

    texts = article_documents(args.documents)
    payload = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    payload_bytes = payload.encode("utf-8")
    megabytes = len(payload_bytes) / 1e6
    words = sum(len(t.split()) for t in texts)

    model = load_model()
    paragraphs = [p.text for t in texts for p in split_text(t).paragraphs]
    model.loaded.predict_proba(paragraphs[:50])  # warm caches, as the CLI's first batch would
    start = time.perf_counter()
    model.loaded.predict_proba(paragraphs)
    raw = time.perf_counter() - start

    startup = time_startup()
    one = time_cli(payload_bytes, 1)
    cores = os.cpu_count() or 1
    many = time_cli(payload_bytes, cores)

    rows = [
        ("raw predict_proba, 1 core (floor)", raw),
        ("score end to end, 1 worker", one),
        (f"score end to end, {cores} workers", many),
    ]
    lines = [
        "# Throughput",
        "",
        f"{len(texts)} article-length documents ({words / len(texts):.0f} words, "
        f"{len(paragraphs) / len(texts):.1f} paragraphs each on average; {megabytes:.2f} MB of JSONL), "
        f"model {model.version}, Python {platform.python_version()}, {cores} cores. "
        f"Written by `python benchmarks/throughput.py`.",
        "",
        "| run | seconds | documents/s | MB/s | vs raw floor |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, seconds in rows:
        lines.append(f"| {name} | {seconds:.2f} | {len(texts) / seconds:.0f} | {megabytes / seconds:.2f} | "
                     f"{raw / seconds:.2f}x |")
    lines += [
        "",
        f"`score` start-up with empty input (interpreter, imports, model load and verification): {startup:.2f} s; "
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
