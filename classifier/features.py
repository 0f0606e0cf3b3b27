"""Tokens with spans, stemmed n-grams, and the lexicon and style cues.

Everything here works on one paragraph's normalised text. nltk supplies the
Snowball stemmer, which needs no downloaded data. Tokens are the matches of one
pattern run by the `regex` engine, the engine nltk's `RegexpTokenizer` uses.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import regex
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

# The pattern and flags of the `RegexpTokenizer` the model was trained with, compiled by the same engine
# (`regex`; its \w takes combining marks, the standard library's does not), so the tokens are the same.
# Not through the tokenizer itself: since nltk 3.10 its `span_tokenize` wraps every match in a timeout guard
# against caller-supplied patterns, which cost about as much as the matching. This pattern is fixed and
# cannot backtrack badly (fuzz/redos_audit.py checks it).
TOKEN_PATTERN = regex.compile(r"\w+(?:['’]\w+)*|[^\w\s]", regex.UNICODE | regex.MULTILINE | regex.DOTALL)
_STEMMER = SnowballStemmer("english")
_QUOTE = re.compile("[\"“”«»]")
# Every shouting word has three capitals in a row, so ASCII text without them has none (most paragraphs).
_THREE_CAPITALS = re.compile("[A-Z]{3}")
# Attribution verbs: a loaded word next to one is often someone else's word.
ATTRIBUTION = frozenset("said says told according stated statement quoted called described alleged".split())
SUPERLATIVES = frozenset(
    "worst best biggest greatest largest deadliest scariest craziest wildest strangest "
    "most least highest lowest fastest hottest coldest richest poorest darkest "
    "ultimate ever".split()
)
INTENSIFIERS = frozenset(
    "very so extremely utterly absolutely totally completely truly incredibly insanely "
    "really seriously deeply wildly massively hugely literally".split()
)
# Words that carry grammar, not tone: articles, pronouns, prepositions, auxiliaries and conjunctions. A
# highlight made only of them ("a", "this", "here") tells a reader nothing, whatever its weight (loaded.py).
# Words of degree, negation and totality ("never", "all", "nothing", "so") are not among them.
FUNCTION_WORDS = frozenset(
    "a an the this that these those there here it its it's itself they them their theirs themselves "
    "he him his himself she her hers herself we us our ours ourselves you your yours yourself i me my mine "
    "myself who whom whose which what when where why how "
    "of in on at by for from to with without into onto upon about above below over under between among "
    "through during before after since until till against toward towards across along around behind beyond "
    "near off out up down via per "
    "and or but nor if then than because as while whereas although though unless whether "
    "is am are was were be been being has have had having do does did doing done "
    "will would shall should can could may might must "
    "also yet still again too either neither both each other another such same "
    "s t d ll re ve m".split()
)
# Style cues (exclamation and question marks, emoji, capitals) reach their full
# value only in a paragraph of at least this many words: "!!!" or "😱🔥" alone
# has no words, so it carries no evidence about the language of a paragraph.
STYLE_EVIDENCE_WORDS_DEFAULT = 4
# Lexicon density is hits per word, with at least this many words in the
# denominator: one hit in a one-to-three-word heading used to saturate the score.
DENSITY_MIN_WORDS_DEFAULT = 8
# An all-caps word of at least this many letters is shouting on its own; a
# shorter one ("NATO", "FBI", "EU") is read as an acronym unless it stands in a
# run of capitalised words ("THE WAR IS HERE").
SHOUTING_MIN_LETTERS = 5
# Acronyms of five letters or more in common news use; they are never shouting alone.
LONG_ACRONYMS = frozenset(
    "ASEAN AUKUS CARICOM COVID DARPA ERCOT FRONTEX INTERPOL LGBTQ LGBTQI MERCOSUR NAACP NAFTA NASDAQ "
    "NHTSA NORAD OFSTED SEPTA SWIFT UNESCO UNHCR UNICEF UNRWA UNIFIL USMCA".split()
)


class Token(NamedTuple):
    """One token with its span. A named tuple, not a frozen dataclass: a paragraph makes dozens of these,
    and a frozen dataclass takes about three times as long to build (tokenising was 0.31-0.40 s per 300
    documents, 0.22 s with this)."""

    text: str  # lower-cased surface form
    stem: str
    start: int
    end: int
    is_word: bool


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stem(word)


@lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in TOKEN_PATTERN.finditer(text):
        start, end = match.span()
        surface = text[start:end].lower().replace("’", "'")
        is_word = surface[0].isalnum() or surface[0] == "_"
        tokens.append(Token(surface, stem(surface) if is_word else surface, start, end, is_word))
    return tuple(tokens)


def clear_caches() -> None:
    """Forget the tokens, stems, n-grams, lexicon matches and quotation spans remembered so far.

    For measurements that must start cold, as a new process does.
    """
    for cached in (stem, _tokenize, text_ngrams, _lexicon_matches, quoted_ranges):
        cached.cache_clear()


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` with their spans; words are lower-cased and stemmed.

    Cached: one paragraph is tokenized for TF-IDF, cues and highlights alike.
    """
    return list(_tokenize(text))


def ngrams(tokens: list[Token], n_max: int = 2) -> list[tuple[str, int, int]]:
    """Stemmed word n-grams (1..n_max) with the span they cover.

    Punctuation breaks n-grams, so "cut. Budget" is not a bigram.
    """
    grams = []
    run: list[Token] = []
    for token in tokens + [Token(".", ".", 0, 0, False)]:
        if token.is_word:
            run.append(token)
            continue
        for i in range(len(run)):
            for n in range(1, n_max + 1):
                if i + n <= len(run):
                    grams.append((" ".join(t.stem for t in run[i : i + n]), run[i].start, run[i + n - 1].end))
        run = []
    return grams


@lru_cache(maxsize=4096)
def text_ngrams(text: str) -> tuple[tuple[str, int, int], ...]:
    """ngrams of a text, cached: TF-IDF and highlights ask for the same paragraph."""
    return tuple(ngrams(tokenize(text)))


def analyze(text: str) -> list[str]:
    """The TF-IDF analyzer: stemmed unigrams and bigrams."""
    return [gram for gram, _, _ in text_ngrams(text)]


@dataclass(frozen=True, eq=False)  # hashed by identity, so lookups can be cached per lexicon
class Lexicon:
    """Loaded-language terms, stemmed, with weights and categories.

    Most terms match by stem, so "terrifying" also finds "terrified". A term
    whose stem is shared by common neutral words ("weaponize" and "weapons",
    "severely" and "several", "illegals" and "illegal") is marked `exact` in
    the TSV's `match` column and matches only as written (case aside).
    """

    entries: dict[tuple[str, ...], tuple[float, str]]  # stem tuple -> (weight, category)
    max_len: int
    # stem tuple -> {lower-cased surface tuple -> (weight, category)}, for `exact` terms
    exact: dict[tuple[str, ...], dict[tuple[str, ...], tuple[float, str]]] = field(default_factory=dict)

    @property
    def lengths_by_first(self) -> dict[str, tuple[int, ...]]:
        """Term lengths for each first stem, longest first (built once, on first use)."""
        index = self.__dict__.get("_lengths_by_first")
        if index is None:
            grouped: dict[str, set[int]] = {}
            for key in (*self.entries, *self.exact):
                grouped.setdefault(key[0], set()).add(len(key))
            index = {first: tuple(sorted(lengths, reverse=True)) for first, lengths in grouped.items()}
            object.__setattr__(self, "_lengths_by_first", index)
        return index

    @classmethod
    def from_tsv(cls, path: str | Path) -> "Lexicon":
        """Read term, weight, category and an optional match ("stem", the default, or "exact")."""
        entries: dict[tuple[str, ...], tuple[float, str]] = {}
        exact: dict[tuple[str, ...], dict[tuple[str, ...], tuple[float, str]]] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            if reader.fieldnames is None or not {"term", "weight", "category"} <= set(reader.fieldnames):
                raise ValueError(f"{path}: expected a header with term, weight, category")
            for line, row in enumerate(reader, start=2):
                words = [t for t in tokenize(row["term"].strip()) if t.is_word]
                if not words:
                    continue
                hit = (float(row["weight"]), row["category"].strip())
                match = (row.get("match") or "stem").strip()
                if match not in ("stem", "exact"):
                    raise ValueError(f"{path}:{line}: match must be 'stem' or 'exact', got {match!r}")
                key = tuple(t.stem for t in words)
                table, surface = (entries, key) if match == "stem" else (
                    exact.setdefault(key, {}), tuple(t.text for t in words))
                if surface not in table or table[surface][0] < hit[0]:
                    table[surface] = hit
        max_len = max((len(k) for k in (*entries, *exact)), default=1)
        return cls(entries=entries, max_len=max_len, exact=exact)

    @property
    def categories(self) -> list[str]:
        hits = [*self.entries.values(), *(hit for forms in self.exact.values() for hit in forms.values())]
        return sorted({category for _, category in hits})

    def find(self, text: str) -> tuple[tuple[int, int, float, str], ...]:
        """`matches` over a text's tokens, cached: cues, highlights and junk cues all ask."""
        return _lexicon_matches(self, text)

    def matches(self, tokens: list[Token]) -> list[tuple[int, int, float, str]]:
        """(start, end, weight, category) of each lexicon match, longest first at each position.

        An exact term written as listed wins over a stem term with the same stems.
        """
        words = [t for t in tokens if t.is_word]
        stems = [t.stem for t in words]
        lengths_by_first = self.lengths_by_first
        found = []
        i = 0
        while i < len(words):
            for n in lengths_by_first.get(stems[i], ()):
                if i + n > len(words):
                    continue
                key = tuple(stems[i : i + n])
                forms = self.exact.get(key)
                hit = forms.get(tuple(t.text for t in words[i : i + n])) if forms else None
                hit = hit or self.entries.get(key)
                if hit:
                    found.append((words[i].start, words[i + n - 1].end, hit[0], hit[1]))
                    i += n
                    break
            else:
                i += 1
        return found


@lru_cache(maxsize=4096)
def _lexicon_matches(lexicon: Lexicon, text: str) -> tuple[tuple[int, int, float, str], ...]:
    return tuple(lexicon.matches(tokenize(text)))


@lru_cache(maxsize=4096)
def quoted_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Spans inside double quotation marks (straight or curly).

    >>> quoted_ranges('He called it "a disaster" and left.')
    ((13, 24),)
    """
    marks = [match.start() for match in _QUOTE.finditer(text)]
    return tuple(zip(marks[0::2], marks[1::2]))


def _symbol_class() -> str:
    """A regex class of pictographic symbols: category So below U+3400, and the emoji planes."""
    chars = [re.escape(chr(c)) for c in range(0x80, 0x3400) if unicodedata.category(chr(c)) == "So"]
    return "[" + "".join(chars) + "\U0001F000-\U0001FAFF]"


SYMBOL = re.compile(_symbol_class())
# One emoji as a reader sees it: a symbol with its variation selector, skin
# tone, tag characters and any zero-width-joined symbols (👨‍👩‍👧 is one emoji,
# not three), or a flag: two regional indicators (🇺🇸), or a black flag and
# its tags (🏴󠁧󠁢󠁳󠁣󠁴󠁿). A highlight that split one would break it on the page.
EMOJI_SEQUENCE = re.compile(f"(?:[\U0001F1E6-\U0001F1FF]{{2}}|{SYMBOL.pattern})"
                            f"(?:[\ufe0f\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]|\u200d{SYMBOL.pattern})*")


def count_emoji(text: str) -> int:
    return 0 if text.isascii() else len(SYMBOL.findall(text))


def _is_caps(surface: str) -> bool:
    return len(surface) > 1 and surface.isupper() and surface.isalpha()


def shouting_words(text: str, tokens: list[Token]) -> list[Token]:
    """Words written in capitals for effect, not acronyms.

    A capitalised word of SHOUTING_MIN_LETTERS letters or more counts unless
    it is a known long acronym; a shorter one counts only inside a run of two
    or more capitalised words (with at least three letters itself, as before).

    >>> text = "NATO and the FBI met EU officials. THE WAR IS HERE, a SHOCKING toll from COVID."
    >>> [text[t.start:t.end] for t in shouting_words(text, tokenize(text))]
    ['THE', 'WAR', 'HERE', 'SHOCKING']
    """
    if text.isascii() and not _THREE_CAPITALS.search(text):
        return []
    found: list[Token] = []
    run: list[Token] = []
    for token in [*tokens, Token(".", ".", 0, 0, False)]:
        if token.is_word and _is_caps(text[token.start : token.end]):
            run.append(token)
            continue
        for word in run:
            surface = text[word.start : word.end]
            if len(surface) < 3:
                continue
            if len(run) > 1 or (len(surface) >= SHOUTING_MIN_LETTERS and surface not in LONG_ACRONYMS):
                found.append(word)
        run = []
    return found


def style_evidence(n_words: int, evidence_words: int = STYLE_EVIDENCE_WORDS_DEFAULT) -> float:
    """How much a paragraph's style cues count, 0..1, by its number of words.

    >>> style_evidence(0), style_evidence(2), style_evidence(12)
    (0.0, 0.5, 1.0)
    """
    return min(1.0, n_words / max(evidence_words, 1))


class LexiconStyleFeatures(BaseEstimator, TransformerMixin):
    """Dense cues: lexicon weight by category, intensity and style.

    Lexicon hits inside quotation marks or next to an attribution verb are
    counted apart, because neutral reports quote loaded words.
    """

    STYLE_NAMES = (
        "lex_total", "lex_quoted", "lex_max", "lex_density", "intensifiers", "superlatives",
        "exclamations", "questions", "all_caps", "emoji", "attribution", "digits", "log_words",
    )

    def __init__(self, lexicon: Lexicon | None = None,
                 style_evidence_words: int = STYLE_EVIDENCE_WORDS_DEFAULT,
                 density_min_words: int = DENSITY_MIN_WORDS_DEFAULT):
        self.lexicon = lexicon
        self.style_evidence_words = style_evidence_words
        self.density_min_words = density_min_words

    def fit(self, texts, y=None):
        self.categories_ = self.lexicon.categories if self.lexicon else []
        self.feature_names_ = [f"lex:{c}" for c in self.categories_] + list(self.STYLE_NAMES)
        features = self._raw(texts)
        self.scale_ = np.maximum(features.std(axis=0), 1e-6)
        self.mean_ = features.mean(axis=0)
        return self

    def transform(self, texts):
        return sparse.csr_matrix((self._raw(texts) - self.mean_) / self.scale_)

    def get_feature_names_out(self, input_features=None):
        return np.array(self.feature_names_, dtype=object)

    def _raw(self, texts) -> np.ndarray:
        return np.array([self.describe(text) for text in texts], dtype=float).reshape(len(texts), -1)

    def describe(self, text: str, tokens: list[Token] | None = None) -> list[float]:
        tokens = tokenize(text) if tokens is None else tokens
        words = [t for t in tokens if t.is_word]
        n_words = max(len(words), 1)
        by_category = dict.fromkeys(self.categories_, 0.0)
        lex_total = lex_quoted = lex_max = 0.0
        if self.lexicon:
            quoted = quoted_ranges(text)
            for start, end, weight, category in self.lexicon.find(text):
                if any(q0 < start and end <= q1 for q0, q1 in quoted):
                    lex_quoted += weight
                    continue
                by_category[category] += weight
                lex_total += weight
                lex_max = max(lex_max, weight)
        evidence = self.evidence(len(words))
        return [
            *(math.log1p(v) for v in by_category.values()),
            math.log1p(lex_total),
            math.log1p(lex_quoted),
            lex_max,
            lex_total / max(len(words), self.density_min_words, 1),
            math.log1p(sum(w.text in INTENSIFIERS for w in words)),
            math.log1p(sum(w.text in SUPERLATIVES for w in words)),
            evidence * math.log1p(text.count("!")),
            evidence * math.log1p(text.count("?")),
            evidence * math.log1p(len(shouting_words(text, tokens))),
            evidence * math.log1p(count_emoji(text)),
            math.log1p(sum(w.text in ATTRIBUTION for w in words)),
            sum(w.text.isdigit() for w in words) / n_words,
            math.log1p(len(words)),
        ]

    def evidence(self, n_words: int) -> float:
        """The factor on the style cues (marks, capitals, emoji) of a paragraph of `n_words` words."""
        return style_evidence(n_words, self.style_evidence_words)
