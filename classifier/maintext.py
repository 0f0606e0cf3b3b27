"""How much of each HTML block a main-text extractor keeps: a cue, not a verdict.

trafilatura (Apache-2.0) reads a page with its own heuristics (markup, text
and link density, known boilerplate) and returns what it takes to be the
main text. lurid does not use that as the article: on WCXB it loses more
than 5% of the article on one page in six (benchmarks/extractors.md). It
asks instead, of each of its own blocks, what share of the block's word
trigrams trafilatura kept, and the junk model weighs that beside its other
cues (docs/experiments.md, session 7).
"""

from __future__ import annotations

import logging
import re

# trafilatura reports pages it finds nothing in as warnings; lurid's answer for
# such a page is simply "no shares", so they are not the caller's business.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("trafilatura").propagate = False

_WORD = re.compile(r"\w+")
_log = logging.getLogger("lurid.maintext")
# trafilatura's fallback extractors grow faster than linearly with the size of the tree: a nested page of
# 27,000 blocks took 95 s. Real article pages have at most about 5,100 elements (WCXB dev and ScrapingHub,
# 957 pages), so past this many elements the page gets no main-text cue (as when nothing is found).
MAX_ELEMENTS = 6000


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def extract_main_text(markup: str) -> str | None:
    """The page's main text as trafilatura reads it (comments left out, tables kept), or None.

    A failure inside trafilatura only means "no cue" for this page; it is logged at debug level on the
    "lurid.maintext" logger, so a broken upgrade shows up there rather than as silently weaker scores.
    """
    import trafilatura  # here, not at the top: plain-text scoring never needs it, and it costs 75 ms to import

    try:
        return trafilatura.extract(markup, include_comments=False, include_tables=True, deduplicate=False)
    except Exception as error:  # noqa: BLE001 - a third-party reader's failure only means "no cue"
        _log.debug("trafilatura failed on a page: %r", error)
        return None


def kept_shares(main_text: str | None, blocks: list[str]) -> list[float] | None:
    """Per block, the share of its word trigrams found in `main_text` (None if there is none).

    A block of one or two words counts as kept (1.0) when it occurs whole.
    Compare like with like: the blocks as they stand in the page, before any
    repair, since the extractor does not repair mojibake either.

    >>> kept_shares("The council met on Monday. It agreed the budget.", ["The council met on Monday.", "Share this"])
    [1.0, 0.0]
    >>> kept_shares(None, ["anything"]) is None
    True
    """
    if not main_text:
        return None
    words = _words(main_text)
    # sets, not substring searches: a page of 40,000 one-word blocks costs no more than one of 40
    grams = {1: {(w,) for w in words}, 2: set(zip(words, words[1:])), 3: set(zip(words, words[1:], words[2:]))}
    shares = []
    for block in blocks:
        block_words = _words(block)
        if len(block_words) >= 3:
            trigrams = list(zip(block_words, block_words[1:], block_words[2:]))
            shares.append(sum(gram in grams[3] for gram in trigrams) / len(trigrams))
        else:
            shares.append(float(bool(block_words) and tuple(block_words) in grams[len(block_words)]))
    return shares
