"""The fresh evaluation documents (benchmarks/fresh/, fresh2/ ... fresh6/) and the development sets
(benchmarks/labels_dev/, labels_dev2/, endings_dev/, unlabelled_dev/, markdown_dev/) are well formed: each
marker is where it says."""

import importlib.util
from pathlib import Path

import pytest

from classifier.html import parse_html

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
_spec = importlib.util.spec_from_file_location("fresh_bench", BENCH / "fresh.py")
fresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fresh)


@pytest.mark.parametrize(("folder", "count"), [("fresh", 70), ("fresh2", 60), ("fresh3", 60), ("fresh4", 60),
                                               ("fresh5", 40), ("fresh6", 60), ("labels_dev", 40),
                                               ("labels_dev2", 60), ("endings_dev", 30),
                                               ("unlabelled_dev", 13), ("markdown_dev", 30)])
def test_every_fresh_document_names_a_block_start_and_article_end_that_exist(folder, count):
    cases = fresh.load_cases(BENCH / folder)
    assert len(cases) == count
    for case in cases:
        text = parse_html(case["input"]).text if case["format"] == "html" else case["input"]
        start, article_end = fresh.truth_of(case, text)
        assert start is None or article_end <= start, case["label"]
        if case["format"] == "text" and start is not None:
            assert start == 0 or text[start - 1] == "\n", case["label"]  # a whole line
