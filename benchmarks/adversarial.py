"""The `score` command under an adversarial corpus: records in, records out, and what it cost.

    python benchmarks/adversarial.py [--repeat 3] [--out benchmarks/adversarial.md]

The corpus is generated here, deterministically (nothing of it is stored):
JSONL lines of every kind of bad or strange input the reliability issue
lists (lone surrogates, NUL, bidi overrides, zero-width and combining marks,
1 MB without a newline, whitespace or emoji only, mojibake of mojibake,
invalid UTF-8, deeply nested and oversized JSON, HTML bombs, wrong types,
blank lines...), mixed with ordinary authored paragraphs. It is fed to
`score` as a user would (a subprocess, on stdin and as a file), with the
default limits. For each run: input lines, output lines, whether every
output line is JSON and in order (the `id`s are the line numbers), the error
codes, the exit code, wall time and the child's peak RSS. Text, HTML and feed
files with invalid bytes and bombs are run one per file the same way.
Nothing is asserted here: tests/ holds the invariants; this is the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from classifier.corpus import load_corpus  # noqa: E402

MB = 1 << 20
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def mojibake(text: str) -> str:
    """UTF-8 read as cp1252, as scrapers do."""
    return text.encode("utf-8").decode("cp1252", "replace")


def json_line(record_id: int, **fields) -> bytes:
    """One JSONL line; lone surrogates are written as the \\ud800 escapes a JSON producer would send."""
    return json.dumps({"id": record_id, **fields}, ensure_ascii=True).encode("ascii") + b"\n"


def adversarial_lines(rng: random.Random, paragraphs: list[str]) -> list[tuple[str, bytes]]:
    """(kind, raw line) pairs; a record's id is its line number, where the line can carry one."""
    kinds: list[tuple[str, object]] = []
    sample = lambda: rng.choice(paragraphs)  # noqa: E731
    for _ in range(20):
        kinds.append(("authored paragraph", lambda: {"text": sample()}))
    kinds += [
        ("arbitrary code points", lambda: {"text": "".join(chr(rng.randrange(0x110000)) for _ in range(400))}),
        ("lone surrogates", lambda: {"text": "Council \ud800 met \udfff today \udbff."}),
        ("NUL and controls", lambda: {"text": "The\x00council\x01met.\x7f\x1b[31m red"}),
        ("bidi overrides", lambda: {"text": BIDI.join(sample().split())}),
        ("zero-width characters", lambda: {"text": ZERO_WIDTH.join(sample())}),
        ("combining marks", lambda: {"text": "".join(c + "\u0301\u0308\u0336" * 5 for c in sample())}),
        ("1 MB without a newline", lambda: {"text": ("word " * 200_000)[:999_999]}),
        ("very long line of one token", lambda: {"text": "A" * 500_000}),
        ("whitespace only", lambda: {"text": " \t\u3000\u00a0\n\n\r\n \u2028\u2029 "}),
        ("emoji only", lambda: {"text": "😱🔥⚡💀" * 2000}),
        ("mojibake", lambda: {"text": mojibake("⚡ " + sample() + " 😱 …")}),
        ("mojibake of mojibake", lambda: {"text": mojibake(mojibake("⚡ " + sample() + " 😱 …"))}),
        ("html: deep nesting", lambda: {"html": "<div>" * 80_000 + "deep" + "</div>" * 80_000}),
        ("html: 10^5 elements", lambda: {"html": "<p>x</p>" * 100_000}),
        ("html: 10^5 inline elements", lambda: {"html": "<p>" + "<b>x</b> " * 100_000 + "</p>"}),
        ("html: unclosed tags", lambda: {"html": "<p><b><i><a href='x'>" * 5000 + sample()}),
        ("html: script and handlers", lambda: {"html": "<img src=x onerror=alert(1)><script>alert(1)</script>"
                                                       "<a href='javascript:alert(1)'>Read</a><p>" + sample()}),
        ("html: comment and CDATA bombs", lambda: {"html": "<!--" * 50_000 + "<![CDATA[" * 10_000 + sample()}),
        ("wrong type: text is a number", lambda: {"text": 42}),
        ("wrong type: text is an object", lambda: {"text": {"nested": ["a"]}}),
        ("both text and html", lambda: {"text": "a", "html": "<p>b</p>"}),
        ("missing text", lambda: {"title": "no text here"}),
        ("over --max-chars", lambda: {"text": "x " * 600_000}),
    ]
    # raw lines, built with their line number n as the id where the line can carry one
    raw_kinds = [
        ("blank line", lambda n: b"\n"),
        ("CRLF line", lambda n: json_line(n, text=sample())[:-1] + b"\r\n"),
        ("invalid UTF-8", lambda n: b'{"id": %d, "text": "caf\xe9 \xff\xfe \xc3"}\n' % n),
        ("truncated UTF-8 sequence", lambda n: b'{"id": %d, "text": "\xe2\x9a"}\n' % n),
        ("not JSON", lambda n: b"this is not json at all\n"),
        ("JSON array, not object", lambda n: b'["text", "a"]\n'),
        ("NaN and Infinity", lambda n: b'{"id": %d, "text": "a", "score": NaN, "x": Infinity}\n' % n),
        ("huge number", lambda n: b'{"id": %d, "text": "a", "n": 1' % n + b"0" * 5000 + b"}\n"),
        ("deeply nested JSON", lambda n: b'{"id": %d, "text": "a", "n": ' % n + b"[" * 100_000 + b"]" * 100_000
         + b"}\n"),
        ("oversized JSON line (8 MB)", lambda n: b'{"id": %d, "text": "' % n + b"y" * (8 * MB) + b'"}\n'),
        ("raw control characters", lambda n: b'{"id": %d, "text": "line\rbreak\x00here"}\n' % n),
        ("U+2028 inside a record", lambda n: ('{"id": %d, "text": "one\u2028two\u2029three"}\n' % n).encode()),
    ]
    lines: list[tuple[str, bytes]] = []
    plan = [(kind, make, False) for kind, make in kinds] + [(kind, make, True) for kind, make in raw_kinds]
    for _ in range(2):
        rng.shuffle(plan)
        for kind, make, raw in plan:
            number = len(lines) + 1
            lines.append((kind, make(number) if raw else json_line(number, **make())))
    lines.append(("last line without a newline", json_line(len(lines) + 1, text=paragraphs[0])[:-1]))
    return lines


def run_score(args: list[str], stdin: bytes | None) -> dict:
    """Run `score`; the peak RSS is its own (os.wait4 gives this child's rusage, not the whole run's)."""
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        given.write(stdin or b"")
        given.seek(0)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "classifier.cli", *args], stdin=given, stdout=out,
                                   stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    out_lines = stdout.split(b"\n")
    if out_lines and out_lines[-1] == b"":
        out_lines.pop()
    parsed, not_json = [], 0
    for line in out_lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            not_json += 1
    return {"exit": process.returncode, "seconds": elapsed, "outputs": parsed, "not_json": not_json,
            "peak_rss_mib": usage.ru_maxrss / 1024, "stderr": stderr.decode("utf-8", "replace")[-500:]}


def check_jsonl(lines: list[tuple[str, bytes]], result: dict) -> dict:
    outputs = result["outputs"]
    order_ok = all(o.get("id") in (None, i) for i, o in enumerate(outputs, 1))
    codes = Counter(o["error"]["code"] for o in outputs if "error" in o)
    outcomes: dict[str, Counter] = {}
    for (kind, _), output in zip(lines, outputs):
        outcomes.setdefault(kind, Counter())[output["error"]["code"] if "error" in output else "scored"] += 1
    return {"lines_in": len(lines), "lines_out": len(outputs) + result["not_json"], "by_kind": outcomes,
            "not_json": result["not_json"], "ids_in_order": order_ok, "scored": sum("error" not in o for o in outputs),
            "errors": dict(sorted(codes.items())), "exit": result["exit"],
            "seconds": round(result["seconds"], 1), "peak_rss_mib": result["peak_rss_mib"]}


def file_cases(paragraphs: list[str]) -> list[tuple[str, str, bytes]]:
    """(kind, file suffix, bytes): one document per file, in the text, html and feed modes."""
    text = paragraphs[1]
    entity_bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                   + "".join(f'<!ENTITY {c}{i} "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' for i, c in enumerate("bcdefgh"))
                   + ']><rss version="2.0"><channel><item><description>&h6;</description></item></channel></rss>')
    return [
        ("text: invalid UTF-8", ".txt", b"caf\xe9 " + text.encode() + b"\xff"),
        ("text: UTF-16 with BOM", ".txt", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")),
        ("text: 4 MB over --max-chars", ".txt", b"word " * (4 * MB // 5 * 2)),
        ("text: NUL bytes", ".txt", text.encode().replace(b" ", b"\x00")),
        ("html: deep nesting", ".html", b"<html><body>" + b"<div>" * 150_000 + text.encode()),
        ("html: invalid UTF-8", ".html", b"<p>caf\xe9</p><p>" + text.encode() + b"</p>"),
        ("feed: entity expansion", ".rss", entity_bomb.encode()),
        ("feed: UTF-7 entity bomb", ".rss", '<?xml version="1.0" encoding="UTF-7"?>'.encode()
         + entity_bomb.split("?>", 1)[1].encode("utf-7")),
        ("feed: truncated", ".rss", b'<rss version="2.0"><channel><item><title>One</title><description>'
         + text.encode() + b"</description></item><item><title>Tw"),
        ("feed: invalid UTF-8", ".rss", b'<rss version="2.0"><channel><item><description>caf\xe9 \xff'
         b"</description></item></channel></rss>"),
    ]


# The heaviest requests the service's default limits let through, each in a fresh process (its peak RSS).
SERVICE_CASES = (
    "64 documents of 2,500 one-character lines (1 MiB of JSON)",
    "1 document of 100,000 characters of one-character lines",
    "1 document of 4,999 lines of 20 characters",
    "1 HTML document of 12,500 <p> elements",
    "10 documents of 100,000 characters of prose, no newline",
)


def service_body(case: str) -> dict:
    prose = ("The council met on Tuesday and approved the budget after a long debate about roads. " * 1200)
    return {
        SERVICE_CASES[0]: {"documents": [{"text": "a\n" * 2500}] * 64},
        SERVICE_CASES[1]: {"text": "a\n" * 50_000},
        SERVICE_CASES[2]: {"text": "Aaaa bbbb cccc dddd\n" * 4999},
        SERVICE_CASES[3]: {"html": "<p>x</p>" * 12_500},
        SERVICE_CASES[4]: {"documents": [{"text": prose[:100_000]}] * 10},
    }[case]


def service_case(case: str) -> dict:
    """Run in a child process: one request through the app (default settings), timed, with the peak RSS."""
    from service import create_app
    from service.config import ServiceConfig

    client = create_app(ServiceConfig(log_requests=False)).test_client()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.post("/v1/score", json=service_body(case))
    elapsed = time.perf_counter() - started
    error = response.get_json().get("error") or {}
    return {"case": case, "status": response.status_code, "code": error.get("code"), "seconds": round(elapsed, 1),
            "response_mb": round(len(response.data) / 1e6, 2), "rss_before_mib": round(before / 1024),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def report(jsonl_runs: dict, files: list[dict], repeat: int, service: list[dict]) -> str:
    lines = ["# The `score` command under an adversarial corpus", "",
             "Written by `python benchmarks/adversarial.py`. The corpus is generated by that script (nothing of "
             "it is stored): every kind of bad or strange input the reliability issue lists, each twice, mixed "
             "with 40 authored paragraphs, plus a last line without a newline. Default limits "
             "(`--max-chars 1000000`, `--time-budget 10`). "
             f"Machine: {platform.machine()}, Python {platform.python_version()}, 2 cores shared with other "
             "work. Peak RSS is the `score` process's maximum resident set (getrusage of the child).", "",
             "## JSONL", "",
             "| run | lines in | lines out | not JSON | ids in order | scored | exit | seconds | peak RSS MiB |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, runs in jsonl_runs.items():
        for i, run in enumerate(runs, 1):
            rss = f"{run['peak_rss_mib']:.0f}"
            lines.append(f"| {name} #{i} | {run['lines_in']} | {run['lines_out']} | {run['not_json']} | "
                         f"{'yes' if run['ids_in_order'] else 'NO'} | {run['scored']} | {run['exit']} | "
                         f"{run['seconds']} | {rss} |")
    first = next(iter(jsonl_runs.values()))[0]
    lines += ["", "Error codes (first run): " + ", ".join(f"`{k}` {v}" for k, v in first["errors"].items()) + ".",
              "", "What each kind of line got (first run; each kind appears twice):", "",
              "| input | outcome |", "| --- | --- |"]
    for kind, counts in sorted(first["by_kind"].items()):
        lines.append(f"| {kind} | " + ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) + " |")
    lines += ["", "## One document per file", "",
              "| file | exit | output lines | outcome | seconds | peak RSS MiB |", "| --- | --- | --- | --- | --- | --- |"]
    for case in files:
        rss = f"{case['peak_rss_mib']:.0f}"
        lines.append(f"| {case['kind']} | {case['exit']} | {case['lines']} | {case['outcome']} | "
                     f"{case['seconds']:.1f} | {rss} |")
    lines += ["", "Peak RSS is the `score` process's own (os.wait4); when there are more than 32 JSONL "
              "records, batches go to forked worker processes, whose memory is not included.", "",
              "## The heaviest requests the service lets through", "",
              "Default settings (1 MiB body, 100,000 characters and 5,000 paragraphs per document, 64 documents, "
              "10 s time budget), one request each through the app in a fresh process (Flask's test client, no "
              "HTTP). RSS before is after the model is loaded.", "",
              "| request | status | code | seconds | response MB | RSS before MiB | peak RSS MiB |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for case in service:
        lines.append(f"| {case['case']} | {case['status']} | {case['code'] or '–'} | {case['seconds']} | "
                     f"{case['response_mb']} | {case['rss_before_mib']} | {case['peak_rss_mib']} |")
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each JSONL mode (default 2)")
    parser.add_argument("--out", type=Path, default=HERE / "adversarial.md")
    parser.add_argument("--service-case", help=argparse.SUPPRESS)  # internal: one request, in a child process
    args = parser.parse_args(argv)
    if args.service_case:
        print(json.dumps(service_case(args.service_case)))
        return 0
    paragraphs = [p["text"] for p in load_corpus().paragraphs]
    lines = adversarial_lines(random.Random(2026), paragraphs)
    data = b"".join(raw for _, raw in lines)
    print(f"{len(lines)} lines, {len(data) / MB:.1f} MB", file=sys.stderr)
    runs = {"stdin": [], "file": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "adversarial.jsonl"
        path.write_bytes(data)
        for _ in range(args.repeat):
            runs["stdin"].append(check_jsonl(lines, run_score(["--input-format", "jsonl"], data)))
            runs["file"].append(check_jsonl(lines, run_score([str(path)], None)))
            print({k: v for k, v in runs["file"][-1].items() if k != "by_kind"}, file=sys.stderr)
        files = []
        for kind, suffix, content in file_cases(paragraphs):
            target = Path(tmp) / f"case{suffix}"
            target.write_bytes(content)
            result = run_score([str(target)], None)
            outputs = result["outputs"]
            outcome = ", ".join(o["error"]["code"] if "error" in o else "scored" for o in outputs) or "no output"
            files.append({"kind": kind, "exit": result["exit"], "lines": len(outputs) + result["not_json"],
                          "outcome": outcome, "seconds": result["seconds"], "peak_rss_mib": result["peak_rss_mib"]})
            print(files[-1], file=sys.stderr)
    service = []
    for case in SERVICE_CASES:
        child = subprocess.run([sys.executable, __file__, "--service-case", case], capture_output=True, check=True)
        service.append(json.loads(child.stdout))
        print(service[-1], file=sys.stderr)
    args.out.write_text(report(runs, files, args.repeat, service), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
