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

import trafilatura

# trafilatura reports pages it finds nothing in as warnings; lurid's answer for
# such a page is simply "no shares", so they are not the caller's business.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("trafilatura").propagate = False

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def extract_main_text(markup: str) -> str | None:
    """The page's main text as trafilatura reads it (comments left out, tables kept), or None."""
    try:
        return trafilatura.extract(markup, include_comments=False, include_tables=True, deduplicate=False)
    except Exception:  # noqa: BLE001 - a third-party reader's failure only means "no cue"
        return None


def kept_shares(main_text: str | None, blocks: list[str]) -> list[float] | None:
    """Per block, the share of its word trigrams found in `main_text` (None if there is none).

    A block of one or two words counts as kept (1.0) when it occurs whole.

    >>> kept_shares("The council met on Monday. It agreed the budget.", ["The council met on Monday.", "Share this"])
    [1.0, 0.0]
    >>> kept_shares(None, ["anything"]) is None
    True
    """
    if not main_text:
        return None
    words = _words(main_text)
    trigrams = set(zip(words, words[1:], words[2:]))
    joined = f" {' '.join(words)} "
    shares = []
    for block in blocks:
        block_words = _words(block)
        if len(block_words) >= 3:
            grams = list(zip(block_words, block_words[1:], block_words[2:]))
            shares.append(sum(gram in trigrams for gram in grams) / len(grams))
        else:
            shares.append(float(bool(block_words) and f" {' '.join(block_words)} " in joined))
    return shares
