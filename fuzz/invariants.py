"""What every fuzz target checks: the invariants of issue "Reliability and security", as assertions.

Imported by the harnesses in this folder (run as scripts, so this folder is on sys.path). An
AssertionError here is a finding: atheris reports it with the input that caused it.
"""

from __future__ import annotations

import json
import math

# The codes a CLI line or a service result may carry (README, "The score command" and "Errors").
CLI_ERROR_CODES = frozenset({"invalid_json", "invalid_record", "invalid_encoding", "empty_line", "missing_field",
                             "invalid_field", "unreadable", "invalid_feed", "malformed_feed", "empty_item",
                             "too_large", "line_too_long"})
SERVICE_ERROR_STATUS = {
    "invalid_json": 400, "invalid_body": 400, "missing_field": 400, "invalid_field": 400, "unknown_field": 400,
    "invalid_feed": 400, "unauthorized": 401, "not_found": 404, "method_not_allowed": 405,
    "body_too_large": 413, "document_too_large": 413, "unsupported_media_type": 415, "too_many_documents": 422,
}
ASCII_SPACE = " \t\r\n\x0b\x0c"
RESULT_KEYS = ("sensationalism", "flagged", "threshold", "paragraphs", "junk_block", "model")


def decode_fuzzed(data: bytes) -> str:
    """Arbitrary Unicode from fuzzer bytes; the first byte picks how, so all input classes are reachable.

    0: UTF-8, undecodable bytes as lone surrogates (as JSON's \\ud800 gives); 1: UTF-16, lone surrogates
    kept; 2: Latin-1; 3: mojibake (UTF-8 read as windows-1252); 4: mojibake of mojibake; 5: UTF-8, the
    text repeated to make very long lines.
    """
    if not data:
        return ""
    mode, rest = data[0] % 6, data[1:]
    if mode == 1:
        return rest[: len(rest) // 2 * 2].decode("utf-16-le", "surrogatepass")
    if mode == 2:
        return rest.decode("latin-1")
    text = rest.decode("utf-8", "surrogateescape")
    if mode in (3, 4):
        for _ in range(mode - 2):
            text = text.encode("utf-8", "surrogatepass").decode("windows-1252", "replace")
    if mode == 5:
        text = text * max(1, 4096 // max(len(text), 1))
    return text


def check_score(score: dict, text: str) -> None:
    """A scored result (a `score` line or a service result, code-point offsets) against the text it points into."""
    for key in RESULT_KEYS:
        assert key in score, f"result lacks {key}: {sorted(score)}"
    assert isinstance(score["sensationalism"], float) and 0.0 <= score["sensationalism"] <= 1.0, score["sensationalism"]
    assert score["flagged"] == (score["sensationalism"] >= score["threshold"])
    previous_end = 0
    for index, paragraph in enumerate(score["paragraphs"]):
        start, end = paragraph["start"], paragraph["end"]
        assert paragraph["index"] == index
        assert previous_end <= start < end <= len(text), (previous_end, start, end, len(text))
        piece = text[start:end]
        assert piece.strip(ASCII_SPACE) == piece, f"paragraph {index} starts or ends with a blank: {piece[:40]!r}"
        assert paragraph["kind"] in ("article", "junk")
        assert 0.0 <= paragraph["sensationalism"] <= 1.0
        for highlight in paragraph["highlights"]:
            assert start <= highlight["start"] < highlight["end"] <= end, (start, end, highlight)
            assert text[highlight["start"]:highlight["end"]].strip(), highlight
            assert math.isfinite(highlight["weight"])
        previous_end = end
    block = score["junk_block"]
    if block is not None:
        first = block["first_paragraph"]
        assert 0 <= first < len(score["paragraphs"])
        assert block["start"] == score["paragraphs"][first]["start"] and block["end"] == len(text)
        assert block["paragraph_count"] == len(score["paragraphs"]) - first
        assert all(p["kind"] == ("junk" if i >= first else "article") for i, p in enumerate(score["paragraphs"]))
        assert 0.0 <= block["confidence"] <= 1.0
    else:
        assert all(p["kind"] == "article" for p in score["paragraphs"])


def check_document_score(result, text: str) -> None:
    """`check_score` for a DocumentScore; HTML results point into their own `text`."""
    check_score(result.to_dict(), text if result.text is None else result.text)


def check_line(line: str) -> dict:
    """One JSONL output line: a single line of JSON with an id, either scored or an error with a known code."""
    assert line.splitlines() == [line], "an output line holds a line break (str.splitlines() counts U+2028 too)"
    output = json.loads(line)
    assert isinstance(output, dict) and "id" in output, output
    if "error" in output:
        assert set(output) == {"id", "error"}, sorted(output)
        assert output["error"]["code"] in CLI_ERROR_CODES, output["error"]
        assert isinstance(output["error"]["message"], str) and output["error"]["message"]
    else:
        for key in RESULT_KEYS:
            assert key in output, f"output lacks {key}"
    return output
