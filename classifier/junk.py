"""The appended junk-link block: per-paragraph probabilities, one decision.

First pass: each paragraph (or line, or HTML block) gets a probability of
being part of an appended link block, from its own cues and its neighbours'
(length, terminal punctuation, trailing ellipsis, emoji and mojibake, title
case, label and trailer phrases, position; in HTML also link density, the
names of its containers and how much of it a main-text extractor keeps).
Second pass: because the block is appended, it is a suffix, so the start is
chosen once over the whole document: the start k that maximises the summed
log-odds of paragraphs k..n-1 (less a bias per paragraph, by format), if that
sum clears a margin; in plain text a block none of whose lines carries a junk
marker (is_marked) must clear much more. A clean article therefore keeps its
last paragraph unless the evidence for a block outweighs it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import ThreadpoolController

from .features import SYMBOL, Lexicon
from .text import OTHER_FULL_STOPS, Paragraph

# A block needs summed log-odds above this to be reported: one paragraph at
# p = 0.88 is not enough on its own (before the format's bias below). The share
# of clean composed held-out documents given a block is in docs/evaluation.md.
JUNK_MARGIN_DEFAULT = 2.0
# HTML pages carry more borderline furniture inside articles (link lists,
# FAQ headings, bios) than text does, so there each block must be surer.
# Chosen on ScrapingHub pages by cross-validation as the largest trailing
# recall with at most 2% of pages cut; WCXB is then reported, not tuned on.
# Re-chosen by that rule for the averaged model of session 8: 2.0 (it was 2.5;
# docs/experiments.md, "the HTML bias for the averaged model").
HTML_BIAS_DEFAULT = 2.0
# Plain text: clean articles end in short lines of every shape (timelines, fact boxes, specs, contacts,
# reading lists), and a run of such lines, each only fairly junk-like, used to add up past the margin.
# So each line must be surer, and a block in which no line carries a junk marker (MARKER_CUES) must be
# sure indeed. Chosen in session 8 on development documents whose endings were of styles the model had
# not seen (clean documents cut 42 -> 13 of 304, exact starts 0.802 -> 0.812; docs/experiments.md).
TEXT_BIAS_DEFAULT = 1.5
UNMARKED_MIN_LOG_ODDS = 10.0
# Off. Once a plain-text block is found, the lines just before it at TEXT_EXTEND_MIN or more (before any
# bias; at most TEXT_EXTEND_LINES of them) could join it: the text bias leaves a block's own label out when
# the model is only fairly sure of it (labels_dev's late starts). Session 18 measured eight settings on
# development documents: those that won enough starts (p >= 0.5 or 0.6) also took in the key-value lines
# of list endings and sign-offs, cutting article text in 5 to 19 more documents; the narrower ones gained
# too little. So none is used (docs/experiments.md).
TEXT_EXTEND_MIN = None
TEXT_EXTEND_LINES = None
# In text, when the best block at no bias starts at a known label line (is_label), that block is taken at
# the plain margin: a "You may also like" or "Read More" line with headlines after it, each only fairly
# junk-like, is the commonest block there is, and the text bias used to leave it out (or start it late, at
# the first headline). Session 21 (docs/experiments.md). The labels that also head an article's own reading
# list are not used so.
LABEL_START = True
# In text, a block never opens at a finished sentence: a line of at least FINISHED_MIN_WORDS words (or, in a
# script written without spaces, FINISHED_MIN_CHARACTERS characters) that ends in a full stop (not an
# ellipsis) and carries no junk marker. Such a line is the article's last sentence, pulled in by the teasers
# after it: a block opens with a label, a headline or a teaser. Unless the line after it is a teaser cut off
# with an ellipsis: then it is that teaser's headline. Session 23 (docs/experiments.md).
NO_FINISHED_START = True
FINISHED_MIN_WORDS = 4
FINISHED_MIN_CHARACTERS = 8
OWN_LIST_LABELS = frozenset(("further reading", "see also", "recommended reading"))
# Probabilities are clipped away from 0 and 1 so one paragraph cannot veto
# (or force) a block: each moves the decision by at most about 3.9 in log-odds.
PROBABILITY_CLIP = 0.02
# The element holding at least this share of a page's prose is its main container.
MAIN_CONTAINER_SHARE = 0.6
# A paragraph of at least this many words, mostly not links, is prose.
PROSE_MIN_WORDS = 25

LABELS = frozenset(
    " ".join(phrase.split()) for phrase in
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
    .split("|")
)
LABEL_PREFIXES = ("recommended by", "more from", "also on", "read more", "sponsored by", "promoted by",
                  "more in", "more on", "latest from", "from around", "trending in", "more stories from")
TRAILERS = frozenset(
    " ".join(phrase.split()) for phrase in
    """end of content|no more pages to load|load more|loading|show more|show more stories|view more
    |see more|load more stories|more stories|back to top|no more articles|you're all caught up
    |you've reached the end|end of feed|scroll for more|continue reading|load more articles"""
    .split("|")
)
# Labels and trailers of other languages' sites. Not model cues (the model never saw them, and pages it
# trained on may hold some): only the decision rules use them, through is_label and is_marked, so that an
# own-language label over plain headlines is taken like an English one (session 23: "Te puede interesar"
# over four headlines was no block). A writer's own "see also" in any language is not among them.
OTHER_LANGUAGE_LABELS = frozenset(
    " ".join(phrase.split()) for phrase in
    """te puede interesar|también te puede interesar|te recomendamos|lee también|noticias relacionadas
    |más noticias|lo más leído|lo más visto|leia também|leia mais|veja também|notícias relacionadas
    |você pode gostar|mais lidas|à lire aussi|a lire aussi|lire aussi|sur le même sujet|vous aimerez aussi
    |articles similaires|les plus lus|à découvrir aussi|das könnte sie auch interessieren|auch interessant
    |lesen sie auch|mehr zum thema|weitere artikel|ähnliche artikel|meistgelesen|meistgelesene artikel
    |potrebbe interessarti|ti potrebbe interessare|leggi anche|articoli correlati|i più letti|lees ook
    |meer nieuws|meest gelezen|читайте также|похожие новости|самое читаемое|рекомендуем
    |bunlar da ilginizi çekebilir|ilginizi çekebilir|ilgili haberler|en çok okunanlar|tin liên quan
    |có thể bạn quan tâm|đọc thêm|相关阅读|相关新闻|推荐阅读|猜你喜欢|热门文章|関連記事|おすすめ記事
    |あわせて読みたい|人気記事|اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|الأكثر قراءة|यह भी पढ़ें|ये भी पढ़ें
    |संबंधित खबरें""".split("|")
)
# A label opening (LABEL_PREFIXES) counts, as a model cue and for the decision rules, in at most this many words.
LABEL_MAX_WORDS = 8
OTHER_LANGUAGE_TRAILERS = frozenset(
    " ".join(phrase.split()) for phrase in
    """cargar más|ver más|fin del contenido|carregar mais|ver mais|charger plus|voir plus|mehr laden
    |mehr anzeigen|carica altro|mostra altro|meer laden|загрузить ещё|загрузить еще|показать ещё
    |показать еще|daha fazla yükle|daha fazla göster|tải thêm|xem thêm|加载更多|查看更多|もっと見る
    |さらに表示|تحميل المزيد|और देखें""".split("|")
)
# "2 hours ago" (also a junk marker, is_marked); the cue also takes US-style dates ("June 3, 2019").
_AGO = re.compile(r"\b\d+\s*(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|months?)\s+ago\b", re.I)
_TIME_AGO = re.compile(_AGO.pattern + r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
                       r"\d{1,2},?\s+\d{4}\b", re.I)
# Both forms hold a digit, and most paragraphs have none: ruling that out first is far quicker than the search.
_DIGIT = re.compile(r"\d")
# A dated entry: a line led by a date or a year and then a colon or a dash, as in a timeline or a "Key
# dates" box ("2019: ...", "12 March 2024 - ...", "Fri 3 May: ...", "June 3, 2019 – ..."). Clean articles end
# in such lists; a teaser's time stamp ("June 3, 2019" on its own line) has no entry after it. Known gaps, as
# measured (session 20 review): any four-digit number is a year ("2000 - police say"), a stamp with a byline
# after it matches ("3 May — By Jane Doe"), and ISO dates, decades ("1990s:"), seasons ("Spring 2026:") and
# bullet-led lines ("• 2019:") do not match. Changing the pattern changes the model: measure it again.
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATED_ENTRY = re.compile(
    r"\s*(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]{0,6}\.?,?\s+)?"
    rf"(?:{_DAY}\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}"
    r"|\d{4}(?:\s*[-–/]\s*\d{2,4})?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"\s*(?::|\s[-–—]|[-–—]\s)\s*\w", re.I)
_COMMENTS = re.compile(r"^\d+\s+comments?$|^\d+\s+shares?$", re.I)
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|#\d+)\s")
# A line ending in one of these (and not in an ellipsis) is finished (finished_line). Not other scripts' stops,
# as text.py's _TERMINAL has since session 23: some paragraphs of the WCXB and ScrapingHub pages the shipped
# model trained on end in one; add them when the model is next retrained. Session 24 measured three versions
# in which a trailing quote or ")" needs its stop inside, and kept none: benchmarks/junk_cue.md.
_TERMINAL = tuple(".!?\"”'’):;")
# What bare() strips from a line's edges: punctuation, bullets, arrows, and Markdown's "#" and "*".
_EDGES = " \t:-–—|•·>»›.…!#*→"
# "Related Stories (3)", "Comments (1,024)"; not a year ("Popular (2023)")
_COUNT = re.compile(r"\s*\((?:\d{1,3}(?:,\d{3})*)\)$")
_ELLIPSIS = ("…", "...", "..")
# A full stop ending a line (also other scripts' full stops: the danda, the ideographic stop...), perhaps
# inside closing quotes, brackets or Markdown emphasis, and not the last dot of an ellipsis (". . .").
_FULL_STOP = re.compile(rf"(?<![.…])(?<![.…] )[.{OTHER_FULL_STOPS}][\"”'’)\]*_」』）】]*$")
HTML_CUES = ("footer", "related", "recommend", "promo", "sponsor", "share", "social", "comment",
             "sidebar", "nav", "menu", "newsletter", "subscribe", "trending", "popular", "ad",
             "teaser", "more", "widget", "taboola", "outbrain", "aside", "article", "content",
             "story", "post", "body", "byline", "author")


def bare(text: str) -> str:
    """Lower case, without emoji, punctuation edges, numbering, a trailing colon or count, or Markdown's
    heading and emphasis marks.

    >>> [bare(line) for line in ("## You may also like", "**Related**", "Related Stories (3)", "Related →")]
    ['you may also like', 'related', 'related stories', 'related']
    >>> bare("Popular (2023)")
    'popular (2023)'
    """
    kept = SYMBOL.sub("", text).replace("\ufe0f", "").replace("\u200d", "")
    kept = _NUMBERED.sub("", kept)
    kept = " ".join(kept.lower().replace("’", "'").strip(_EDGES).split())
    return _COUNT.sub("", kept).strip(_EDGES) if kept.endswith(")") else kept


_NO_HTML_CUES = (0.0,) * len(HTML_CUES)  # plain text has no HTML ancestry


def own_cues(paragraph: Paragraph, lexicon: Lexicon | None) -> list[float]:
    """Cues of one paragraph, on its own."""
    text = paragraph.text
    words = text.split()
    n_words = len(words)
    stripped = text.rstrip()
    label = bare(text)
    initials = [w[0] for w in words if len(w) > 3 and w[0].isalpha()]
    title_share = sum(map(str.isupper, initials)) / len(initials) if initials else 0.0
    first_symbol = SYMBOL.search(text)
    lexicon_weight = 0.0
    if lexicon and n_words <= 60:
        lexicon_weight = sum(m[2] for m in lexicon.find(text))
    return [
        math.log1p(len(text)),
        math.log1p(n_words),
        float(finished_line(stripped)),
        float(stripped.endswith(_ELLIPSIS)),
        float(first_symbol is not None and first_symbol.start() < 3),
        float(first_symbol is not None),
        float(paragraph.mojibake),
        title_share,
        *map(float, _label_kinds(label, n_words)),
        float(label in TRAILERS),
        float(bool(_DIGIT.search(text) and _TIME_AGO.search(text))),
        float(bool(_COMMENTS.match(label)) or ("|" in text and n_words <= 8)),
        float(bool(_NUMBERED.match(text))),
        math.log1p(lexicon_weight),
        float(text[:1].isdigit()),
        float(n_words <= 3),
        float(text.count(".") + text.count("!") + text.count("?") >= 2),
        paragraph.link_density,
        float(paragraph.tag in ("h1", "h2", "h3", "h4", "h5", "h6")),
        float(paragraph.tag == "li"),
        *((float(cue in paragraph.context) for cue in HTML_CUES) if paragraph.context else _NO_HTML_CUES),
        float(dated_entry(text)),
    ]


def finished_line(line: str) -> bool:
    """Whether a line (without trailing space) ends as a finished sentence or label: in a Latin stop, a quote
    mark, ")", a colon or a semicolon, and not in an ellipsis. A cue of the junk model (changing it
    changes the model; benchmarks/junk_cue.py fits other versions against it).

    >>> [finished_line(line) for line in ("Rain is expected.", "Related:", "Comments (41)", "And then…")]
    [True, True, True, False]
    """
    return line.endswith(_TERMINAL) and not line.endswith(_ELLIPSIS)


def dated_entry(text: str) -> bool:
    """Whether a line is a dated entry of a list (a timeline, "Key dates"): a date or year, then a colon or
    a dash, then the entry.

    >>> dated_entry("12 March 2024: the council votes"), dated_entry("2019 - Founded in Leeds")
    (True, True)
    >>> dated_entry("June 3, 2019"), dated_entry("2019 was a hard year")
    (False, False)
    """
    return bool(_DIGIT.search(text[:40]) and _DATED_ENTRY.match(text))


# Indices into own_cues of the model's label cues (_label_kinds): a known label, a label opening.
LABEL_CUE, LABEL_PREFIX_CUE = 8, 9
# Indices into own_cues of the junk markers (is_marked): trailing ellipsis, mojibake, label, label prefix,
# trailer, comment count or "|" byline. Emoji and "time ago" stamps are tested more narrowly there.
MARKER_CUES = (3, 6, LABEL_CUE, LABEL_PREFIX_CUE, 10, 12)
# Emoji as markers: the emoji planes, miscellaneous symbols and dingbats (not ©, °, ™ or arrows).
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]")
# Index into own_cues of the dated-entry cue (dated_entry), after the HTML container names.
DATED_ENTRY_CUE = 21 + len(HTML_CUES)
# Indices into own_cues used for the neighbour features.
_NEIGHBOUR_CUES = (0, 2, 3, 4, 6, 7, 8, 10, 18, DATED_ENTRY_CUE)


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
    remaining_count = np.arange(n, 0, -1)
    rest = np.cumsum(teaserish[::-1])[::-1] / remaining_count
    rest_links = np.cumsum(own[::-1, 18])[::-1] / remaining_count
    before_links = np.concatenate([[0.0], np.cumsum(own[:-1, 18]) / np.arange(1, n)])
    lengths = np.array([len(p.text) for p in paragraphs], dtype=float)
    # prose: long paragraphs that are not links; an article is still going on
    # while prose follows
    prose = ((own[:, 1] >= math.log1p(PROSE_MIN_WORDS)) & (own[:, 18] < 0.3)).astype(float)
    prose_after = np.log1p(sum_after(prose))
    prose_before = np.log1p(sum_before(prose))
    chars_after = np.cumsum(lengths[::-1])[::-1] / max(lengths.sum(), 1.0)
    position = np.arange(n) / max(n - 1, 1)
    remaining = np.log1p(np.arange(n - 1, -1, -1))
    in_main, before_main, after_main = main_container(paragraphs, prose)
    place = np.column_stack([position, remaining, (np.arange(n) == n - 1), rest, rest_links, before_links,
                             chars_after, prose_after, prose_before, in_main, before_main, after_main,
                             np.full(n, float(is_html)), np.full(n, math.log1p(n))])
    return np.hstack([own, previous2, previous, following, following2, place, main_text_columns(paragraphs)])


def sum_after(values: np.ndarray) -> np.ndarray:
    """For each position, the sum of the values strictly after it.

    >>> sum_after(np.array([1.0, 2.0, 4.0])).tolist()
    [6.0, 4.0, 0.0]
    """
    return np.concatenate([np.cumsum(values[::-1])[::-1][1:], [0.0]])


def sum_before(values: np.ndarray) -> np.ndarray:
    """For each position, the sum of the values strictly before it.

    >>> sum_before(np.array([1.0, 2.0, 4.0])).tolist()
    [0.0, 1.0, 3.0]
    """
    return np.concatenate([[0.0], np.cumsum(values)[:-1]])


def main_text_columns(paragraphs) -> np.ndarray:
    """HTML: what a main-text extractor kept (maintext.py), as six columns.

    The block's kept share; whether the extractor found anything; whether the
    block comes after the last block it kept; how many kept blocks follow and
    precede (log1p); and the kept share of the page's blocks. All 0 for text,
    when the extractor found nothing, and when it kept every block: then it
    has said nothing about where the article ends (a fragment holding an
    article and its junk block is kept whole).
    """
    n = len(paragraphs)
    if any(p.main_text is None for p in paragraphs):
        return np.zeros((n, 6))
    shares = np.array([p.main_text for p in paragraphs], dtype=float)
    kept = (shares >= 0.5).astype(float)
    if kept.all():
        return np.zeros((n, 6))
    where = np.flatnonzero(kept)
    last = where[-1] if len(where) else -1
    return np.column_stack([shares, np.ones(n), (np.arange(n) > last).astype(float), np.log1p(sum_after(kept)),
                            np.log1p(sum_before(kept)), np.full(n, kept.mean())])


def main_container(paragraphs, prose: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """HTML: which blocks sit inside the element that holds most of the prose.

    The main container is the deepest element that encloses at least
    MAIN_CONTAINER_SHARE of the prose characters. Appended blocks (related
    links, comments, footers) mostly lie after it. Text input has no
    elements, so all three columns are 0 there.
    """
    n = len(paragraphs)
    zeros = np.zeros(n)
    coverage: dict[int, int] = {}
    depth: dict[int, int] = {}
    total = 0
    for paragraph, is_prose in zip(paragraphs, prose):
        if is_prose and paragraph.path:
            size = len(paragraph.text)
            total += size
            for level, element in enumerate(paragraph.path):
                coverage[element] = coverage.get(element, 0) + size
                depth[element] = level
    candidates = [element for element, size in coverage.items() if size >= MAIN_CONTAINER_SHARE * total]
    if not total or not candidates:
        return zeros, zeros, zeros
    main = max(candidates, key=depth.__getitem__)
    inside = np.array([main in p.path for p in paragraphs], dtype=float)
    where = np.flatnonzero(inside)
    index = np.arange(n)
    return inside, (index < where[0]).astype(float), (index > where[-1]).astype(float)


@dataclass(frozen=True)
class JunkBlock:
    first_paragraph: int
    paragraph_count: int
    confidence: float
    log_odds: float = 0.0  # the summed (biased) log-odds of the block's paragraphs


def best_suffix(probabilities, margin: float = JUNK_MARGIN_DEFAULT, bias: float = 0.0,
                starts=None) -> JunkBlock | None:
    """Choose the block start once over the whole suffix.

    Never starts at paragraph 0: a document is at least one paragraph of article.
    `bias` is subtracted from every paragraph's log-odds: the higher it is,
    the surer each paragraph must be before it joins the block. `starts`, when
    given, says per paragraph whether a block may start there.

    >>> best_suffix([0.1, 0.2, 0.95, 0.99, 0.97]).first_paragraph
    2
    >>> best_suffix([0.1, 0.2, 0.3, 0.6]) is None
    True
    """
    p = np.clip(np.asarray(probabilities, dtype=float), PROBABILITY_CLIP, 1 - PROBABILITY_CLIP)
    n = len(p)
    if n < 2:
        return None
    logits = np.log(p) - np.log1p(-p) - bias
    suffix = np.cumsum(logits[::-1])[::-1][1:]  # suffix[k-1] = sum of logits[k:]
    if starts is not None:
        suffix = np.where(np.asarray(starts, dtype=bool)[1:], suffix, -np.inf)
    k = int(np.argmax(suffix)) + 1
    best = float(suffix[k - 1])
    if best <= margin:
        return None
    # probability that some block exists, against "no block" at the margin
    top = suffix.max()
    mass = np.exp(suffix - top).sum()
    confidence = 1.0 / (1.0 + math.exp(margin - top) / mass)
    return JunkBlock(first_paragraph=k, paragraph_count=n - k, confidence=round(confidence, 4), log_odds=best)


def is_label(paragraph: Paragraph) -> bool:
    """Is the paragraph a block label (label_line: "You may also like", "Read More", "More from the Courier",
    "Lesen Sie auch"), and not one that also heads a writer's own reading list ("Further reading", "See also")?

    >>> from classifier.text import split_text
    >>> text = "More from the Courier\\nReaders also clicked\\nLes plus lus\\nFurther reading"
    >>> [is_label(p) for p in split_text(text).paragraphs]
    [True, False, True, False]
    """
    return bare(paragraph.text) not in OWN_LIST_LABELS and label_line(paragraph.text)


def _label_kinds(label: str, n_words: int) -> tuple[bool, bool]:
    """The model's label cues: whether a bare line is a known label, and whether it opens with a label prefix
    in a few words."""
    return label in LABELS, label.startswith(LABEL_PREFIXES) and n_words <= LABEL_MAX_WORDS


def label_line(text: str) -> bool:
    """Do the decision rules take this line for a block label: a known label or label opening, as the model's
    cues say (_label_kinds), or one of OTHER_LANGUAGE_LABELS? A writer's own "Further reading" is one here;
    is_label leaves it out.

    Known gaps, as measured (session 25, docs/experiments.md): an opening need not end a word ("More
    information" opens with "more in") and the line may be a sentence ("More on the cause, police said."),
    and many widget wordings are missing ("Popular right now", "Readers also viewed"). Session 25 shipped a
    version that closed them, found that it cut articles' last sentences, and judged a narrower one that
    failed its declared rule: neither is used (benchmarks/junk_labels.py holds the second).
    """
    label = bare(text)
    return any(_label_kinds(label, len(text.split()))) or label in OTHER_LANGUAGE_LABELS


def is_marked(paragraph: Paragraph) -> bool:
    """Does the paragraph carry a junk marker: a label or trailer, a teaser cut off with an ellipsis,
    an emoji, mojibake, a "time ago" stamp, a comment count or a "|" byline?

    >>> from classifier.text import split_text
    >>> text = "Related\\nWhen: Friday 7pm\\nA teaser that stops…\\n© 2026 The Courier, 24°C"
    >>> [is_marked(p) for p in split_text(text).paragraphs]
    [True, False, True, False]
    """
    cues = own_cues(paragraph, None)
    return (any(cues[i] for i in MARKER_CUES) or bool(_EMOJI.search(paragraph.text))
            or bool(_AGO.search(paragraph.text)) or _other_language_marker(paragraph.text))


def _other_language_marker(text: str) -> bool:
    if len(text) > 60:  # no label or trailer is this long; most paragraphs are, and need no bare()
        return False
    label = bare(text)
    return label in OTHER_LANGUAGE_LABELS or label in OTHER_LANGUAGE_TRAILERS


def decide(probabilities, paragraphs, is_html: bool, margin: float = JUNK_MARGIN_DEFAULT,
           html_bias: float = HTML_BIAS_DEFAULT, text_bias: float = TEXT_BIAS_DEFAULT,
           unmarked_min: float = UNMARKED_MIN_LOG_ODDS, extend_min: float | None = TEXT_EXTEND_MIN,
           extend_lines: int | None = TEXT_EXTEND_LINES, label_start: bool = LABEL_START,
           no_finished_start: bool = NO_FINISHED_START) -> JunkBlock | None:
    """The block, if any: the best suffix at the format's bias; in text, a block whose best start at no
    bias is a known label line (is_label) is taken from there at the plain margin (`label_start`), an
    unmarked block needs more, and, when `extend_min` is set (it is not by default), a found block takes in
    the fairly sure lines just before it (extend_back). With `no_finished_start`, a text block never
    starts at a finished sentence (finished_sentence).

    The block's log-odds are summed after the bias, and each paragraph gives
    at most about 3.9 before it (PROBABILITY_CLIP), so at the text bias an
    unmarked block must have at least five sure lines.
    """
    if is_html:
        return best_suffix(probabilities, margin, html_bias)
    may_start = _may_open_block if no_finished_start else None
    block = _best_start(probabilities, paragraphs, margin, text_bias, may_start)
    if label_start:
        labelled = _best_start(probabilities, paragraphs, margin, 0.0, may_start)
        if labelled is not None and is_label(paragraphs[labelled.first_paragraph]):
            return labelled
    if block is None:
        return block
    if block.log_odds < unmarked_min and not any(is_marked(p) for p in paragraphs[block.first_paragraph:]):
        return None
    return extend_back(block, probabilities, extend_min, extend_lines)


def _best_start(probabilities, paragraphs, margin: float, bias: float, may_start) -> JunkBlock | None:
    """best_suffix, where `may_start(paragraphs, i)` allows a block to start at paragraph i (anywhere, if it
    is None). The best start overall is usually allowed, and is then the answer. When it is not, the best
    allowed start after it is: a forbidden start moves the block later, never earlier."""
    block = best_suffix(probabilities, margin, bias)
    if block is None or may_start is None or may_start(paragraphs, block.first_paragraph):
        return block
    forbidden = block.first_paragraph
    return best_suffix(probabilities, margin, bias,
                       [i > forbidden and may_start(paragraphs, i) for i in range(len(paragraphs))])


def _may_open_block(paragraphs, i: int) -> bool:
    """A text block may open at paragraph i unless it is a finished sentence, which it still may when the
    next paragraph is a teaser cut off with an ellipsis (not an emoji headline): then it is its headline."""
    if not finished_sentence(paragraphs[i]):
        return True
    following = paragraphs[i + 1].text.rstrip() if i + 1 < len(paragraphs) else ""
    return following.endswith(_ELLIPSIS) and not _EMOJI.match(following)


def finished_sentence(paragraph: Paragraph) -> bool:
    """Is the paragraph a finished sentence of prose: at least FINISHED_MIN_WORDS words (in a script
    written without spaces, FINISHED_MIN_CHARACTERS characters) ending in a full stop (not an ellipsis),
    with no junk marker (is_marked)? A block of teasers does not open with one.

    >>> from classifier.text import split_text
    >>> text = "The charges will be reviewed in April.\\nRead more.\\nWhat he did next left them…\\nHe said so."
    >>> [finished_sentence(p) for p in split_text(text).paragraphs]
    [True, False, False, False]
    >>> text = "*A review is planned for April.*\\nसमीक्षा अप्रैल में होगी।\\n这项收费将在四月份接受审查。\\nShe was about to . . ."
    >>> [finished_sentence(p) for p in split_text(text).paragraphs]
    [True, True, True, False]
    """
    text = paragraph.text.rstrip()
    long_enough = len(text.split()) >= FINISHED_MIN_WORDS or (" " not in text
                                                               and len(text) >= FINISHED_MIN_CHARACTERS)
    return bool(_FULL_STOP.search(text)) and long_enough and not is_marked(paragraph)


def extend_back(block: JunkBlock, probabilities, minimum: float | None, lines: int | None = None) -> JunkBlock:
    """The block with the paragraphs just before it that have at least `minimum` probability, at most
    `lines` of them (never paragraph 0, as in best_suffix); unchanged when `minimum` is None. The run
    stops at the first paragraph below `minimum`. Confidence and log-odds stay those of the block found
    (the lines taken in were not part of that decision).

    >>> extend_back(JunkBlock(3, 2, 0.9), [0.1, 0.7, 0.6, 0.99, 0.98], 0.5).first_paragraph
    1
    >>> extend_back(JunkBlock(3, 2, 0.9), [0.1, 0.7, 0.6, 0.99, 0.98], 0.5, lines=1).first_paragraph
    2
    """
    if minimum is None:
        return block
    start = block.first_paragraph
    floor = 1 if lines is None else max(1, block.first_paragraph - lines)
    while start > floor and probabilities[start - 1] >= minimum:
        start -= 1
    if start == block.first_paragraph:
        return block
    return JunkBlock(first_paragraph=start, paragraph_count=block.paragraph_count + block.first_paragraph - start,
                     confidence=block.confidence, log_odds=block.log_odds)


@lru_cache(maxsize=1)
def _thread_pools() -> ThreadpoolController:
    """Found once per process: looking up the loaded thread pools costs about a millisecond a time."""
    return ThreadpoolController()


def neighbour_probabilities(p: np.ndarray) -> np.ndarray:
    """Second-pass context: first-pass probabilities around each paragraph.

    Like jusText's second pass, a paragraph is revised from its neighbours:
    the probabilities of the three before and after, and the mean and minimum
    of everything before and after it.
    """
    n = len(p)
    padded = np.concatenate([np.full(3, 0.5), p, np.full(3, 0.5)])
    window = np.column_stack([padded[3 + shift: 3 + shift + n] for shift in (-3, -2, -1, 1, 2, 3)])
    count_after = np.arange(n - 1, -1, -1)
    mean_after = np.where(count_after > 0, sum_after(p) / np.maximum(count_after, 1), 1.0)
    min_after = np.concatenate([np.minimum.accumulate(p[::-1])[::-1][1:], [1.0]])
    count_before = np.arange(n)
    mean_before = np.where(count_before > 0, sum_before(p) / np.maximum(count_before, 1), 0.0)
    return np.column_stack([p, window, mean_after, min_after, mean_before])


def _trees(max_iter: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=max_iter, learning_rate=0.1, max_leaf_nodes=31,
                                          l2_regularization=1.0, early_stopping=False, random_state=0)


class JunkModel:
    """Gradient-boosted trees over paragraph cues, in two passes, then the suffix decision.

    A model may hold several members, fitted on different draws of training
    documents, whose probabilities are averaged (`fit_draws`).

    Trees, because the cues interact: a title-case line is a teaser after a
    label line but a section heading between two paragraphs of prose. The
    second pass sees the first pass's probabilities of the neighbours; it is
    trained on out-of-fold first-pass probabilities, as it will see them.
    """

    def __init__(self, lexicon: Lexicon | None = None, max_iter: int = 200, margin: float = JUNK_MARGIN_DEFAULT,
                 html_bias: float = HTML_BIAS_DEFAULT, folds: int = 3, text_bias: float = TEXT_BIAS_DEFAULT,
                 unmarked_min: float = UNMARKED_MIN_LOG_ODDS):
        self.lexicon = lexicon
        self.max_iter = max_iter
        self.margin = margin
        self.html_bias = html_bias
        self.text_bias = text_bias
        self.unmarked_min = unmarked_min
        self.folds = folds

    def fit(self, documents, labels, rows=None) -> "JunkModel":
        """documents: list of (paragraphs, is_html); labels: per document, 0/1 per paragraph,
        or -1 for a paragraph to leave out (it still serves as a neighbour).
        `rows` may pass precomputed cue matrices, one per document. One member."""
        return self.fit_draws([(documents, labels, rows)])

    def fit_draws(self, draws) -> "JunkModel":
        """One member per training draw, each (documents, labels, rows or None) as for `fit`.

        The members' probabilities are averaged. Composed training documents
        are a random draw of articles, endings and blocks, and a model fitted
        on one draw leans on that draw's accidents: in session 8, three draws
        of 4,000 documents gave exact block starts of 0.853, 0.882 and 0.874 on
        the same development documents. Averaging them steadies that
        (docs/experiments.md).
        """
        self.members_ = [self._fit_member(*draw) for draw in draws]
        return self

    def _fit_member(self, documents, labels, rows=None):
        if rows is None:
            rows = [cue_matrix(paragraphs, self.lexicon, is_html) for paragraphs, is_html in documents]
        keep = [i for i, (paragraphs, _) in enumerate(documents) if paragraphs]
        rows = [rows[i] for i in keep]
        labels = [np.asarray(labels[i]) for i in keep]

        def stacked(indices):
            x = np.vstack([rows[i] for i in indices])
            y = np.concatenate([labels[i] for i in indices])
            return x[y >= 0], y[y >= 0]

        first_pass = [None] * len(rows)
        for fold in range(self.folds):
            inside = [i for i in range(len(rows)) if i % self.folds != fold]
            model = _trees(self.max_iter).fit(*stacked(inside))
            for i in range(fold, len(rows), self.folds):
                first_pass[i] = model.predict_proba(rows[i])[:, 1]
        first = _trees(self.max_iter).fit(*stacked(range(len(rows))))
        second = [np.hstack([rows[i], neighbour_probabilities(first_pass[i])]) for i in range(len(rows))]
        x = np.vstack(second)
        y = np.concatenate(labels)
        return first, _trees(self.max_iter).fit(x[y >= 0], y[y >= 0])

    def paragraph_probabilities(self, paragraphs, is_html: bool) -> np.ndarray:
        return self.many_probabilities([(paragraphs, is_html)])[0]

    def many_probabilities(self, documents) -> list[np.ndarray]:
        """Probabilities for many (paragraphs, is_html) documents, one model call per member and pass."""
        rows = [cue_matrix(paragraphs, self.lexicon, is_html) for paragraphs, is_html in documents]
        filled = [r for r in rows if len(r)]
        if not filled:
            return [np.zeros(0) for _ in rows]
        cuts = np.cumsum([len(r) for r in filled])[:-1]
        # One thread: batches are small, and the CLI and the service already run
        # one process per core; OpenMP threads on top would only fight them.
        x = np.vstack(filled)
        total = np.zeros(len(x))
        with _thread_pools().limit(limits=1, user_api="openmp"):
            for first_pass, second_pass in self.members_:
                first = np.split(first_pass.predict_proba(x)[:, 1], cuts)
                second = np.vstack([np.hstack([r, neighbour_probabilities(p)]) for r, p in zip(filled, first)])
                total += second_pass.predict_proba(second)[:, 1]
        results = iter(np.split(total / len(self.members_), cuts))
        return [next(results) if len(r) else np.zeros(0) for r in rows]

    def find_many(self, documents) -> list[JunkBlock | None]:
        return [decide(p, paragraphs, is_html, self.margin, self.html_bias, self.text_bias, self.unmarked_min)
                for p, (paragraphs, is_html) in zip(self.many_probabilities(documents), documents)]

    def find(self, paragraphs, is_html: bool, margin: float | None = None) -> tuple[np.ndarray, JunkBlock | None]:
        probabilities = self.paragraph_probabilities(paragraphs, is_html)
        return probabilities, decide(probabilities, paragraphs, is_html, self.margin if margin is None else margin,
                                     self.html_bias, self.text_bias, self.unmarked_min)
