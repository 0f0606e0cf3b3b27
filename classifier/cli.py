"""`score`: documents in, one JSON line per document out.

    score [--input-format auto|text|html|jsonl|feed] [--threshold T] [--clean]
          [--max-chars N] [--max-paragraphs N] [--time-budget S] [PATH ...]

No PATH, or `-`, reads standard input. jsonl input is one object a line with
`id` and `text` (or `html`); other fields are copied to the output unless
their names collide with result fields. text and html input is one document
per file, with `id` = the path. feed input is an RSS or Atom file: one
document per item, with `id` = its guid or link, its `title` and `url`, and
`text`, the text its offsets point into. A feed that is not well-formed gets an
error line after the items that could be recovered.

Every input line of jsonl gets exactly one output line, in order, whatever it
holds. A document over --max-chars or --max-paragraphs, or one that takes more
than --time-budget seconds, gets an error line; memory stays bounded by those
limits.

Exit codes, exactly the issue's three, which other tools depend on: 0 every
record scored; 1 at least one record got an error line, including an
`internal_error` one (lurid itself failed on it: the traceback is on stderr, a
bug to report); 2 usage error (bad option, or the model cannot be loaded) or
standard output cannot be written.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import json
import os
import itertools
import re
import select
import signal
import sys
import traceback
from collections import deque
from contextlib import contextmanager, nullcontext
from typing import NamedTuple


from . import __version__
from .charsets import web_codec
from .feeds import item_error, item_line, parse_feed
from .model import ModelError, default_model
from .scoring import (MAX_PARAGRAPHS_DEFAULT, TIME_BUDGET_DEFAULT, InputError, ScoringConfig, result_line,
                      bounded_int, json_type, reject_constant, score_documents, unique_keys)

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2
# Records are scored in batches of this many; when there is more than one
# batch, they go to one worker process per core (order kept).
BATCH_SIZE = 32
# Batches queued for the worker pool at once, per worker.
IN_FLIGHT_PER_JOB = 4
# JSON records nested deeper than this are refused: their fields are copied to the output and pickled to
# worker processes, both of which recurse, and a record nested ~980 deep (still valid for json.loads)
# crashed the whole run with a RecursionError while pickling. News records need a few levels.
MAX_JSON_DEPTH = 100
# Allocations between young-generation garbage collections while scoring (Python's default is 700).
# Scoring allocates millions of short-lived, acyclic objects (tokens, n-grams, spans) that reference
# counting frees; at the default, the collector ran about 600 times per 1,000 documents and took 0.3 to
# 0.5 s of a 5.5 s run (benchmarks/throughput.md).
GC_YOUNG_THRESHOLD = 50_000
# Bytes read before guessing the input format.
SNIFF_BYTES = 4096
# Characters one document may have, by default: ten times the service's limit, far beyond any article.
MAX_CHARS_DEFAULT = 1_000_000
# A feed file is refused past this many bytes (about 100,000 items of teaser length).
MAX_FEED_BYTES = 64 * 1024 * 1024
_HTML_SNIFF = ("<!doctype html", "<html", "<head", "<body", "<div", "<p>", "<p ", "<article")
# A document that starts with one of these block elements is HTML, even as a fragment with none of the above
# (one that starts with an inline tag, "<b>Bold</b> words", stays text).
_HTML_ELEMENTS = frozenset("section main header footer nav aside figure blockquote ul ol li table h1 h2 h3 h4 h5 "
                           "h6 pre form".split())
# A JSON array of objects (`[{...}, ...]`) is not text to score: read as JSONL, it gets an error line that says
# why. Text that starts "[1]" or "[2024-05-01]" stays text.
_JSON_ARRAY = re.compile(r"\[\s*\{")
# What may come before a document's first element, as (opening, closing); a DOCTYPE with an internal
# subset ends at "]>" (a feed never needs one, and one that has it is then refused as a feed, not read as text).
_PROLOGUE = (("<?", "?>"), ("<!--", "-->"), ("<!doctype", ">"))
_ELEMENT_NAME = re.compile(r"<([a-z_][\w.:-]*)")
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
# Bounded and without nested repetition: it runs on untrusted bytes (fuzz/redos_audit.py).
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset[ \t]{0,8}=[ \t\"']{0,8}([A-Za-z0-9_.:-]{1,40})", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


# The largest --max-chars: a billion characters (up to 4 GB of UTF-8) is past any one document.
MAX_CHARS_CEILING = 10**9


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="score", description="Score documents for loaded language and find appended junk-link blocks.",
        epilog="Exit codes: 0 all records scored, 1 some records failed (see their error lines; an internal_error "
               "line is a lurid bug, its traceback is on stderr), 2 usage error or output not writable.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="input files; none or '-' reads stdin")
    parser.add_argument("--input-format", choices=("auto", "text", "html", "jsonl", "feed"), default="auto",
                        help="how to read the input (default: guess from the name, then the content)")
    parser.add_argument("--threshold", type=float, default=None, metavar="T",
                        help="flag documents scoring at least T (0..1; default: the model's)")
    parser.add_argument("--clean", action="store_true", help="add clean_text: the text without the junk block")
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS_DEFAULT, metavar="N",
                        help="give an error line for documents over N characters, without reading them whole "
                             f"(default: {MAX_CHARS_DEFAULT})")
    parser.add_argument("--max-paragraphs", type=int, default=MAX_PARAGRAPHS_DEFAULT, metavar="N",
                        help="give an error line for documents that split into more than N paragraphs "
                             f"(default: {MAX_PARAGRAPHS_DEFAULT})")
    parser.add_argument("--time-budget", type=float, default=TIME_BUDGET_DEFAULT, metavar="S",
                        help="give an error line for a document that takes more than S seconds "
                             f"(default: {TIME_BUDGET_DEFAULT:g})")
    parser.add_argument("--version", action="version", version=f"lurid {__version__}")
    args = parser.parse_args(argv)
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        parser.error(f"--threshold must be between 0 and 1, got {args.threshold}")
    if args.threshold is not None:
        args.threshold += 0.0  # -0 is 0
    if not 1 <= args.max_chars <= MAX_CHARS_CEILING:
        parser.error(f"--max-chars must be between 1 and {MAX_CHARS_CEILING:,}, got {args.max_chars}")
    if args.max_paragraphs < 1:
        parser.error(f"--max-paragraphs must be at least 1, got {args.max_paragraphs}")
    if not args.time_budget > 0:  # also refuses nan
        parser.error(f"--time-budget must be a positive number of seconds, got {args.time_budget}")
    return args


def sniff_format(name: str, head: bytes, regular_file: bool = False) -> str:
    """Guess jsonl/html/feed/text from a file name, then from its first bytes.

    >>> sniff_format("news.xml", b'<?xml version="1.0"?><!-- a comment --><rss version="2.0"><channel>')
    'feed'
    >>> sniff_format("-", b"<b>Bold</b> text about <rss> feeds")
    'text'
    >>> sniff_format("-", b"Breaking: a plain text document")
    'text'
    >>> sniff_format("-", b"<section><h1>Title</h1>Words</section>"), sniff_format("-", b'[{"id": 1}]')
    ('html', 'jsonl')
    >>> sniff_format("-", b"[Updated] A plain text document")
    'text'
    >>> sniff_format("-", b""), sniff_format("notes", b" \\n", regular_file=True)
    ('jsonl', 'text')
    """
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lowered.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lowered.endswith((".rss", ".atom")):
        return "feed"
    if lowered.endswith((".txt", ".text", ".md")):
        return "text"
    start = _decode_head(head).lstrip().lower()
    if not start:  # empty input: no records, as with empty JSONL; but a regular file named is one document
        return "text" if regular_file else "jsonl"
    if start.startswith("{"):
        return "jsonl"
    root = root_element(start)
    if root is not None and (root in ("rss", "feed", "rdf:rdf") or root.endswith(":feed")):
        return "feed"
    if start.startswith("<") and (any(marker in start for marker in _HTML_SNIFF) or root in _HTML_ELEMENTS):
        return "html"
    if _JSON_ARRAY.match(start):
        return "jsonl"
    return "text"


def bom_encoding(data: bytes) -> tuple[str, int]:
    """The encoding the bytes' byte-order mark names and the mark's length; ("utf-8", 0) without one."""
    return next(((encoding, len(bom)) for bom, encoding in _BOMS if data.startswith(bom)), ("utf-8", 0))


def _decode_head(head: bytes) -> str:
    encoding, skip = bom_encoding(head)
    return head[skip:].decode(encoding, "replace")


def root_element(start: str) -> str | None:
    """The name of the first element, past the XML declaration, processing instructions, comments and DOCTYPE.

    >>> root_element('<?xml version="1.0"?> <!DOCTYPE rss> <!-- <feed> --><rss version="2.0">')
    'rss'
    >>> root_element('<!DOCTYPE r [<!ENTITY a "aaaa">]><rss version="2.0">')
    'rss'
    """
    position = 0
    while True:
        while position < len(start) and start[position].isspace():
            position += 1
        found = next(((o, c) for o, c in _PROLOGUE if start[position:position + 9].lower().startswith(o)), None)
        if found is None:
            break
        closing = found[1]
        end = start.find(closing, position + len(found[0]))
        if found[0] == "<!doctype":
            bracket = start.find("[", position, end)
            if bracket >= 0:  # an internal subset (entity declarations): it ends at "]>"
                closing, end = "]>", start.find("]>", bracket)
        if end < 0:
            return None
        position = end + len(closing)
    match = _ELEMENT_NAME.match(start.lower(), position)
    return match.group(1) if match else None


def error_record(record_id, code: str, message: str) -> dict:
    return result_line(record_id, InputError(code, message))


def score_batch(records: list[dict], config: ScoringConfig) -> list[dict]:
    """Parsed input records (or their errors) to output objects, in order. Never raises on bad input."""
    inputs = [record["_input"] for record in records if "_input" in record]
    scored = iter(_score_inputs([{"text": f.get("text"), "html": f.get("html")} for f in inputs], config))
    outputs = []
    for record in records:
        if "_input" not in record:
            outputs.append(record)
            continue
        fields = record["_input"]
        # the document itself is not copied back: a result's offsets point into the text it was sent with
        # (or, for HTML, into its `text`), and echoing the HTML would double the output
        extra = record["_extra"] if "_extra" in record else {k: v for k, v in fields.items() if k != "html"}
        outcome = next(scored)
        if isinstance(outcome, InputError) and "_where" in record:  # where in the input, as other errors say
            outcome = InputError(outcome.code, f"{record['_where']}: {outcome.message}")
        output = result_line(fields.get("id"), outcome, extra)
        if "_feed_item" in record:
            output = item_line(output, record["_feed_item"])  # the offsets point into it
        outputs.append(output)
    return outputs


def _score_inputs(documents: list[dict], config: ScoringConfig) -> list:
    """score_documents, and if it fails on something unforeseen, one document at a time.

    A bug that a strange record triggers then costs that record an `internal_error` line, not the whole run.
    """
    try:
        return score_documents(default_model(), documents, config)
    except Exception:  # noqa: BLE001 - anything unforeseen; each record is retried alone below
        if len(documents) == 1:
            return [_internal_error()]
    outcomes = []
    for document in documents:
        try:
            outcomes.extend(score_documents(default_model(), [document], config))
        except Exception:  # noqa: BLE001
            outcomes.append(_internal_error())
    return outcomes


_REPORTED: set[str] = set()  # tracebacks already written to stderr by this process


def tell(message: str, end: str = "\n", stream=None) -> None:
    """Write a diagnostic to stderr (or `stream`), if it can be written: a closed or broken stderr must not
    cost the records their results (they go to stdout), nor change the exit code."""
    stream = sys.stderr if stream is None else stream
    if stream is None:  # started with stderr closed; print(file=None) would write to stdout
        return
    try:
        print(message, file=stream, end=end, flush=True)
    except (OSError, ValueError):  # a broken pipe, a closed file
        pass


def _internal_error() -> InputError:
    """The error line for a record lurid failed on; its traceback goes to stderr, once per distinct one."""
    kind, error, _ = sys.exc_info()
    trace = traceback.format_exc()
    if trace not in _REPORTED:
        _REPORTED.add(trace)
        tell(f"score: internal error, please report it with the record that caused it:\n{trace}", end="")
    return InputError("internal_error", f"lurid failed on this record ({kind.__name__}: {str(error)[:200]}); "
                      "this is a bug: the traceback is on stderr, please report it with the record")


def score_batch_lines(records: list[dict], config: ScoringConfig) -> list[tuple[str, bool]]:
    """`score_batch`, serialised: (JSON line, its error code or None) per record.

    Workers serialise their own results: JSON encoding then runs in parallel,
    and a string crosses the process boundary much faster than a nested dict.
    """
    return [(serialise(output), output["error"]["code"] if "error" in output else None)
            for output in score_batch(records, config)]


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def nesting_exceeds(value, limit: int) -> bool:
    """Whether decoded JSON nests deeper than `limit` levels (the outer object is level 1); no recursion.

    >>> nesting_exceeds({"a": [[1]]}, 3), nesting_exceeds({"a": [[1]]}, 2)
    (False, True)
    """
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


# What the input stream says when it has nothing more to give for now (a pipe fed by `tail -f`, or by a
# program that waits for the answer to its last line): the records read so far are scored and written
# before score waits for more. It passes through the chunks, the lines and the records.
STALLED = type("Stalled", (), {"__repr__": lambda self: "STALLED"})()
# No new input for this long is a pause. Short enough for a person not to notice, long enough that a pipe
# momentarily empty between a fast writer's writes is not one (each pause waits for all scoring in flight).
PAUSE_SECONDS = 0.05


def read_head(stream, sniffing: bool) -> bytes:
    """The first bytes, without waiting for more than is needed: up to SNIFF_BYTES when guessing the
    format (a pipe may deliver them in pieces), but no more than the first line of JSONL, or, when the
    format is given, whatever has arrived."""
    read = getattr(stream, "read1", stream.read)
    head = b""
    while len(head) < SNIFF_BYTES:
        chunk = read(SNIFF_BYTES - len(head))
        if not chunk:
            break
        head += chunk
        if not sniffing or (b"\n" in head and _decode_head(head).lstrip().startswith("{")):
            break
    return head


class ReadFailed(NamedTuple):
    """What `chunks_of` (and then `lines_of`) yields when reading the stream failed part-way (a connection
    reset, EIO on a failing disk); nothing more is read from that stream."""

    reason: str


def chunks_of(stream, head: bytes):
    """The stream's bytes as they arrive, `head` first, with STALLED before each wait for more, and a
    ReadFailed last if a read failed."""
    if head:
        yield head
    read = getattr(stream, "read1", None) or stream.read
    try:
        descriptor = stream.fileno() if hasattr(stream, "read1") else None
    except (OSError, ValueError):  # in memory: it never waits
        descriptor = None
    while True:
        try:
            # read1 empties the reader's own buffer, so the descriptor alone says whether a read would wait; a
            # writer between two writes is not a pause (a fast one leaves the pipe empty for microseconds)
            if descriptor is not None and not select.select([descriptor], [], [], PAUSE_SECONDS)[0]:
                yield STALLED
            chunk = read(1 << 16)
        except OSError as error:
            yield ReadFailed(error.strerror or str(error))
            return
        if not chunk:
            return
        yield chunk


def as_utf8(chunks, head: bytes):
    """The chunks as UTF-8: JSONL saved as UTF-16 or UTF-32 with a byte-order mark (Windows PowerShell's
    `>` writes UTF-16) is re-encoded as it streams, so its lines split and decode like any other; text that
    is not valid in its encoding becomes U+FFFD. UTF-8 (with or without a BOM) passes through untouched."""
    encoding, _ = bom_encoding(head)
    if encoding == "utf-8" or not _looks_like(encoding, head):
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for chunk in chunks:
        if chunk is STALLED or isinstance(chunk, ReadFailed):
            yield chunk
        else:
            yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def _looks_like(encoding: str, data: bytes) -> bool:
    """Whether bytes that open with a UTF-16 or UTF-32 byte-order mark are JSONL in that encoding: they decode (a
    character cut off at the end of what has arrived does not count), and are empty so far (a slow writer),
    or hold a newline, "{" or "[" (JSON's ASCII: UTF-8 bytes read as UTF-16 pair up into other characters).

    >>> _looks_like("utf-16-le", '\\ufeff[1]\\n{"id": 1}'.encode("utf-16-le")), _looks_like("utf-16-le", b"\\xff\\xfe")
    (True, True)
    >>> _looks_like("utf-16-le", b'\\xff\\xfe\\xfd\\n{"id"')  # UTF-8 after bytes that only look like a mark
    False
    """
    try:
        start = codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False).lstrip("\ufeff")
    except UnicodeError:
        return False
    return not start or any(mark in start for mark in "\n{[")


class LineTooLong(bytes):
    """What `lines_of` yields in place of a line over its limit: the line's first bytes (the rest is dropped)."""


def lines_of(chunks, limit: int | None = None):
    """Split a stream of byte chunks into lines (each keeps its newline).

    A line longer than `limit` bytes is not kept whole: its first `limit`
    bytes come out as a `LineTooLong`, and the rest of it is skipped chunk by
    chunk as it is read, so memory stays bounded whatever the input. Each
    chunk is searched once, so time is linear in the input, however long
    its lines.
    """
    pieces: list[bytes] = []  # the current line so far
    size = 0
    skipping = False  # inside a line already reported as too long
    for chunk in chunks:
        if chunk is STALLED or isinstance(chunk, ReadFailed):
            yield chunk  # (after a failed read, the unfinished line is lost with the rest of the stream)
            if chunk is STALLED:
                continue
            return
        start = 0
        if skipping:
            newline = chunk.find(b"\n")
            if newline < 0:
                continue
            start, skipping = newline + 1, False
        while (newline := chunk.find(b"\n", start)) >= 0:
            line = b"".join([*pieces, chunk[start:newline]]) if pieces else chunk[start:newline]
            pieces, size = [], 0
            yield LineTooLong(line[:limit]) if limit is not None and len(line) > limit else line + b"\n"
            start = newline + 1
        if start < len(chunk):
            pieces.append(chunk[start:])
            size += len(chunk) - start
        if limit is not None and size > limit:
            yield LineTooLong(b"".join(pieces)[:limit])
            pieces, size, skipping = [], 0, True
    if pieces:
        yield b"".join(pieces)


def jsonl_records(stream, source: str, max_chars: int | None = None):
    """Parse a JSONL byte stream: one record, or one error, per line."""
    number = 0
    for raw in stream:
        if raw is STALLED:
            yield STALLED
            continue
        if isinstance(raw, ReadFailed):
            yield error_record(None, "unreadable", f"{source}: reading failed after line {number} ({raw.reason}); "
                               "the rest of it was not read")
            return
        number += 1
        where = f"{source}:{number}"
        if isinstance(raw, LineTooLong):
            yield error_record(None, "too_large", f"{where}: the line is over {len(raw)} bytes, more than a record "
                               f"of {max_chars} characters can take (--max-chars); it was skipped")
            continue
        try:
            line = raw.decode("utf-8-sig")  # a BOM on a later line too: files joined by `cat`
        except UnicodeDecodeError as error:
            yield error_record(None, "invalid_encoding", f"{where}: not UTF-8 ({error.reason} at byte {error.start})")
            continue
        if not line.strip():
            if not raw.endswith(b"\n"):  # blanks after the last newline (or a file of only a BOM): no line
                break
            yield error_record(None, "empty_line", f"{where}: empty line, expected a JSON object")
            continue
        try:
            # without its newline, so that an error's "line 1 column N" is the record's own
            fields = json.loads(line.rstrip("\r\n"), parse_constant=reject_constant, parse_float=_finite_float,
                                parse_int=bounded_int, object_pairs_hook=unique_keys)
        except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
            yield error_record(None, "invalid_json", f"{where}: {error}")
            continue
        if not isinstance(fields, dict):
            yield error_record(None, "invalid_record", f"{where}: expected a JSON object, got {json_type(fields)}")
            continue
        if nesting_exceeds(fields, MAX_JSON_DEPTH):
            yield error_record(None, "invalid_record", f"{where}: the record nests deeper than {MAX_JSON_DEPTH} levels")
            continue
        if "text" not in fields and "html" not in fields:
            yield error_record(fields.get("id"), "missing_field", f"{where}: record needs a 'text' or 'html' field")
            continue
        yield {"_input": fields, "_where": where}


def line_limit(max_chars: int) -> int:
    """Bytes a JSONL line may have: a record at the character limit, every character escaped as JSON may be.

    The widest escape is a character outside the BMP written as a surrogate pair, `\\ud83d\\ude00`: 12 bytes.
    """
    return 12 * max_chars + 65536


def file_record(name: str, data: bytes, kind: str) -> dict:
    """One text or HTML file as a record. UTF-8, or UTF-16/32 with a byte-order mark, or, for HTML, the
    charset its <meta> declares; a byte-order mark stays in the text, so offsets match the file as sent."""
    encoding, _ = bom_encoding(data)
    declared = _META_CHARSET.search(data[:SNIFF_BYTES]) if kind == "html" and encoding == "utf-8" else None
    try:
        content = data.decode(encoding)
        if declared is not None and b"\x1b" in data:
            content = _iso_2022_jp(data, declared.group(1)) or content
    except UnicodeDecodeError as error:
        if declared is None:
            return error_record(name, "invalid_encoding", f"{name}: not UTF-8 ({error.reason} at byte "
                                f"{error.start}); save it as UTF-8, or for HTML declare its <meta charset>")
        charset = declared.group(1).decode("ascii")
        try:
            codec = web_codec(charset)
            if codec == "utf_8":
                return error_record(name, "invalid_encoding", f"{name}: not UTF-8 ({error.reason} at byte "
                                    f"{error.start}), although its <meta> declares {charset}; save it as UTF-8")
            content = data.decode(codec)
        except (LookupError, UnicodeError) as error:
            return error_record(name, "invalid_encoding", f"{name}: not UTF-8, and not the {charset} its "
                                f"<meta> declares ({error}); save it as UTF-8")
    return {"_input": {"id": name, kind: content}}


def _iso_2022_jp(data: bytes, label: bytes) -> str | None:
    """The page decoded as ISO-2022-JP, if its <meta> declares that (`label`) and it decodes; else None.

    ISO-2022-JP is 7-bit: its escape sequences shift into Japanese, so a page in it is also valid UTF-8 (of
    escape codes and ASCII letters) and the declaration, read only when UTF-8 fails, went unread."""
    try:
        if web_codec(label.decode("ascii")) != "iso2022_jp":
            return None
        return data.decode("iso2022_jp")
    except (LookupError, UnicodeError):
        return None


def feed_records(name: str, data: bytes, max_chars: int | None = None):
    """One record per feed item, then an error line if the feed broke part-way."""
    try:
        feed = parse_feed(data, source=name)
    except InputError as error:
        yield error_record(name, error.code, f"{name}: {error.message}")
        return
    for item in feed.items:
        problem = item_error(item, max_chars)
        if problem is not None:
            yield item_line(error_record(item.id, problem.code, f"{name}: {problem.message}"), item)
            continue
        # its title and url are copied; its text is added to the line (offsets point into it)
        yield {"_input": item.fields, "_extra": {"title": item.title, "url": item.url}, "_feed_item": item}
    if feed.error is not None:
        yield error_record(name, feed.error.code, f"{name}: {feed.error.message}")


def display_name(path: str) -> str:
    """A file name as an id: bytes that are not UTF-8 become \\x escapes, never lone surrogates (which a
    strict JSON reader refuses, and others turn into U+FFFD).

    >>> display_name(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def input_records(paths: list[str], input_format: str, stdin, max_chars: int = MAX_CHARS_DEFAULT):
    """Every input record in order, from files or stdin; no more than a document's limit is read into memory."""
    stdin_read = False
    for path in paths or ["-"]:
        name = "-" if path == "-" else display_name(path)
        if path == "-" and stdin_read:
            yield error_record(path, "unreadable", "standard input (-) was already read: name it once")
            continue
        stdin_read = stdin_read or path == "-"
        if path == "-" and stdin is None:
            yield error_record(path, "unreadable", "standard input is closed")
            continue
        try:
            stream = stdin if path == "-" else open(path, "rb")
        except OSError as error:
            yield error_record(name, "unreadable", f"{name}: {error.strerror}")
            continue
        with stream if path != "-" else nullcontext(stream):
            try:
                head = read_head(stream, sniffing=input_format == "auto")
            except OSError as error:
                yield error_record(name, "unreadable", f"{name}: {error.strerror or error}")
                continue
            kind = (sniff_format(name, head, regular_file=path != "-" and os.path.isfile(path))
                    if input_format == "auto" else input_format)
            if kind == "jsonl":
                chunks = as_utf8(chunks_of(stream, head), head)
                yield from jsonl_records(lines_of(chunks, line_limit(max_chars)), name, max_chars)
                continue
            # a UTF-8 character is at most 4 bytes: past that, the document is surely over the limit
            limit = MAX_FEED_BYTES if kind == "feed" else 4 * max_chars
            try:
                data = head + stream.read(limit + 1 - len(head)) if len(head) <= limit else head
            except OSError as error:
                yield error_record(name, "unreadable", f"{name}: reading failed ({error.strerror or error})")
                continue
            if len(data) > limit:
                yield error_record(name, "too_large", f"{name}: over {limit} bytes, more than "
                                   + ("a feed file may have: split it into smaller files" if kind == "feed"
                                      else f"{max_chars} characters (--max-chars)"))
            elif kind == "feed":
                yield from feed_records(name, data, max_chars)
            else:
                yield file_record(name, data, kind)


# JSON leaves U+2028, U+2029 and U+0085 raw inside strings, and str.splitlines() (like some JSONL readers)
# breaks lines at them: escaped, one record stays one line whatever its text holds.
_LINE_SEPARATOR_ESCAPES = {0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\u0085"}
_LINE_SEPARATORS = tuple(map(chr, _LINE_SEPARATOR_ESCAPES))


def serialise(output: dict) -> str:
    """One JSON line; lone surrogates (valid in JSON input) are kept as \\u escapes, and so are line separators.

    >>> serialise({"text": "a\u2028b"})
    '{"text": "a\\\\u2028b"}'
    """
    line = json.dumps(output, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(output, ensure_ascii=True)
    # most lines hold none, and looking for them costs far less than translate, which rebuilds the line
    if any(separator in line for separator in _LINE_SEPARATORS):
        line = line.translate(_LINE_SEPARATOR_ESCAPES)
    return line


def batches(records, size: int = BATCH_SIZE):
    """(batch, stalled): up to `size` records, cut short (stalled true, maybe empty) when the input pauses."""
    batch: list = []
    for record in records:
        if record is STALLED:
            yield batch, True
            batch = []
            continue
        batch.append(record)
        if len(batch) == size:
            yield batch, False
            batch = []
    if batch:
        yield batch, False


def scored_batches(records, config: ScoringConfig, jobs: int):
    """Score batches in order: over `jobs` worker processes once two full batches are there to share;
    here, one at a time, while the input trickles in, so that each record is answered before the next wait."""
    stream = batches(records)
    for batch, stalled in stream:
        if jobs > 1 and not stalled:
            following = next(stream, None)
            if following is not None and not following[1]:
                yield from _pooled(itertools.chain([(batch, stalled), following], stream), config, jobs)
                return
            if following is not None:
                batch = batch + following[0]  # the input paused right after a full batch
        if batch:
            yield score_batch_lines(batch, config)


def _pooled(stream, config: ScoringConfig, jobs: int):
    """`scored_batches` over forked workers, streaming: each batch's lines come out once it and all before
    it are done and the next batch has been read, with at most IN_FLIGHT_PER_JOB batches per worker queued
    (memory stays bounded).

    Forked workers share the verified model already in memory, so they have no start-up of their own.
    A batch the pool fails on (a worker died, a record would not pickle) is scored here instead, where a
    failing record costs only its own line; once the pool is broken, so is every batch after it.
    """
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    pending: deque = deque()  # (batch, its future or None), in input order
    pool = ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_worker_start,
                               initargs=(os.getpid(),))
    reported = False

    def take():
        nonlocal reported
        lines, broken = _outcome(*pending.popleft(), config)
        if broken and not reported:
            reported = True
            tell("score: a worker process died; the remaining records are scored in the main process, on one core")
        return lines

    try:
        for batch, stalled in stream:
            if batch:
                pending.append((batch, _submit(pool, batch, config)))
            # what is done comes out now; when the input pauses, everything is waited for and comes out
            # (`tail -f`, or a program waiting for its answer); when the queue is full, the oldest batch
            while pending and (stalled or len(pending) > IN_FLIGHT_PER_JOB * jobs or _done(pending[0][1])):
                yield take()
        while pending:
            yield take()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int) -> None:
    """In each forked worker: die with the parent, and quietly on Ctrl-C.

    SIGTERM (`kill <pid>`, a supervisor stopping the job) reaches the parent only, and the parent dies
    at once, as a Unix tool should. A worker that outlived it would hold its copy of the model for ever,
    waiting on a queue nobody writes to; Linux sends it SIGTERM when the parent dies.
    """
    # Ctrl-C reaches the whole process group: the parent answers it (exit 130, quietly); a worker just ends,
    # without the traceback of wherever the interrupt found it
    signal.signal(signal.SIGINT, lambda number, frame: os._exit(130))
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux (no prctl): orphans are possible there
        pass
    if os.getppid() != parent:  # the parent died before the line above: nothing would tell us
        os._exit(1)


def _done(future) -> bool:
    return future is None or future.done()


def _submit(pool, batch: list[dict], config: ScoringConfig):
    try:
        return pool.submit(score_batch_lines, batch, config)
    except Exception:  # noqa: BLE001 - the pool is broken (a worker died): this batch is scored in-process
        return None


def _outcome(batch: list[dict], future, config: ScoringConfig) -> tuple[list[tuple[str, str | None]], bool]:
    """The batch's lines, from its future or else scored here; and whether the pool was found broken."""
    from concurrent.futures.process import BrokenProcessPool

    if future is not None:
        try:
            return future.result(), False
        except BrokenProcessPool:
            return score_batch_lines(batch, config), True
        except Exception:  # noqa: BLE001 - a record would not pickle, or the like: score the batch here
            pass
    return score_batch_lines(batch, config), future is None


@contextmanager
def long_lived_heap():
    """Score with the loaded model and libraries out of the garbage collector's way, then restore it.

    gc.freeze() moves every object alive now (the model, the imported modules) to a generation the
    collector never scans, so collections cost what scoring allocates, not the whole heap, and forked
    workers do not write to the pages they share with this process (the use the gc documentation
    describes). Young collections are also made rarer (GC_YOUNG_THRESHOLD); scoring keeps no cyclic
    garbage alive (error results are stored without their tracebacks), so memory stays as it was.
    A caller that had already frozen its heap finds it still frozen afterwards (gc.unfreeze() would
    unfreeze everything, not just what this froze).
    """
    thresholds = gc.get_threshold()
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_by_caller:
            gc.unfreeze()


def run(args: argparse.Namespace, stdin, stdout, stderr) -> int:
    try:
        model = default_model()
    except ModelError as error:
        tell(f"score: {error}", stream=stderr)
        return EXIT_USAGE
    config = ScoringConfig(threshold=args.threshold, clean=args.clean, max_chars=args.max_chars,
                           max_paragraphs=args.max_paragraphs, time_budget=args.time_budget)
    try:
        jobs = max(int(os.environ.get("LURID_JOBS") or os.cpu_count() or 1), 1)
    except ValueError:
        tell(f"score: LURID_JOBS must be a whole number, got {os.environ['LURID_JOBS']!r}", stream=stderr)
        return EXIT_USAGE
    progress = None
    if stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=stderr, desc=f"lurid {model.version}")
    failed = False  # an error line has been written
    records = input_records(args.paths, args.input_format, stdin, args.max_chars)
    try:
        with long_lived_heap():
            for batch in scored_batches(records, config, jobs):
                # counted before it is written: a reader that goes away in the middle of a batch may
                # already have read its error line
                failed = failed or any(error is not None for _, error in batch)
                write_lines(stdout, [line for line, _ in batch])
                if progress is not None:
                    try:
                        progress.update(len(batch))
                    except OSError:  # the terminal went away: the results still go to stdout
                        progress = None
    except StdoutGone:
        raise ReaderGone(EXIT_RECORD_ERRORS if failed else EXIT_OK) from None
    finally:
        if progress is not None:
            try:
                progress.close()
            except OSError:
                pass
    return EXIT_RECORD_ERRORS if failed else EXIT_OK


class ReaderGone(Exception):
    """The reader closed the pipe (`score ... | head`); `code` says whether the lines it read held an error."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class StdoutGone(Exception):
    """Writing the results met a closed pipe (only standard output's own writes raise this, not stderr's)."""


class OutputError(Exception):
    """Standard output could not be written (a full disk, a closed descriptor): nothing more can be."""


def write_lines(stdout, lines: list[str]) -> None:
    """Write the lines in UTF-8, whatever the locale (JSON Lines is UTF-8), and all of them.

    An unbuffered stdout (PYTHONUNBUFFERED, as the Dockerfile sets) is a raw file, whose write may
    take only part of the bytes, and a text layer over it drops the rest without a word; so the bytes
    go to the binary layer, and what it did not take is written again.
    """
    text = "".join(line + "\n" for line in lines)
    try:
        binary = getattr(stdout, "buffer", None)
        if binary is None:  # a text stream with no bytes under it
            stdout.write(text)
            stdout.flush()
            return
        stdout.flush()  # whatever was written to the text layer before
        data = memoryview(text.encode("utf-8"))
        while data:
            written = binary.write(data)
            if written is None:  # a non-blocking descriptor that is full: wait until it is not
                select.select([], [binary], [])
                continue
            data = data[written:]
        binary.flush()
    except BrokenPipeError:
        raise StdoutGone from None
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout has no descriptor of its own
        pass


def main(argv: list[str] | None = None) -> int:
    if sys.stderr is None:  # started with stderr closed (`2>&-`): diagnostics have nowhere to go
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    args = parse_args(argv)
    if sys.stdout is None:
        tell("score: standard output is closed: nowhere to write the results")
        return EXIT_USAGE
    try:
        return run(args, sys.stdin.buffer if sys.stdin is not None else None, sys.stdout, sys.stderr)
    except ReaderGone as gone:
        # the reader went away (`score ... | head`): stop quietly, like other Unix tools
        _silence_stdout()
        return gone.code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OutputError as error:
        tell(f"score: cannot write the results to standard output: {error}")
        _silence_stdout()
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
