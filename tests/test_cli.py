"""The `score` command, run as a user runs it: a subprocess with pipes."""

import io
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from classifier import cli
from classifier.cli import _outcome, _pooled, parse_args, score_batch_lines, sniff_format
from classifier.scoring import ScoringConfig

SEED = (Path(__file__).parent / "golden" / "seed_emoji.json")


def run_score(*args, stdin=b""):
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", *args], input=stdin,
                               capture_output=True, timeout=300)
    lines = [json.loads(line) for line in completed.stdout.decode("utf-8").splitlines()]
    return completed.returncode, lines, completed.stderr.decode("utf-8")


def test_jsonl_keeps_order_ids_and_extra_fields():
    records = [{"id": f"r{i}", "text": f"Paragraph number {i}. The council met.", "source": "feed"} for i in range(5)]
    code, lines, stderr = run_score("--input-format", "jsonl",
                                    stdin="".join(json.dumps(r) + "\n" for r in records).encode())
    assert code == 0, stderr
    assert [line["id"] for line in lines] == [r["id"] for r in records]
    assert all(line["source"] == "feed" for line in lines)
    first = lines[0]
    assert set(first) >= {"id", "sensationalism", "flagged", "threshold", "paragraphs", "junk_block", "model"}
    assert set(first["paragraphs"][0]) == {"index", "start", "end", "kind", "sensationalism", "highlights"}
    assert stderr == ""  # no progress bar when stderr is not a terminal


def test_bad_records_get_error_lines_and_processing_carries_on():
    stdin = b'{"id": "a", "text": "Fine."}\nnot json\n{"id": "b"}\n{"id": "c", "text": 5}\n\xff\xfe\n' \
            b'{"id": "d", "text": "Also fine."}\n'
    code, lines, _ = run_score("--input-format", "jsonl", stdin=stdin)
    assert code == 1
    assert len(lines) == 6
    assert [line.get("id") for line in lines] == ["a", None, "b", "c", None, "d"]
    assert [line["error"]["code"] for line in lines if "error" in line] == [
        "invalid_json", "missing_field", "invalid_field", "invalid_encoding"]
    assert "sensationalism" in lines[-1]


def test_result_fields_are_not_overwritten_by_input_fields():
    code, lines, _ = run_score("--input-format", "jsonl",
                               stdin=b'{"id": 1, "text": "Hello.", "flagged": "spoof", "model": "x"}\n')
    assert code == 0 and lines[0]["flagged"] in (True, False) and lines[0]["model"] != "x"


def test_text_file_with_block_and_clean(tmp_path):
    case = json.loads(SEED.read_text(encoding="utf-8"))
    path = tmp_path / "article.txt"
    path.write_text(case["input"], encoding="utf-8")
    code, lines, _ = run_score("--clean", str(path))
    assert code == 0
    (line,) = lines
    assert line["id"] == str(path)
    assert line["junk_block"]["start"] == case["input"].rindex(case["block_starts_at"])
    assert line["clean_text"] == case["input"][:line["junk_block"]["start"]].rstrip()


def test_stdin_text_and_threshold():
    code, lines, _ = run_score("--input-format", "text", "--threshold", "0.01", stdin="Terrifying chaos!".encode())
    assert code == 0 and lines[0]["id"] == "-" and lines[0]["threshold"] == 0.01 and lines[0]["flagged"]


def test_html_input_carries_extracted_text():
    code, lines, _ = run_score("--input-format", "html", stdin=b"<p>One paragraph.</p><p>Two.</p>")
    assert code == 0 and lines[0]["text"] == "One paragraph.\n\nTwo."


def test_missing_file_is_a_record_error(tmp_path):
    code, lines, _ = run_score(str(tmp_path / "missing.txt"))
    assert code == 1 and lines[0]["error"]["code"] == "unreadable"


@pytest.mark.parametrize("args", [["--threshold", "2"], ["--input-format", "pdf"], ["--nope"]])
def test_usage_errors_exit_2(args):
    code, lines, stderr = run_score(*args)
    assert code == 2 and lines == [] and "usage" in stderr


def test_many_records_in_order_across_workers():
    records = "".join(json.dumps({"id": i, "text": f"Record {i}. Officials said so."}) + "\n" for i in range(300))
    code, lines, _ = run_score("--input-format", "jsonl", stdin=records.encode())
    assert code == 0 and [line["id"] for line in lines] == list(range(300))


def _records(ids):
    return [{"_input": {"id": i, "text": f"Record {i}. Officials said so."}} for i in ids]


def test_a_batch_the_pool_failed_on_is_scored_in_process():
    """A worker that died (or a record that would not pickle) fails the batch's future: its lines still come."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    config = ScoringConfig()
    batch = _records(["a", "b"])
    failed = Future()
    failed.set_exception(BrokenProcessPool("a worker died"))
    expected = score_batch_lines(batch, config)
    assert [json.loads(line)["id"] for line, _ in expected] == ["a", "b"]
    assert _outcome(batch, failed, config) == (expected, True)
    assert _outcome(batch, None, config) == (expected, True)  # the pool was already broken at submission


_PARENT = os.getpid()
_REAL_SCORE_BATCH_LINES = cli.score_batch_lines


def _dying_in_a_worker(batch, config):
    """score_batch_lines, except that a worker given a record marked `_die` exits on the spot."""
    if any(record.get("_die") for record in batch) and os.getpid() != _PARENT:
        os._exit(1)
    return _REAL_SCORE_BATCH_LINES([{k: v for k, v in r.items() if k != "_die"} for r in batch], config)


def test_a_worker_that_dies_costs_no_record(monkeypatch, capfd):
    """A worker killed mid-run: its batch and every batch after it are scored in the main process."""
    batches = [_records(range(start, start + 3)) for start in range(0, 30, 3)]
    batches[4][0]["_die"] = True
    monkeypatch.setattr(cli, "score_batch_lines", _dying_in_a_worker)
    lines = [line for batch in _pooled(((b, False) for b in batches), ScoringConfig(), jobs=2) for line, _ in batch]
    assert [json.loads(line)["id"] for line in lines] == list(range(30))
    assert capfd.readouterr().err.count("a worker process died") == 1


def test_pooled_batches_stream_in_order():
    config = ScoringConfig()
    batches = [_records(range(start, start + 3)) for start in range(0, 30, 3)]
    stream = ((batch, i % 4 == 3) for i, batch in enumerate(batches))  # a pause after every fourth
    lines = [line for batch in _pooled(stream, config, jobs=2) for line, _ in batch]
    assert [json.loads(line)["id"] for line in lines] == list(range(30))


def test_the_heap_is_frozen_while_scoring_and_restored_after(monkeypatch):
    """`score` freezes the heap and makes young collections rarer while it runs, and puts both back."""
    import gc

    before = gc.get_threshold()
    seen = []
    real = cli.scored_batches

    def watching(*args, **kwargs):
        seen.append((gc.get_freeze_count() > 0, gc.get_threshold()[0]))
        yield from real(*args, **kwargs)

    monkeypatch.setattr(cli, "scored_batches", watching)
    args = parse_args(["--input-format", "jsonl"])
    stdin = io.BytesIO(b'{"id": 1, "text": "A calm report."}\n')
    out = io.StringIO()
    assert cli.run(args, stdin, out, io.StringIO()) == 0
    assert json.loads(out.getvalue())["id"] == 1
    assert seen == [(True, cli.GC_YOUNG_THRESHOLD)]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_heap_is_restored_when_scoring_fails_and_a_callers_freeze_is_kept():
    import gc

    class Broken(io.StringIO):
        def write(self, text):
            raise OSError("disk full")

    before = gc.get_threshold()
    args = parse_args(["--input-format", "jsonl"])
    with pytest.raises(cli.OutputError):
        cli.run(args, io.BytesIO(b'{"id": 1, "text": "A calm report."}\n'), Broken(), io.StringIO())
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert cli.run(args, io.BytesIO(b'{"id": 1, "text": "A calm report."}\n'), io.StringIO(), io.StringIO()) == 0
        assert frozen > 0 and gc.get_freeze_count() > frozen // 2  # still frozen (a few frozen objects may have died)
    finally:
        gc.unfreeze()


def test_a_document_over_its_time_budget_leaves_no_cycle_behind(monkeypatch):
    """Its error is kept as a result; with its traceback it would hold the scoring frames until a collection."""
    import gc
    import itertools

    from classifier import scoring
    from classifier.model import default_model

    model = default_model()
    scoring.score_documents(model, [{"text": "A first call, for what is set up once (module metadata)."}])
    ticks = itertools.count()
    # a clock that moves one second a reading: parsing costs 1 s, within the budget; scoring then overruns it
    monkeypatch.setattr(scoring, "clock", lambda: float(next(ticks)))
    gc.collect()
    gc.disable()
    try:
        results = scoring.score_documents(model, [{"text": "A calm report.\n\nA second calm paragraph."}],
                                          ScoringConfig(time_budget=2.5))
        assert results[0].code == "time_budget_exceeded"
        assert "took more than its time budget" in results[0].message
        del results
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_sniffing():
    assert sniff_format("x.jsonl", b"") == "jsonl"
    assert sniff_format("-", b'  {"id": 1}') == "jsonl"
    assert sniff_format("-", b"<!DOCTYPE html><html>") == "html"
    assert sniff_format("-", b"Just words") == "text"
    assert parse_args([]).input_format == "auto"


def test_hostile_json_values_get_error_lines_not_a_crash():
    huge = b'{"id": 2, "text": "y", "n": ' + b"1" * 5000 + b"}\n"
    stdin = b'{"id": 1, "text": "x"}\n' + huge + b'{"id": 3, "text": "z", "v": NaN}\n' + \
        b'{"id": 4, "text": "w", "v": 1e400}\n' + b'{"id": 5, "text": "fine"}\n'
    code, lines, _ = run_score("--input-format", "jsonl", stdin=stdin)
    assert code == 1 and len(lines) == 5
    assert [line.get("error", {}).get("code") for line in lines] == [None, "invalid_json", "invalid_json",
                                                                       "invalid_json", None]


def test_a_record_with_a_key_twice_is_an_error_line_naming_the_key():
    # which of the two texts would be scored? Neither: the record is refused, the next one goes on
    code, lines, _ = run_score("--input-format", "jsonl",
                               stdin=b'{"id": 1, "text": "a", "text": "b"}\n{"id": 2, "text": "c"}\n')
    assert code == 1 and len(lines) == 2
    assert lines[0]["error"]["code"] == "invalid_json" and "'text' appears twice" in lines[0]["error"]["message"]
    assert lines[1]["id"] == 2 and "error" not in lines[1]


def test_byte_order_mark_does_not_hide_jsonl():
    code, lines, _ = run_score(stdin=b'\xef\xbb\xbf{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n')
    assert code == 0 and [line["id"] for line in lines] == [1, 2]


def test_closed_stdin_with_a_path_still_scores_the_path(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The council met on Tuesday.", encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", str(path)], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=300)
    assert completed.returncode == 0 and json.loads(completed.stdout)["id"] == str(path)


def test_bad_lurid_jobs_is_a_usage_error():
    completed = subprocess.run([sys.executable, "-m", "classifier.cli"], input=b"", capture_output=True,
                               env={**os.environ, "LURID_JOBS": "many"}, timeout=300)
    assert completed.returncode == 2 and b"LURID_JOBS" in completed.stderr


def test_empty_input_gives_no_output():
    code, lines, _ = run_score(stdin=b"")
    assert code == 0 and lines == []


def test_blanks_after_the_last_newline_are_no_line_but_a_blank_line_is_an_error():
    # a file of only a UTF-8 BOM, or trailing spaces after the last record, holds no line (wc -l says 0),
    # as an empty file holds none; a blank line, newline and all, is still answered
    for stdin in (b"\xef\xbb\xbf", b"  ", b'{"id": "a", "text": "x"}\n  '):
        code, lines, _ = run_score("--input-format", "jsonl", stdin=stdin)
        assert code == 0 and [line["id"] for line in lines] == (["a"] if stdin.startswith(b"{") else []), stdin
    code, lines, _ = run_score("--input-format", "jsonl", stdin=b'\xef\xbb\xbf\n{"id": "a", "text": "x"}\n')
    assert code == 1 and [line.get("error", {}).get("code") for line in lines] == ["empty_line", None]


def test_a_record_with_both_text_and_html_is_told_to_send_one():
    code, lines, _ = run_score("--input-format", "jsonl",
                               stdin=b'{"id": "both", "text": "a", "html": "<p>b</p>"}\n{"id": "none"}\n')
    assert code == 1
    assert [line["error"]["code"] for line in lines] == ["invalid_field", "missing_field"]
    # where, as other errors say
    assert lines[0]["error"]["message"] == "-:1: give exactly one of 'text' or 'html', not both"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_score_when_only_it_gets_sigterm():
    # `kill <pid>` reaches the parent alone; its workers used to outlive it, each holding the model
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, LURID_JOBS="2"))
    try:
        # enough records for the worker pool; stdin stays open, so score keeps waiting for more
        process.stdin.write(b"".join(json.dumps({"id": i, "text": f"Record {i}."}).encode() + b"\n"
                                     for i in range(200)))
        process.stdin.flush()
        deadline = time.monotonic() + 120
        while len(workers := _children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the worker pool never started"
        process.terminate()
        assert process.wait(timeout=60) == -signal.SIGTERM
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers outlived score"
    finally:
        process.kill()
        process.stdin.close()
        for pid in _children(process.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_output_that_cannot_be_written_is_one_message_and_exit_2(tmp_path):
    document = tmp_path / "a.txt"
    document.write_text("Shocking outrage!\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        completed = subprocess.run([sys.executable, "-m", "classifier.cli", str(document)], stdout=full,
                                   stderr=subprocess.PIPE, timeout=300)
    assert completed.returncode == 2
    assert completed.stderr.decode().strip() == \
        "score: cannot write the results to standard output: No space left on device"
    closed = subprocess.run(["bash", "-c", f'exec "{sys.executable}" -m classifier.cli "{document}" >&-'],
                            stderr=subprocess.PIPE, timeout=300)
    assert closed.returncode == 2 and b"standard output is closed" in closed.stderr
    assert b"Traceback" not in completed.stderr + closed.stderr


@pytest.mark.parametrize("first, code, pad, unbuffered", [
    ('{"id": "bad"}', 1, 0, False), ('{"id": "ok", "text": "The council met."}', 0, 0, False),
    # a first batch of 640 KB: the reader goes away in its middle, with a buffered stdout and an unbuffered one
    ('{"id": "bad"}', 1, 20_000, False), ('{"id": "bad"}', 1, 20_000, True)])
def test_a_reader_that_goes_away_ends_the_run_quietly_with_the_code_of_what_it_read(first, code, pad, unbuffered,
                                                                                    tmp_path):
    records = [first] + [json.dumps({"id": i, "text": f"The council met on day {i}.", "pad": "x" * pad})
                         for i in range(3000)]
    if pad:  # from a file, so that the first batch is a full one (a pipe's input may pause and cut it short)
        source = tmp_path / "records.jsonl"
        source.write_text("\n".join(records) + "\n", encoding="utf-8")
        stdin = open(source, "rb")
    else:
        stdin = subprocess.PIPE
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    environment.update(LURID_JOBS="1", **({"PYTHONUNBUFFERED": "1"} if unbuffered else {}))
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli"], stdin=stdin,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    def feed():
        try:
            process.stdin.write("\n".join(records).encode() + b"\n")
            process.stdin.close()
        except BrokenPipeError:  # score stopped reading once its reader went away
            pass

    if not pad:
        threading.Thread(target=feed, daemon=True).start()  # the input is larger than a pipe holds
    else:
        stdin.close()
        # let score fill the pipe and wait in the middle of writing its first batch before the reader goes
        select.select([process.stdout], [], [], 120)
        time.sleep(0.5)
    try:
        line = json.loads(process.stdout.readline())  # `| head -1`: one line read, then the pipe is closed
        process.stdout.close()
        assert process.wait(timeout=300) == code
        assert ("error" in line) == (code == 1)
        assert process.stderr.read() == b""
    finally:
        process.kill()


class _ShortWrites(io.RawIOBase):
    """A raw output that takes at most 1,000 bytes a write, as an unbuffered pipe or a nearly full disk may."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, data):
        taken = bytes(data[:1000])
        self.data += taken
        return len(taken)


def test_every_byte_is_written_when_the_output_takes_part_of_a_write_and_it_is_utf8_whatever_the_locale():
    from classifier.cli import write_lines

    raw = _ShortWrites()
    # what sys.stdout is under PYTHONUNBUFFERED, here with a locale that cannot encode the emoji
    stdout = io.TextIOWrapper(raw, encoding="latin-1", write_through=True)
    lines = [json.dumps({"id": i, "text": "😱 " + "x" * 3000}, ensure_ascii=False) for i in range(5)]
    write_lines(stdout, lines)
    assert raw.data.decode("utf-8") == "".join(line + "\n" for line in lines)


def test_html_is_not_echoed_and_a_txt_file_is_text_whatever_it_starts_with(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Shocking outrage at the council.</p></body></html>", encoding="utf-8")
    braced = tmp_path / "braced.txt"
    braced.write_text("{Updated} Shocking scandal\nBody of the article.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, lines, _ = run_score(str(page), str(braced), str(empty), "--threshold", "-0")
    assert code == 0 and [line["id"] for line in lines] == [str(page), str(braced), str(empty)]
    assert "html" not in lines[0] and lines[0]["text"].startswith("Shocking outrage")
    assert len(lines[1]["paragraphs"]) == 2 and lines[2]["paragraphs"] == []
    assert all(json.dumps(line["threshold"]) == "0.0" for line in lines)
    code, lines, _ = run_score("--input-format", "jsonl", stdin=b'{"id": 1, "html": "<p>Calm.</p>", "src": "x"}\n'
                                                                b'{"id": 2\n')
    assert "html" not in lines[0] and lines[0]["src"] == "x"
    assert lines[1]["error"]["message"].endswith("line 1 column 9 (char 8)")  # the record's own line


NEWLINE = b"\n"


def _read_lines(process, count: int, pending: bytes, until_end: bool = False, wait: float = 60):
    """`count` JSON lines from the process's stdout, each within `wait` seconds (or all until it closes),
    read from the descriptor itself: a buffered reader's select would miss lines already in its buffer."""
    descriptor = process.stdout.fileno()
    while until_end or pending.count(b"\n") < count:
        ready, _, _ = select.select([descriptor], [], [], wait)
        assert ready, f"only {pending.count(NEWLINE)} of {count} answers came while stdin stays open"
        chunk = os.read(descriptor, 1 << 16)
        if not chunk:
            break
        pending += chunk
    lines = pending.split(b"\n")
    taken = lines[:-1] if until_end else lines[:count]
    rest = b"\n".join(lines[len(taken):])
    return [json.loads(line) for line in taken], rest


def test_a_record_is_answered_before_score_waits_for_the_next():
    # a program that writes one record and waits for its answer (or `tail -f file | score`) must get it
    # while stdin stays open: records were held until 32 had arrived or the input ended
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, LURID_JOBS="2"))
    try:
        answers, pending = [], b""
        for i in range(3):
            process.stdin.write(json.dumps({"id": i, "text": "Shocking outrage at the council!"}).encode() + b"\n")
            process.stdin.flush()
            lines, pending = _read_lines(process, 1, pending)  # held back, it never comes
            answers += lines
        assert [a["id"] for a in answers] == [0, 1, 2] and all("paragraphs" in a for a in answers)
        process.stdin.close()
        assert _read_lines(process, 0, pending, until_end=True) == ([], b"") and process.wait(timeout=60) == 0
    finally:
        process.kill()


@pytest.mark.parametrize("sizes", [(33, 1), (64, 1)])
def test_records_right_after_a_full_batch_are_answered_at_a_pause(sizes):
    # a full batch then a pause: what came with it is scored with it, nothing waits for more input
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, LURID_JOBS="2"))
    try:
        sent, pending = 0, b""
        for size in sizes:
            process.stdin.write(b"".join(json.dumps({"id": sent + i, "text": "A calm report."}).encode() + b"\n"
                                         for i in range(size)))
            process.stdin.flush()
            lines, pending = _read_lines(process, size, pending)
            assert [line["id"] for line in lines] == list(range(sent, sent + size))
            sent += size
        process.stdin.close()
        assert _read_lines(process, 0, pending, until_end=True) == ([], b"") and process.wait(timeout=60) == 0
    finally:
        process.kill()


def test_batches_are_cut_where_the_input_pauses():
    records = [{"i": 0}, {"i": 1}, cli.STALLED, cli.STALLED, {"i": 2}, {"i": 3}, {"i": 4}]
    assert list(cli.batches(records, size=2)) == [
        ([{"i": 0}, {"i": 1}], False), ([], True), ([], True), ([{"i": 2}, {"i": 3}], False), ([{"i": 4}], False)]


def test_html_in_its_declared_charset_and_text_with_a_utf16_bom_are_read(tmp_path):
    latin = tmp_path / "latin.html"
    latin.write_bytes(b'<html><head><meta charset="windows-1252"></head>'
                      b'<body><p>Caf\xe9 owners meet.</p></body></html>')
    wide = tmp_path / "wide.txt"
    wide.write_bytes("\ufeffCouncil meets on Tuesday.\n".encode("utf-16-le"))
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"Caf\xe9 owners meet.\n")
    code, lines, _ = run_score(str(latin), str(wide), str(broken))
    assert code == 1
    assert lines[0]["text"] == "Café owners meet."
    paragraph = lines[1]["paragraphs"][0]
    assert "\ufeffCouncil meets on Tuesday.\n"[paragraph["start"]:paragraph["end"]] == "Council meets on Tuesday."
    assert lines[2]["error"]["code"] == "invalid_encoding" and "save it as UTF-8" in lines[2]["error"]["message"]
    # a charset that is no web page's, or a codec that decodes nothing, is an error line, and the run goes on
    odd = tmp_path / "odd.html"
    odd.write_bytes(b'<meta charset="undefined"><p>Caf\xe9</p>')
    escaped = tmp_path / "escaped.html"
    escaped.write_bytes(b'<meta charset="unicode_escape"><p>Caf\xe9</p>')
    code, lines, _ = run_score(str(odd), str(escaped), str(latin))
    assert [line.get("error", {}).get("code") for line in lines] == ["invalid_encoding", "invalid_encoding", None]


def test_score_runs_with_stderr_closed():
    """`score 2>&-`: Python starts with sys.stderr None; score answered nothing and exited 1 (no message
    could say why). Its results must still come, and a usage error must not reach stdout."""
    record = json.dumps({"id": "calm", "text": "The council met on Tuesday."}).encode() + b"\n"
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"], input=record,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True, timeout=300,
                               preexec_fn=lambda: os.close(2))
    assert completed.returncode == 0
    assert [json.loads(line)["id"] for line in completed.stdout.decode().splitlines()] == ["calm"]
    usage = subprocess.run([sys.executable, "-m", "classifier.cli", "--threshold", "2"], input=b"",
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=300,
                           preexec_fn=lambda: os.close(2))
    assert usage.returncode == 2 and usage.stdout == b""


class _ResetAfter:
    """A stream (a socket, a failing disk) whose reads fail once `chunks` have been read."""

    def __init__(self, chunks):
        self.chunks = list(chunks)

    def read1(self, size=-1):
        if not self.chunks:
            raise ConnectionResetError(104, "Connection reset by peer")
        return self.chunks.pop(0)

    read = read1

    def fileno(self):
        raise OSError("not a real file")


def test_a_read_that_fails_part_way_costs_only_the_rest_of_that_input(tmp_path):
    """A reset connection or EIO after the first reads crashed the whole run (traceback, exit 1, the
    records not yet written lost, the next PATH never read): now it is an error line, and score goes on."""
    from classifier.cli import input_records

    good = "".join(json.dumps({"id": f"s{i}", "text": "The council met."}) + "\n" for i in range(3))
    stdin = _ResetAfter([good.encode(), b'{"id": "s3", "te'])
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "f0", "text": "The vote was close."}) + "\n")
    records = [r for r in input_records(["-", str(later)], "jsonl", stdin) if r is not cli.STALLED]
    ids = [r.get("_input", {}).get("id") or r.get("_error", {}).get("id") for r in records]
    errors = [r for r in records if "_input" not in r]
    assert [r["_input"]["id"] for r in records if "_input" in r] == ["s0", "s1", "s2", "f0"], ids
    assert len(errors) == 1 and "reading failed after line 3" in json.dumps(errors[0])
    text_stream = _ResetAfter([b"A first line of text.\n"])
    (record,) = input_records(["-"], "text", text_stream)
    assert "unreadable" in json.dumps(record) and "reading failed" in json.dumps(record)


def test_input_edges_score_explains(tmp_path):
    """'-' named twice; a BOM at the start of a later line (files joined with cat); an absurd --max-chars;
    a page declaring Latin-1 or ASCII is read as browsers read it, windows-1252."""
    code, lines, _ = run_score("--input-format", "text", "-", "-", stdin=b"The council met.")
    assert code == 1 and lines[0]["id"] == "-" and "error" not in lines[0]
    assert lines[1]["error"]["code"] == "unreadable" and "already read" in lines[1]["error"]["message"]
    joined = b'{"id": 1, "text": "a"}\n\xef\xbb\xbf{"id": 2, "text": "b"}\n'
    code, lines, _ = run_score("--input-format", "jsonl", stdin=joined)
    assert code == 0 and [line["id"] for line in lines] == [1, 2]
    code, lines, stderr = run_score("--max-chars", str(3 * 10**18), "-", stdin=b"x")
    assert code == 2 and lines == [] and "--max-chars must be between" in stderr
    page = tmp_path / "latin.html"
    page.write_bytes(b'<meta charset="iso-8859-1"><p>\x93Shocking\x94 rise\x85 \x80100</p>')
    ascii_page = tmp_path / "ascii.html"
    ascii_page.write_bytes(b'<meta charset="us-ascii"><p>It\x92s fine</p>')
    gap = tmp_path / "gap.html"  # 0x81 is one of the five bytes Python's cp1252 has no character for
    gap.write_bytes(b'<meta charset="iso-8859-1"><p>Caf\xe9 \x81 open</p>')
    code, lines, _ = run_score(str(page), str(ascii_page), str(gap))
    assert code == 0 and lines[0]["text"] == "“Shocking” rise… €100" and lines[1]["text"] == "It’s fine"
    assert lines[2]["text"] == "Café \x81 open"  # as a browser reads it, not refused as invalid_encoding


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_jsonl_with_a_utf16_or_utf32_byte_order_mark_is_read(encoding):
    """PowerShell's `>` writes UTF-16 with a BOM: its records were invalid_encoding and invalid_json lines."""
    records = '{"id": 1, "text": "Shocking outrage!"}\r\n{"id": 2, "text": "The café reopened. 😀"}\r\n'
    data = records.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    code, lines, _ = run_score("--input-format", "jsonl", stdin=data)
    assert code == 0 and [line["id"] for line in lines] == [1, 2]
    assert lines[0]["flagged"] and "error" not in lines[1]


def test_legacy_charsets_are_read_with_the_wider_decoders_browsers_use(tmp_path):
    """A page declaring Shift_JIS, EUC-KR or GB2312 holds the Windows supersets' characters (①, ㈱,
    똠, 镕), and the WHATWG labels Python does not know (x-sjis, windows-874) name real pages' charsets:
    each was an invalid_encoding line. A page that declares UTF-8 but is not says so."""
    pages = {"sjis.html": ("shift_jis", "cp932", "衝撃①㈱"), "xsjis.html": ("x-sjis", "cp932", "衝撃"),
             "kr.html": ("euc-kr", "cp949", "똠방각하"), "gb.html": ("gb2312", "gbk", "镕基"),
             "thai.html": ("windows-874", "cp874", "ข่าว"), "czech.html": ("windows-1250", "cp1250", "Žluťoučký")}
    for name, (label, codec, words) in pages.items():
        (tmp_path / name).write_bytes(f'<meta charset="{label}"><p>'.encode() + words.encode(codec) + b" kun</p>")
    undefined = tmp_path / "undefined.html"  # 0x81 has no character in Python's cp1250; a browser reads U+0081
    undefined.write_bytes(b'<meta charset="windows-1250"><p>abc \x81 def</p>')
    liar = tmp_path / "liar.html"
    liar.write_bytes(b'<meta charset="utf-8"><p>Caf\xe9</p>')
    wide = tmp_path / "wide.html"  # markup declaring UTF-16 is ASCII, so not UTF-16: read as UTF-8, and refused
    wide.write_bytes(b'<meta charset="utf-16"><p>Caf\xe9!</p>')
    code, lines, _ = run_score(*(str(tmp_path / name) for name in pages), str(undefined), str(liar), str(wide))
    assert code == 1
    assert [line.get("text") for line in lines[:len(pages)]] == [words + " kun" for _, _, words in pages.values()]
    assert lines[len(pages)]["text"] == "abc \x81 def"
    for line, label in zip(lines[-2:], ("utf-8", "utf-16")):
        assert line["error"]["code"] == "invalid_encoding" and f"declares {label}" in line["error"]["message"], line


def test_an_iso_2022_jp_page_is_read_as_it_declares(tmp_path):
    """ISO-2022-JP is 7-bit, so such a page is also valid UTF-8 (escape codes and ASCII letters): its
    declaration went unread and the escape codes were scored (session 23 probe). An ASCII page with an
    escape byte but another declaration stays as it was."""
    page = tmp_path / "ja.html"
    page.write_bytes(b'<meta charset="iso-2022-jp"><p>' + "市議会、交通計画を可決".encode("iso2022_jp") + b"</p>")
    other = tmp_path / "other.html"
    other.write_bytes(b'<meta charset="windows-1252"><p>bell \x1b here</p>')
    code, lines, _ = run_score("--input-format", "html", str(page), str(other))
    assert code == 0 and lines[0]["text"] == "市議会、交通計画を可決" and lines[1]["text"] == "bell \x1b here"


def test_web_codec_refuses_what_is_no_web_encoding():
    from classifier.charsets import web_codec

    assert web_codec(" Windows-31J ") == "cp932" and web_codec("ISO-8859-8-I") == "iso8859_8"
    for label in ("rot13", "unicode_escape", "idna", "nonsense"):
        with pytest.raises(LookupError):
            web_codec(label)


def test_ctrl_c_while_the_libraries_load_ends_quietly():
    """The console script's entry (classifier.entry:score) imports the CLI itself: Ctrl-C during the
    second or two of imports printed a KeyboardInterrupt traceback; now it ends like Ctrl-C later, 130."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; from classifier.entry import score; "
                                "sys.exit(score())"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    time.sleep(0.3)  # interpreter up, scikit-learn still importing
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr, stderr.decode()
    assert process.returncode in (130, -signal.SIGINT) and stdout == b""


def test_jsonl_with_a_byte_order_mark_is_read_whatever_its_first_line():
    """A UTF-16 file whose first line was not an object was read as UTF-8: every record became an error."""
    data = '[1]\n{"id": 1, "text": "Hello"}\n{"id": 2, "text": "World"}\n'.encode("utf-16")
    code, lines, _ = run_score("--input-format", "jsonl", stdin=data)
    assert code == 1 and [line["id"] for line in lines] == [None, 1, 2]
    assert lines[0]["error"]["code"] == "invalid_record" and "error" not in lines[1]


def test_an_empty_or_blank_named_file_is_one_document(tmp_path):
    """Sniffed as empty JSONL, an empty file without an extension gave no line: it vanished from the output."""
    empty, blank = tmp_path / "empty", tmp_path / "blank"
    empty.write_bytes(b"")
    blank.write_bytes(b" \n")
    code, lines, _ = run_score(str(empty), str(blank), "/dev/null")
    # (a device, pipe or process substitution that gives nothing is no document, as empty stdin is none)
    assert code == 0 and [(line["id"], line["paragraphs"]) for line in lines] == [(str(empty), []), (str(blank), [])]


def test_ctrl_c_while_workers_wait_ends_quietly(tmp_path):
    """Ctrl-C reaches the worker processes too: each printed a KeyboardInterrupt traceback from its queue."""
    records = "".join(json.dumps({"id": i, "text": "The council met on Tuesday. " * 10}) + "\n" for i in range(200))
    process = subprocess.Popen([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "LURID_JOBS": "2"}, start_new_session=True)
    process.stdin.write(records.encode())
    process.stdin.flush()  # the input stays open: the workers are up and waiting for more
    deadline = time.monotonic() + 120
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_children(process.pid)) >= 2, "the worker pool never started"
    time.sleep(1)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole group
    stdout, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr, stderr.decode()
    assert process.returncode == 130
