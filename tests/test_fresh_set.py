"""The fresh evaluation documents (benchmarks/fresh/) are well formed: each marker is where it says."""

import importlib.util
import json
from pathlib import Path

from classifier.html import parse_html

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
_spec = importlib.util.spec_from_file_location("fresh_bench", BENCH / "fresh.py")
fresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fresh)


def test_every_fresh_document_names_a_block_start_and_article_end_that_exist():
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(fresh.FOLDER.glob("*/*.json"))]
    assert len(cases) == 70
    for case in cases:
        text = parse_html(case["input"]).text if case["format"] == "html" else case["input"]
        start, article_end = fresh.truth_of(case, text)
        assert start is None or article_end <= start, case["label"]
        if case["format"] == "text" and start is not None:
            assert start == 0 or text[start - 1] == "\n", case["label"]  # a whole line
