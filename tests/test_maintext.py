"""What a main-text extractor keeps of each HTML block, and how the junk model reads it (maintext.py)."""

import dataclasses
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import classifier.maintext as maintext
from classifier.compose import ComposedDocument, mojibake
from classifier.html import parse_html
from classifier.junk import main_text_columns
from classifier.scoring import parse_document, score_document
from classifier.text import split_text
from classifier.train import parse_composed

ARTICLE = " ".join(
    f"<p>The county council voted on Tuesday to keep the mobile library running for another {n} years, "
    f"after residents in the outlying villages of Fenwick and Marl Cross wrote {n + 3} letters asking for it.</p>"
    for n in range(2, 8))
PAGE = (f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Library van stays</h1>"
        f"{ARTICLE}</article><div class='related'><h3>More stories</h3><ul>"
        + "".join(f"<li><a href='/s{i}'>Story number {i} you might have missed this week</a></li>" for i in range(6))
        + "</ul></div><footer><p>© 2026 The Fenwick Courier</p></footer></body></html>")


def test_kept_shares_counts_word_trigrams_and_short_blocks_whole():
    main = "The mobile library will keep running. Readers said thanks."
    shares = maintext.kept_shares(main, ["The mobile library will keep running.", "Readers said", "Sport",
                                         "The mobile library is closing now.", ""])
    assert shares[0] == 1.0 and shares[1] == 1.0 and shares[2] == 0.0 and shares[4] == 0.0
    assert 0.0 < shares[3] < 0.5  # "the mobile library" only: 1 of 4 trigrams


def test_parse_html_records_a_share_for_every_block_and_the_article_is_kept():
    document = parse_html(PAGE)
    shares = {p.text: p.main_text for p in document.paragraphs}
    assert all(share is not None and 0.0 <= share <= 1.0 for share in shares.values())
    article = [share for text, share in shares.items() if text.startswith("The county council")]
    assert len(article) == 6 and min(article) >= 0.9
    assert shares["© 2026 The Fenwick Courier"] < 0.5


def test_parse_html_without_main_text_or_when_the_extractor_fails(monkeypatch):
    assert all(p.main_text is None for p in parse_html(PAGE, main_text=False).paragraphs)

    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    import trafilatura  # maintext imports it only when it first reads a page

    monkeypatch.setattr(trafilatura, "extract", broken)
    assert maintext.extract_main_text(PAGE) is None
    assert all(p.main_text is None for p in parse_html(PAGE).paragraphs)


def _naive_shares(main_text, blocks):
    """The definition, written the slow and obvious way."""
    words = re.findall(r"\w+", main_text.lower())
    joined = f" {' '.join(words)} "
    shares = []
    for block in blocks:
        block_words = re.findall(r"\w+", block.lower())
        if len(block_words) >= 3:
            grams = [" ".join(block_words[i:i + 3]) for i in range(len(block_words) - 2)]
            shares.append(sum(f" {gram} " in joined for gram in grams) / len(grams))
        else:
            shares.append(float(bool(block_words) and f" {' '.join(block_words)} " in joined))
    return shares


@given(st.text(alphabet="ab cé.", max_size=40), st.lists(st.text(alphabet="ab cé.", max_size=12), max_size=6))
def test_kept_shares_matches_the_definition(main_text, blocks):
    expected = _naive_shares(main_text, blocks) if main_text else None
    assert maintext.kept_shares(main_text, blocks) == expected


def test_every_html_path_records_the_shares():
    # the scoring path (CLI, service, feeds) and the training path (composed documents) both use them
    assert all(p.main_text is not None for p in parse_document(html=PAGE).paragraphs)
    composed = ComposedDocument(PAGE, True, None, "More stories")
    (parsed,), (labels,) = parse_composed([composed])
    assert all(p.main_text is not None for p in parsed.paragraphs) and sum(labels) > 0


def test_mojibake_pages_are_compared_as_sent():
    # the block text is repaired for scoring, the extractor's output is not: compare the unrepaired text
    sentence = "⚡ Residents’ letters number {}: “keep the van”, they wrote — and the council agreed."
    broken = PAGE.replace("</h1>", "</h1>" + "".join(f"<p>{mojibake(sentence.format(n))}</p>" for n in range(3)))
    shares = [p.main_text for p in parse_html(broken).paragraphs if "council agreed" in p.text]
    assert len(shares) == 3 and min(shares) >= 0.9


def test_pages_past_the_element_limit_get_no_shares():
    big = PAGE.replace("</article>", "<span>x</span>" * maintext.MAX_ELEMENTS + "</article>")
    assert all(p.main_text is None for p in parse_html(big).paragraphs)


def test_main_text_columns_exactly():
    paragraphs = [dataclasses.replace(p, main_text=share)
                  for p, share in zip(split_text("a\nb\nc\nd").paragraphs, (1.0, 0.0, 0.8, 0.2))]
    expected = [[1.0, 1, 0, np.log1p(1), np.log1p(0), 0.5],
                [0.0, 1, 0, np.log1p(1), np.log1p(1), 0.5],
                [0.8, 1, 0, np.log1p(0), np.log1p(1), 0.5],
                [0.2, 1, 1, np.log1p(0), np.log1p(2), 0.5]]
    assert np.allclose(main_text_columns(paragraphs), expected)
    # a page the extractor kept whole tells nothing about where its article ends
    whole = [dataclasses.replace(p, main_text=1.0) for p in paragraphs]
    assert not main_text_columns(whole).any()


def test_a_fragment_kept_whole_still_has_its_block_found(model):
    # an article and its appended block as bare paragraphs (a feed item's content): trafilatura keeps it all
    article = ("<p>Shop owners are reeling after the council unleashed a catastrophic parking scheme that critics "
               "call the most brazen cash grab in living memory.</p><p>Furious locals say they feel utterly "
               "betrayed, and vow to fight the plan every step of the way.</p><p>In a statement, the transport "
               "officer said no final decision would be made before a public consultation in March.</p>")
    block = ("<p>News</p><p>⚡ Mayor's Secret Holiday Villa Finally Exposed</p><p>Nobody at the town hall "
             "expected the photographs to surface, but one neighbour had been quietly…</p><p>😱 You Won't "
             "Believe What This Grandmother Found In Her Loft</p><p>It started as an ordinary spring clean "
             "until she lifted a dusty floorboard and saw…</p><p>End of content</p><p>No more pages to load</p>")
    result = score_document(model, html=article + block)
    assert result.junk_block is not None and result.text[result.junk_block.start:].startswith("News")


def test_main_text_columns():
    document = parse_html(PAGE)
    columns = main_text_columns(document.paragraphs)
    assert columns.shape == (len(document.paragraphs), 6)
    assert np.all(columns[:, 1] == 1.0)  # the extractor found something
    texts = [p.text for p in document.paragraphs]
    assert columns[texts.index("© 2026 The Fenwick Courier"), 2] == 1.0  # after the last kept block
    assert columns[[t.startswith("The county council") for t in texts].index(True), 2] == 0.0
    # plain text has no extractor: all zeros, so text documents score exactly as before
    text = split_text("One paragraph.\nAnother one.")
    assert not main_text_columns(text.paragraphs).any()
