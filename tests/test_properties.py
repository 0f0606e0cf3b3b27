"""Invariants on arbitrary input: offsets in range and on the sent text, no crash."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.cli import jsonl_records
from classifier.scoring import score_document
from classifier.text import split_text

texts = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400) | st.lists(
    st.sampled_from(["News", "âš¡ Headline", "teaser…", "End of content", "Some sentence.", "", " ", "ðŸ˜±",
                     "\r\n", "\u2028", "word " * 15, "- [A headline](https://x.example/a)", "](", "![", "[", "]",
                     '[x](y/z([b](c/d)) "t  z")', "[Ã\xa0](u.x)\xa0b"]), max_size=30).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_offsets_stay_within_the_sent_text(model, text):
    doc = split_text(text)
    previous_end = 0
    for paragraph in doc.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(text)
        ascii_space = " \t\r\n\x0b\x0c"
        assert text[paragraph.start:paragraph.end].strip(ascii_space) == text[paragraph.start:paragraph.end]
        previous_end = paragraph.end
    result = score_document(model, text=text)
    for scored in result.paragraphs:
        for highlight in scored.highlights:
            assert scored.start <= highlight.start < highlight.end <= scored.end
    if result.junk_block:
        assert 0 < result.junk_block.start < result.junk_block.end == len(text)
    assert 0.0 <= result.sensationalism <= 1.0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_html_mode_never_crashes(model, markup):
    result = score_document(model, html=markup)
    for scored in result.paragraphs:
        assert 0 <= scored.start < scored.end <= len(result.text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=40).filter(lambda b: b"\n" not in b),
                          st.dictionaries(st.sampled_from(["id", "text", "html", "x"]),
                                          st.one_of(st.text(max_size=20), st.integers(), st.none()))
                          .map(lambda d: json.dumps(d).encode())), max_size=20))
def test_one_record_per_input_line_in_order(lines):
    records = list(jsonl_records(iter(line + b"\n" for line in lines), "-"))
    assert len(records) == len(lines)
