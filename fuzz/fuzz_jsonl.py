"""atheris target: the `score` command's JSONL path, `jsonl_records` then `score_batch`, as `run` drives them.

    python fuzz/fuzz_jsonl.py CORPUS_DIR [libFuzzer options]

The first byte sets the size of the chunks the stream arrives in (a pipe delivers pieces); the rest is
the stream. Whatever it holds (invalid UTF-8, blank lines, deep or huge JSON, NaN, lone surrogates,
wrong types) there must be exactly one output line per input line, in order, each a single line of
JSON: a scored record with offsets into its text, or an error object with a documented code.
"""

import json
import sys

import atheris

with atheris.instrument_imports(include=["classifier"]):
    from classifier.cli import batches, jsonl_records, lines_of, score_batch_lines
    from classifier.model import default_model
    from classifier.scoring import ScoringConfig
    from invariants import check_line, check_score

default_model()  # loaded once, as `run` does
CONFIG = ScoringConfig()
BATCH = 8  # small batches, so one input crosses batch boundaries


def _sent_record(raw: bytes):
    """The record a line holds, decoded independently of the CLI, or None."""
    try:
        fields = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None
    return fields if isinstance(fields, dict) else None


def test_one_input(data: bytes) -> None:
    if not data:
        return
    size, stream = data[0] + 1, data[1:]
    chunks = [stream[i:i + size] for i in range(0, len(stream), size)]
    raw_lines = stream.split(b"\n")
    if raw_lines[-1] == b"":
        raw_lines.pop()
    lines = [line for batch, _ in batches(jsonl_records(lines_of(chunks), "fuzz"), BATCH)
             for line, _ in score_batch_lines(batch, CONFIG)]
    assert len(lines) == len(raw_lines), (len(lines), len(raw_lines))
    for raw, line in zip(raw_lines, lines):
        output = check_line(line)
        if "error" in output:
            continue
        sent = _sent_record(raw)
        assert sent is not None, "a line that is not a JSON object was scored"
        assert output["id"] == sent.get("id") or sent.get("id") != sent.get("id"), "output out of order"
        check_score(output, output["text"] if "html" in sent and sent.get("text") is None else sent["text"])


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
