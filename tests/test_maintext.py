"""What a main-text extractor keeps of each HTML block, and how the junk model reads it (maintext.py)."""

import numpy as np

import classifier.maintext as maintext
from classifier.html import parse_html
from classifier.junk import main_text_columns
from classifier.text import split_text

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

    monkeypatch.setattr(maintext.trafilatura, "extract", broken)
    assert maintext.extract_main_text(PAGE) is None
    assert all(p.main_text is None for p in parse_html(PAGE).paragraphs)


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
