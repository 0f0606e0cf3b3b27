"""The limits that bound a document's cost: time budget, characters, line length; and the CLI's fallback."""

import json
import subprocess
import sys

import pytest

from classifier import cli, scoring
from classifier.cli import LineTooLong, lines_of
from classifier.scoring import InputError, ScoringConfig, score_documents

ARTICLE = "The council met on Tuesday.\nA shocking, terrifying scandal erupted!\nThe vote was close."


class FakeClock:
    """Each reading advances by `step` seconds: work costs time in proportion to the clock readings it takes."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_documents_within_the_budget_are_scored_as_without_one(tiny_model, monkeypatch):
    without = score_documents(tiny_model, [{"text": ARTICLE}], ScoringConfig())
    monkeypatch.setattr(scoring, "clock", FakeClock(0.001))
    within = score_documents(tiny_model, [{"text": ARTICLE}], ScoringConfig(time_budget=10.0))
    assert within == without


def test_a_document_over_budget_gets_an_error_and_the_others_are_scored(tiny_model, monkeypatch):
    # the highlights loop reads the clock once a paragraph: 50 paragraphs cost 5 s on this clock
    long = "\n".join(f"Paragraph {i} says the council met." for i in range(50))
    monkeypatch.setattr(scoring, "clock", FakeClock(0.1))
    outcomes = score_documents(tiny_model, [{"text": ARTICLE}, {"text": long}, {"text": ARTICLE}],
                               ScoringConfig(time_budget=2.0))
    assert isinstance(outcomes[1], InputError)
    assert outcomes[1].code == "time_budget_exceeded"
    assert "2 s" in outcomes[1].message
    assert not isinstance(outcomes[0], InputError) and not isinstance(outcomes[2], InputError)


def test_slow_parsing_alone_can_exceed_the_budget(tiny_model, monkeypatch):
    clock = FakeClock(0.0)
    monkeypatch.setattr(scoring, "clock", clock)
    real_parse = scoring.parse_document

    def slow_parse(*args):
        clock.now += 5.0  # parsing "takes" 5 s; nothing else takes any time
        return real_parse(*args)

    monkeypatch.setattr(scoring, "parse_document", slow_parse)
    monkeypatch.setattr(tiny_model.loaded, "features", lambda texts: pytest.fail("the model ran"))
    (outcome,) = score_documents(tiny_model, [{"text": ARTICLE}], ScoringConfig(time_budget=1.0))
    assert outcome.code == "time_budget_exceeded" and "its time budget of 1 s" in outcome.message


def test_a_call_deadline_stops_between_groups_and_names_the_documents_left(tiny_model, monkeypatch):
    monkeypatch.setattr(scoring, "GROUP_PARAGRAPHS", 3)  # each 3-paragraph document is a group of its own
    clock = FakeClock(1.0)
    monkeypatch.setattr(scoring, "clock", clock)
    documents = [{"text": ARTICLE}] * 6
    outcomes = score_documents(tiny_model, documents, ScoringConfig(), deadline=25.0)
    scored = [not isinstance(o, InputError) for o in outcomes]
    assert scored[0] and not scored[-1]
    assert scored == sorted(scored, reverse=True)  # scored ones first, then the rest refused
    assert all(o.code == "time_budget_exceeded" and "this request ran out" in o.message
               for o in outcomes if isinstance(o, InputError))
    assert clock.now < 40  # it stopped soon after the deadline, not after scoring everything


def test_a_document_with_too_many_paragraphs_is_refused_before_model_work(tiny_model):
    outcomes = score_documents(tiny_model, [{"text": "One.\nTwo.\nThree."}, {"text": "One.\nTwo."}],
                               ScoringConfig(max_paragraphs=2))
    assert outcomes[0].code == "too_many_paragraphs" and "3 paragraphs; the limit is 2" in outcomes[0].message
    assert len(outcomes[1].paragraphs) == 2


@pytest.mark.parametrize("budget", [0, -1.0, float("nan")])
def test_a_budget_must_be_positive(budget):
    with pytest.raises(InputError, match="time_budget"):
        ScoringConfig(time_budget=budget)


def test_lines_over_the_limit_come_out_cut_and_flagged_and_the_rest_is_dropped():
    chunks = [b"ab\ncdefgh", b"ijk\nxy", b"z\n", b"0123456789abc", b"def\nend"]
    lines = list(lines_of(chunks, limit=5))
    assert lines == [b"ab\n", b"cdefg", b"xyz\n", b"01234", b"end"]
    assert [isinstance(line, LineTooLong) for line in lines] == [False, True, False, True, False]
    assert list(lines_of(chunks)) == [b"ab\n", b"cdefghijk\n", b"xyz\n", b"0123456789abcdef\n", b"end"]


def run_score(*args, stdin=b""):
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", *args], input=stdin,
                               capture_output=True, timeout=300)
    return completed.returncode, [json.loads(x) for x in completed.stdout.decode().splitlines()]


def test_cli_gives_one_line_per_input_line_with_errors_for_the_oversized_ones():
    # with --max-chars 1000 a line may have 12 x 1,000 + 65,536 bytes: "big" is read and refused by its
    # length, "huge" (80,000 bytes) is not even kept in memory, so its id is unknown
    records = [{"id": "ok", "text": "The council met."}, {"id": "big", "text": "word " * 400},
               {"id": "huge", "text": "x" * 80_000}, {"id": "after", "text": "The vote was close."}]
    stdin = "".join(json.dumps(r) + "\n" for r in records).encode()
    code, lines = run_score("--max-chars", "1000", "--input-format", "jsonl", stdin=stdin)
    assert code == 1
    assert [line["id"] for line in lines] == ["ok", "big", None, "after"]
    assert lines[1]["error"]["code"] == "too_large"
    assert lines[2]["error"]["code"] == "too_large"
    assert lines[2]["error"]["message"].startswith("-:3: the line is over 77536 bytes")
    assert "error" not in lines[0] and "error" not in lines[3]


def test_cli_refuses_an_oversized_text_file_without_reading_it_whole(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("The council met. " * 1000, encoding="utf-8")
    code, lines = run_score("--max-chars", "100", str(path))
    assert code == 1
    assert lines == [{"id": str(path), "error": {"code": "too_large",
                                                 "message": f"{path}: over 400 bytes, more than 100 characters "
                                                            "(--max-chars)"}}]


def test_cli_gives_an_error_line_for_too_many_paragraphs():
    stdin = b'{"id": "a", "text": "One.\\nTwo.\\nThree."}\n{"id": "b", "text": "One."}\n'
    code, lines = run_score("--max-paragraphs", "2", "--input-format", "jsonl", stdin=stdin)
    assert code == 1
    assert lines[0]["error"]["code"] == "too_many_paragraphs" and "error" not in lines[1]


@pytest.mark.parametrize("option", [["--max-chars", "0"], ["--max-paragraphs", "0"], ["--time-budget", "0"],
                                    ["--time-budget", "nan"]])
def test_cli_refuses_bad_limits_as_usage_errors(option):
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", *option], input=b"",
                               capture_output=True, timeout=300)
    assert completed.returncode == 2
    assert option[0] in completed.stderr.decode()


def test_a_record_within_the_limit_fits_in_a_line_even_with_every_character_escaped(tmp_path):
    record = json.dumps({"id": "emoji", "text": "😱" * 900})  # ensure_ascii: 12 bytes a character
    assert len(record) > 6 * 1000
    code, lines = run_score("--max-chars", "1000", "--input-format", "jsonl", stdin=record.encode() + b"\n")
    assert code == 0 and lines[0]["id"] == "emoji" and "error" not in lines[0]


def test_an_unforeseen_failure_costs_only_the_record_that_caused_it(monkeypatch, capsys):
    real = scoring.score_documents

    def fragile(model, documents, config=ScoringConfig()):
        if any("trigger" in (d.get("text") or "") for d in documents):
            raise RuntimeError("a bug")
        return real(model, documents, config)

    monkeypatch.setattr(cli, "score_documents", fragile)
    records = [{"_input": {"id": i, "text": text}} for i, text in
               enumerate(["The council met.", "trigger the bug", "The vote was close."])]
    outputs = cli.score_batch(records, ScoringConfig())
    assert [o["id"] for o in outputs] == [0, 1, 2]
    assert outputs[1]["error"]["code"] == "internal_error"
    assert "RuntimeError: a bug" in outputs[1]["error"]["message"]
    assert "error" not in outputs[0] and "error" not in outputs[2]
    assert "Traceback" in capsys.readouterr().err  # the maintainer gets something to work from


def test_internal_errors_are_failed_records_exit_1(monkeypatch, capsys):
    import io

    def broken(model, documents, config=ScoringConfig()):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "score_documents", broken)
    monkeypatch.setenv("LURID_JOBS", "1")
    stdout = io.StringIO()
    code = cli.run(cli.parse_args(["--input-format", "jsonl"]), io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n'),
                   stdout, io.StringIO())
    assert code == cli.EXIT_RECORD_ERRORS == 1  # the contract has three codes: a failed record is 1
    assert [json.loads(line)["error"]["code"] for line in stdout.getvalue().splitlines()] == ["internal_error"] * 2


class _BrokenStderr:
    """A stderr whose reader has gone (`score 2>&1 | head`, a closed log pipe)."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

    def isatty(self):
        return False


def test_a_broken_stderr_costs_no_record(monkeypatch):
    """A traceback that cannot be written to stderr must not stop the run: every record still gets its line,
    and the exit code still says that records failed (it was a quiet 0, with the rest of the input lost)."""
    import io

    def broken(model, documents, config=ScoringConfig()):
        if any("trigger" in (d.get("text") or "") for d in documents):
            raise RuntimeError("a bug, seen while stderr is broken")
        return real(model, documents, config)

    real = scoring.score_documents
    monkeypatch.setattr(cli, "score_documents", broken)
    monkeypatch.setattr(cli.sys, "stderr", _BrokenStderr())
    monkeypatch.setenv("LURID_JOBS", "1")
    stdout = io.StringIO()
    records = b'{"id": 1, "text": "trigger"}\n{"id": 2, "text": "The council met."}\n'
    code = cli.run(cli.parse_args(["--input-format", "jsonl"]), io.BytesIO(records), stdout, _BrokenStderr())
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert code == cli.EXIT_RECORD_ERRORS
    assert [line["id"] for line in lines] == [1, 2]
    assert lines[0]["error"]["code"] == "internal_error" and "error" not in lines[1]


def test_a_number_too_long_to_read_is_refused_in_json_terms():
    """Python refuses integers over 4,300 digits with advice about its own settings; the client is told
    about the number instead (CLI and service read JSON with the same hook)."""
    from service.errors import ApiError
    from service.payload import parse_json_body

    record = '{"id": ' + "9" * 5000 + ', "text": "a"}'
    (line,) = list(cli.jsonl_records([record.encode() + b"\n"], "-"))
    assert line["error"]["code"] == "invalid_json" and "5000 digits" in line["error"]["message"]
    assert "sys." not in line["error"]["message"]
    with pytest.raises(ApiError) as refused:
        parse_json_body(record.encode())
    assert refused.value.code == "invalid_json" and "5000 digits" in refused.value.message
    assert "sys." not in refused.value.message


def test_a_usage_error_with_a_broken_stderr_is_still_exit_2(monkeypatch):
    """LURID_JOBS=x with stderr on a closed pipe: the message cannot be written, but the run must not pass
    for a success (it ended with exit 0 and no output)."""
    import io

    monkeypatch.setenv("LURID_JOBS", "x")
    code = cli.run(cli.parse_args(["--input-format", "jsonl"]), io.BytesIO(b'{"text": "a"}\n'), io.StringIO(),
                   _BrokenStderr())
    assert code == cli.EXIT_USAGE
