"""Golden authored documents: exact junk-block starts, and loaded above neutral."""

import json
from pathlib import Path

import pytest

from classifier.scoring import ScoringConfig, score_document

CASES = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((Path(__file__).parent / "golden").glob("*.json"))]


def test_there_are_golden_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_block_start(model, case):
    result = score_document(model, **{case["format"]: case["input"]}, config=ScoringConfig(clean=True))
    text = result.text if case["format"] == "html" else case["input"]
    if case["block_starts_at"] is None:
        assert result.junk_block is None, text[result.junk_block.start:][:80]
        assert result.clean_text == text
        assert all(p.kind == "article" for p in result.paragraphs)
    else:
        assert result.junk_block is not None
        assert result.junk_block.start == text.rindex(case["block_starts_at"])
        assert result.junk_block.end == len(text)
        assert text[:result.junk_block.start].rstrip() == result.clean_text
        first = result.junk_block.first_paragraph
        assert [p.kind for p in result.paragraphs] == ["article"] * first + ["junk"] * (len(result.paragraphs) - first)


@pytest.mark.parametrize("case", [c for c in CASES if c["loaded_paragraph"] and c["neutral_paragraph"]],
                         ids=lambda c: c["label"])
def test_loaded_paragraph_scores_above_neutral(model, case):
    result = score_document(model, **{case["format"]: case["input"]})
    text = result.text if case["format"] == "html" else case["input"]

    def score_of(snippet):
        at = text.index(snippet)
        return next(p.sensationalism for p in result.paragraphs if p.start <= at < p.end)

    assert score_of(case["loaded_paragraph"]) > score_of(case["neutral_paragraph"])
