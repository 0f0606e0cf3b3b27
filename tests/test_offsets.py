"""UTF-16 offsets: the span a JavaScript caller slices is the span lurid meant."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.offsets import to_utf16_offsets, utf16_prefix
from classifier.scoring import InputError, result_line, score_document

SCREAM = "😱"


def utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's text.slice(start, end) returns."""
    return text.encode("utf-16-le", "surrogatepass")[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_prefix_counts_utf16_units_of_every_prefix(text):
    prefix = utf16_prefix(text)
    assert len(prefix) == len(text) + 1
    for i in range(len(text) + 1):
        assert prefix[i] == len(text[:i].encode("utf-16-le", "surrogatepass")) // 2


def test_emoji_before_a_highlight_shifts_it_by_one_unit_each(model):
    text = f"{SCREAM}{SCREAM} Terrifying chaos as shameless officials ram through a catastrophic plan!"
    result = result_line("e", score_document(model, text=text))
    converted = to_utf16_offsets(result, text)
    highlights = result["paragraphs"][0]["highlights"]
    assert highlights, "the loaded sentence should have highlights"
    assert any(h["start"] > 2 for h in highlights), "a word after the emoji should be highlighted"
    for before, after in zip(highlights, converted["paragraphs"][0]["highlights"]):
        # each of the two leading emoji before a position adds one unit to it
        assert after["start"] == before["start"] + min(before["start"], 2)
        assert after["end"] == before["end"] + min(before["end"], 2)
        assert utf16_slice(text, after["start"], after["end"]) == text[before["start"]:before["end"]]
    assert converted["paragraphs"][0]["start"] == 0
    assert converted["paragraphs"][0]["end"] == len(text) + 2
    assert result["paragraphs"][0]["end"] == len(text)  # the input object is not changed


def test_junk_block_and_html_text_are_converted(model):
    article = f"{SCREAM} Residents were stunned by the shocking plan, the council said on Tuesday."
    junk = "News\n⚡ You Won't Believe What Happened Next\nA teaser that stops…\nEnd of content\nNo more pages to load"
    text = "\n".join([article] * 6) + "\n" + junk
    result = result_line(1, score_document(model, text=text))
    assert result["junk_block"] is not None
    converted = to_utf16_offsets(result, text)
    start = converted["junk_block"]["start"]
    assert utf16_slice(text, start, converted["junk_block"]["end"]) == text[result["junk_block"]["start"]:]

    html = f"<p>{SCREAM} A <b>terrifying</b> plan.</p><p>{SCREAM}{SCREAM} Second.</p>"
    html_result = result_line(2, score_document(model, html=html))
    html_converted = to_utf16_offsets(html_result, html)  # offsets point into result["text"], not the markup
    extracted = html_result["text"]
    for before, after in zip(html_result["paragraphs"], html_converted["paragraphs"]):
        assert utf16_slice(extracted, after["start"], after["end"]) == extracted[before["start"]:before["end"]]


def test_error_objects_pass_through():
    error = result_line("x", InputError("missing_field", "give exactly one of 'text' or 'html'"))
    assert to_utf16_offsets(error, "") == error


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([SCREAM, "👍🏽", "Terrifying", "chaos!", "The council met.", "\n", " ", "é",
                                 "\ud83d", "News", "End of content"]), max_size=40).map("".join))
def test_every_converted_span_slices_the_same_text(model, text):
    result = result_line(None, score_document(model, text=text))
    converted = to_utf16_offsets(result, text)
    for before, after in zip(result["paragraphs"], converted["paragraphs"]):
        assert utf16_slice(text, after["start"], after["end"]) == text[before["start"]:before["end"]]
        for h_before, h_after in zip(before["highlights"], after["highlights"]):
            assert utf16_slice(text, h_after["start"], h_after["end"]) == text[h_before["start"]:h_before["end"]]
