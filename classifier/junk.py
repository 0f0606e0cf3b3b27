"""The appended junk-link block: per-paragraph probabilities, one decision.

First pass: each paragraph (or line, or HTML block) gets a probability of
being part of an appended link block, from its own cues and its neighbours'
(length, terminal punctuation, trailing ellipsis, emoji and mojibake, title
case, label and trailer phrases, position; in HTML also link density and the
names of its containers). Second pass: because the block is appended, it is
a suffix, so the start is chosen once over the whole document: the start k
that maximises the summed log-odds of paragraphs k..n-1, if that sum clears
a margin. A clean article therefore keeps its last paragraph unless the
evidence for a block outweighs it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from .features import Lexicon, is_emoji, tokenize
from .text import Paragraph

# A block needs summed log-odds above this to be reported; set so that no
# clean authored ending in the held-out split is cut (docs/evaluation.md).
JUNK_MARGIN_DEFAULT = 2.0
# Probabilities are clipped away from 0 and 1 so one paragraph cannot veto.
PROBABILITY_CLIP = 1e-3

LABELS = frozenset(
    """news|latest news|more news|top news|breaking news|related|related articles|related stories
    |related posts|related news|related content|related coverage|see also|you may also like
    |you might also like|you may like|you might like|don't miss|do not miss|promoted links
    |promoted stories|promoted content|recommended|recommended for you|recommended stories
    |recommended reading|sponsored|sponsored stories|sponsored content|sponsored links|around the web
    |from the web|from our partners|trending|trending now|trending stories|trending today|most popular
    |most read|most viewed|popular|popular posts|popular stories|popular now|read more|read next
    |more stories|more to read|editor's picks|editors' picks|editors picks|top stories|more to explore
    |what to read next|up next|latest|latest stories|more like this|further reading|keep reading
    |watch next|in other news|also read|must read|hot right now|more for you|we recommend
    |paid content|partner content|more headlines|other stories|featured|featured stories"""
    .replace("\n", "").replace(" |", "|").split("|")
)
LABEL_PREFIXES = ("recommended by", "more from", "also on", "read more", "sponsored by", "promoted by",
                  "more in", "more on", "latest from", "from around", "trending in", "more stories from")
TRAILERS = frozenset(
    """end of content|no more pages to load|load more|loading|show more|show more stories|view more
    |see more|load more stories|more stories|back to top|no more articles|you're all caught up
    |you've reached the end|end of feed|scroll for more|continue reading|load more articles"""
    .replace("\n", "").replace(" |", "|").split("|")
)
_TIME_AGO = re.compile(r"\b\d+\s*(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
                       r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b",
                       re.I)
_COMMENTS = re.compile(r"^\d+\s+comments?$|^\d+\s+shares?$", re.I)
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|#\d+)\s")
_TERMINAL = tuple(".!?\"”'’):;")
_ELLIPSIS = ("…", "...", "..")
HTML_CUES = ("footer", "related", "recommend", "promo", "sponsor", "share", "social", "comment",
             "sidebar", "nav", "menu", "newsletter", "subscribe", "trending", "popular", "ad",
             "teaser", "more", "widget", "taboola", "outbrain", "aside", "article", "content",
             "story", "post", "body", "byline", "author")


def bare(text: str) -> str:
    """Lower case, without emoji, punctuation edges, numbering or a trailing colon."""
    kept = "".join(c for c in text if not is_emoji(c) and c not in "\ufe0f\u200d")
    kept = _NUMBERED.sub("", kept)
    return " ".join(kept.lower().replace("’", "'").strip(" \t:-–—|•·>»›.…!").split())


def own_cues(paragraph: Paragraph, lexicon: Lexicon | None) -> list[float]:
    """Cues of one paragraph, on its own."""
    text = paragraph.text
    words = text.split()
    n_words = len(words)
    stripped = text.rstrip()
    label = bare(text)
    alpha_words = [w for w in words if w[:1].isalpha() and len(w) > 3]
    title_share = sum(w[0].isupper() for w in alpha_words) / len(alpha_words) if alpha_words else 0.0
    lexicon_weight = 0.0
    if lexicon and n_words <= 60:
        lexicon_weight = sum(m[2] for m in lexicon.matches(tokenize(text)))
    return [
        math.log1p(len(text)),
        math.log1p(n_words),
        float(stripped.endswith(_TERMINAL) and not stripped.endswith(_ELLIPSIS)),
        float(stripped.endswith(_ELLIPSIS)),
        float(any(is_emoji(c) for c in text[:3])),
        float(any(is_emoji(c) for c in text)),
        float(paragraph.repaired),
        title_share,
        float(label in LABELS),
        float(label.startswith(LABEL_PREFIXES) and n_words <= 8),
        float(label in TRAILERS),
        float(bool(_TIME_AGO.search(text))),
        float(bool(_COMMENTS.match(label)) or ("|" in text and n_words <= 8)),
        float(bool(_NUMBERED.match(text))),
        math.log1p(lexicon_weight),
        float(text[:1].isdigit()),
        float(n_words <= 3),
        float(text.count(".") + text.count("!") + text.count("?") >= 2),
        paragraph.link_density,
        float(paragraph.tag in ("h1", "h2", "h3", "h4", "h5", "h6")),
        float(paragraph.tag == "li"),
        *(float(cue in paragraph.context) for cue in HTML_CUES),
    ]


# Indices into own_cues used for the neighbour features.
_NEIGHBOUR_CUES = (0, 2, 3, 4, 6, 7, 8, 10, 18)


def cue_matrix(paragraphs: tuple[Paragraph, ...] | list[Paragraph], lexicon: Lexicon | None,
               is_html: bool) -> np.ndarray:
    """One row of cues per paragraph: its own, its neighbours', and its place."""
    n = len(paragraphs)
    if n == 0:
        return np.zeros((0, 0))
    own = np.array([own_cues(p, lexicon) for p in paragraphs], dtype=float)
    width = len(_NEIGHBOUR_CUES)
    pad = np.zeros((2, width))
    neighbours = own[:, _NEIGHBOUR_CUES]
    padded = np.vstack([pad, neighbours, pad])
    previous2, previous, following, following2 = (padded[0:n], padded[1:n + 1], padded[3:n + 3], padded[4:n + 4])
    # the share of the rest of the document that looks like teaser lines
    teaserish = (own[:, 3] + own[:, 8] + own[:, 10] + (1 - own[:, 2]) * (own[:, 1] < math.log1p(16))).clip(0, 1)
    rest = np.cumsum(teaserish[::-1])[::-1] / np.arange(n, 0, -1)
    position = np.arange(n) / max(n - 1, 1)
    remaining = np.log1p(np.arange(n - 1, -1, -1))
    place = np.column_stack([position, remaining, (np.arange(n) == n - 1), rest, np.full(n, float(is_html)),
                             np.full(n, math.log1p(n))])
    return np.hstack([own, previous2, previous, following, following2, place])


@dataclass(frozen=True)
class JunkBlock:
    first_paragraph: int
    paragraph_count: int
    confidence: float


def best_suffix(probabilities, margin: float = JUNK_MARGIN_DEFAULT) -> JunkBlock | None:
    """Choose the block start once over the whole suffix.

    Never starts at paragraph 0: a document is at least one paragraph of article.

    >>> best_suffix([0.1, 0.2, 0.95, 0.99, 0.97]).first_paragraph
    2
    >>> best_suffix([0.1, 0.2, 0.3, 0.6]) is None
    True
    """
    p = np.clip(np.asarray(probabilities, dtype=float), PROBABILITY_CLIP, 1 - PROBABILITY_CLIP)
    n = len(p)
    if n < 2:
        return None
    logits = np.log(p) - np.log1p(-p)
    suffix = np.cumsum(logits[::-1])[::-1][1:]  # suffix[k-1] = sum of logits[k:]
    k = int(np.argmax(suffix)) + 1
    best = float(suffix[k - 1])
    if best <= margin:
        return None
    # probability that some block exists, against "no block" at the margin
    top = suffix.max()
    mass = np.exp(suffix - top).sum()
    confidence = 1.0 / (1.0 + math.exp(margin - top) / mass)
    return JunkBlock(first_paragraph=k, paragraph_count=n - k, confidence=round(confidence, 4))


class JunkModel:
    """Logistic regression over paragraph cues, then the suffix decision."""

    def __init__(self, lexicon: Lexicon | None = None, C: float = 1.0, margin: float = JUNK_MARGIN_DEFAULT):
        self.lexicon = lexicon
        self.C = C
        self.margin = margin

    def fit(self, documents, labels) -> "JunkModel":
        """documents: list of (paragraphs, is_html); labels: per document, 0/1 per paragraph."""
        rows = np.vstack([cue_matrix(paragraphs, self.lexicon, is_html) for paragraphs, is_html in documents
                          if paragraphs])
        y = np.concatenate([np.asarray(l) for (paragraphs, _), l in zip(documents, labels) if paragraphs])
        self.scaler_ = StandardScaler().fit(rows)
        self.classifier_ = LogisticRegression(C=self.C, max_iter=3000).fit(self.scaler_.transform(rows), y)
        return self

    def paragraph_probabilities(self, paragraphs, is_html: bool) -> np.ndarray:
        if not paragraphs:
            return np.zeros(0)
        rows = self.scaler_.transform(cue_matrix(paragraphs, self.lexicon, is_html))
        return self.classifier_.predict_proba(rows)[:, 1]

    def find(self, paragraphs, is_html: bool, margin: float | None = None) -> tuple[np.ndarray, JunkBlock | None]:
        probabilities = self.paragraph_probabilities(paragraphs, is_html)
        return probabilities, best_suffix(probabilities, self.margin if margin is None else margin)
