import pytest

from classifier.junk import JUNK_MARGIN_DEFAULT, bare, best_suffix, cue_matrix
from classifier.text import split_text


def test_suffix_decision_picks_the_start_of_the_run():
    block = best_suffix([0.05, 0.1, 0.02, 0.9, 0.95, 0.99, 0.9])
    assert block.first_paragraph == 3 and block.paragraph_count == 4
    assert 0.5 < block.confidence <= 1.0


def test_one_junk_looking_last_paragraph_is_not_enough():
    # a short last line (a sign-off) that looks a bit like junk stays
    assert best_suffix([0.05, 0.1, 0.02, 0.85]) is None


@pytest.mark.parametrize("p_last,expected", [(0.80, None), (0.95, 3)])
def test_margin_on_both_sides(p_last, expected):
    # the logit of 0.8 is below the margin, that of 0.95 above it (margin 2.0)
    assert JUNK_MARGIN_DEFAULT == 2.0
    block = best_suffix([0.1, 0.1, 0.1, p_last])
    assert (block.first_paragraph if block else None) == expected


def test_never_starts_at_the_first_paragraph_and_handles_tiny_inputs():
    assert best_suffix([]) is None
    assert best_suffix([0.99]) is None
    assert best_suffix([0.99, 0.99, 0.99]).first_paragraph == 1


def test_label_normalisation():
    assert bare("⚡ You May Also Like:") == "you may also like"
    assert bare("1. Trending Now") == "trending now"


def test_cue_matrix_has_one_row_per_paragraph(tiny_lexicon):
    doc = split_text("A paragraph.\nNews\n⚡ Teaser headline\nIt goes on…\nEnd of content")
    rows = cue_matrix(doc.paragraphs, tiny_lexicon, False)
    assert rows.shape[0] == 5


def test_tiny_junk_model_finds_a_block(tiny_model, neutral_sentences):
    text = "\n".join(neutral_sentences) + "\nNews\n⚡ You Won't Believe This\nA teaser that stops…\nEnd of content\n"
    doc = split_text(text)
    _, block = tiny_model.junk.find(doc.paragraphs, False)
    assert block is not None and doc.text[doc.paragraphs[block.first_paragraph].start:].startswith("News")
