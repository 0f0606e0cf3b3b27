"""The paragraph model: how loaded a paragraph's language is, 0..1, and why.

TF-IDF over stemmed word 1-2 grams and the dense lexicon/style cues enter
one logistic regression. Its decision value is then calibrated with Platt
scaling fitted on out-of-fold predictions, so 0.8 means about 80% of such
paragraphs are loaded. Highlights are the n-grams and cues whose terms pushed
the decision up, mapped back to spans of the paragraph text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .features import (
    EMOJI_SEQUENCE, FUNCTION_WORDS, INTENSIFIERS, SUPERLATIVES, Lexicon, LexiconStyleFeatures, Token, analyze,
    count_emoji, quoted_ranges, shouting_words, stem, text_ngrams, tokenize,
)

# Inverse regularisation strength. C, the style weight and MIN_TOPICS were
# compared on BABE SG1 (out of domain; docs/evaluation.md): C and the style
# weight barely mattered there, so they stay at their neutral values.
C_DEFAULT = 1.0
# Weight of the dense lexicon/style block relative to the TF-IDF block.
STYLE_WEIGHT_DEFAULT = 1.0
# Terms seen in fewer documents than this are noise for a corpus of our size.
MIN_DF_DEFAULT = 2
# A term must occur in paragraphs of at least this many of the 12 topics:
# words of one topic ("striker", "vaccine") say what a paragraph is about, not
# how it is told. 6 was best of 1/3/6/9 on BABE SG1 (0.759 vs 0.757 ROC AUC).
MIN_TOPICS_DEFAULT = 6
# A highlight must move the log-odds at least this much to be worth showing. 0.4 had the best
# word-level F1 against the words BABE SG1's annotators marked as biased (0.275; 0.135 at the former
# 0.1, 0.267 at 0.3, 0.252 at 0.5); at 0.1, 92% of SG1's non-biased sentences and 80% of the authored
# neutral held-out paragraphs had a highlight, at 0.4 25% and 13% (docs/experiments.md, session 4).
# Chosen again on session 14's model, whose slopes are larger: F1 0.322 at 0.4, 0.328 at 0.5, 0.333 at 0.6,
# 0.281 at 0.8; non-biased sentences with a highlight 27.4% at 0.4, 24.6% at 0.6.
HIGHLIGHT_MIN_WEIGHT = 0.6
# In a loaded paragraph of at most this many words (a headline, a heading), the lexicon hits share the
# lexicon's whole push (LoadedModel.explain).
WHOLE_LEXICON_MAX_WORDS = 15
# Scores are shown (in results and output lines) to this many decimal places.
SCORE_PLACES = 4
# A paragraph shown as scoring below this gets no highlights: a term that moved a score of 0.002 up
# explains nothing a reader needs ("now" in "The bridge will now close at 10pm"). On BABE SG1, non-biased
# sentences with a highlight 28.4% -> 24.2%, word-level F1 0.326 -> 0.324; 0.05 cost 0.005 F1
# (docs/experiments.md, session 14).
HIGHLIGHT_MIN_SCORE = 0.02
# At most this many highlights per paragraph: a reader skims, not audits.
HIGHLIGHT_MAX = 8


@dataclass(frozen=True)
class Highlight:
    start: int  # into the paragraph's normalised text
    end: int
    weight: float  # contribution to the log-odds of "loaded"


class LoadedModel:
    """Fit on labelled paragraphs; score and explain new ones."""

    def __init__(self, lexicon: Lexicon | None = None, C: float = C_DEFAULT,
                 style_weight: float = STYLE_WEIGHT_DEFAULT, min_df: int = MIN_DF_DEFAULT,
                 min_topics: int = MIN_TOPICS_DEFAULT):
        self.lexicon = lexicon
        self.C = C
        self.style_weight = style_weight
        self.min_df = min_df
        self.min_topics = min_topics

    # -- fitting -------------------------------------------------------
    def _new_parts(self):
        vectorizer = TfidfVectorizer(analyzer=analyze, min_df=self.min_df, sublinear_tf=True,
                                     dtype=np.float32)
        return vectorizer, LexiconStyleFeatures(self.lexicon)

    def _stack(self, vectorizer, style, texts):
        return sparse.hstack([vectorizer.transform(texts), style.transform(texts) * self.style_weight]).tocsr()

    def _fit_once(self, texts, labels, topics=None):
        vectorizer, style = self._new_parts()
        if topics is not None and self.min_topics > 1:
            vectorizer.vocabulary = self._spread_vocabulary(texts, topics)
        vectorizer.fit(texts)
        style.fit(texts)
        classifier = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced")
        classifier.fit(self._stack(vectorizer, style, texts), labels)
        return vectorizer, style, classifier

    def _spread_vocabulary(self, texts, topics) -> dict[str, int]:
        """Terms with enough documents, spread over enough topics."""
        seen: dict[str, set] = {}
        documents: dict[str, int] = {}
        for text, topic in zip(texts, topics):
            for term in set(analyze(text)):
                seen.setdefault(term, set()).add(topic)
                documents[term] = documents.get(term, 0) + 1
        kept = sorted(t for t, where in seen.items() if len(where) >= self.min_topics and documents[t] >= self.min_df)
        return {term: i for i, term in enumerate(kept)}

    def fit(self, texts: list[str], labels, groups=None, topics=None, folds: int = 5) -> "LoadedModel":
        """Fit the model, then calibrate it on out-of-fold decision values.

        `groups` keep one event's paragraphs in one fold; `topics`, when given,
        drive the MIN_TOPICS vocabulary filter.
        """
        labels = np.asarray(labels)
        groups = np.arange(len(texts)) if groups is None else np.asarray(groups)
        out_of_fold = np.zeros(len(texts))
        for train, test in GroupKFold(n_splits=folds).split(texts, labels, groups):
            vectorizer, style, classifier = self._fit_once(
                [texts[i] for i in train], labels[train], None if topics is None else [topics[i] for i in train])
            out_of_fold[test] = classifier.decision_function(
                self._stack(vectorizer, style, [texts[i] for i in test]))
        self.out_of_fold_ = out_of_fold
        self.calibrator_ = LogisticRegression(C=1e4).fit(out_of_fold.reshape(-1, 1), labels)
        self.vectorizer_, self.style_, self.classifier_ = self._fit_once(texts, labels, topics)
        self.n_tfidf_ = len(self.vectorizer_.vocabulary_)
        for name in self._DERIVED:  # explain's tables belong to the previous fit
            setattr(self, name, None)
        return self

    # -- scoring -------------------------------------------------------
    def features(self, texts: list[str]):
        return self._stack(self.vectorizer_, self.style_, texts)

    def decision(self, texts: list[str]) -> np.ndarray:
        return self.classifier_.decision_function(self.features(texts))

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        return self.calibrator_.predict_proba(np.asarray(decision).reshape(-1, 1))[:, 1]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability that each paragraph is loaded."""
        if not texts:
            return np.zeros(0)
        return self.calibrate(self.decision(texts))

    # -- explaining ----------------------------------------------------
    def explain(self, text: str, row=None, breaks: tuple[int, ...] = ()) -> list[Highlight]:
        """Spans of `text` whose terms pushed its score up, strongest first; none runs across a position in
        `breaks` (a Markdown link's edge, text.Paragraph.breaks: "furious [fans](url) slammed" reads "furious
        fans slammed", but a phrase over "fans slammed" would mark the URL in the sent text).

        Each term is credited with its own slope. The lexicon's strongest cues, its density and its
        maximum, belong to no single hit, so a loaded headline ("Shocking outrage", 0.9999) came back
        with nothing marked, or with only its "!". In a short paragraph (WHOLE_LEXICON_MAX_WORDS) scored
        loaded, the lexicon hits therefore share the whole push of the lexicon cues. Longer paragraphs
        keep the slopes: there, the whole push put a highlight on more of BABE SG1's non-biased sentences
        (22.4% -> 23.5%; docs/experiments.md, session 12).
        """
        row = self.features([text]) if row is None else row
        decision = self._decision(row)
        if decision < self._decision_bound(HIGHLIGHT_MIN_SCORE):
            return []
        tokens = tokenize(text)
        coef = self.classifier_.coef_[0]
        whole_lexicon = (self.lexicon is not None and sum(t.is_word for t in tokens) <= WHOLE_LEXICON_MAX_WORDS
                         and decision >= self._decision_bound(0.5))
        candidates = (self._ngram_candidates(text, row)
                      + self._cue_candidates(text, tokens, coef, row, whole_lexicon=whole_lexicon))
        if breaks:
            candidates = [c for c in candidates if not any(c[0] < b < c[1] for b in breaks)]
        return merge_highlights(candidates)

    def _decision(self, row) -> float:
        """The classifier's decision value (before calibration) for the paragraph of this feature row."""
        decision = float(np.dot(self.classifier_.coef_[0][np.asarray(row.indices)], np.asarray(row.data)))
        return decision + float(self.classifier_.intercept_[0])

    def _decision_bound(self, shown: float) -> float:
        """The lowest decision value of a paragraph shown as scoring `shown` or more (to SCORE_PLACES).
        Platt scaling is monotone, so a shown score is a bound on the decision value, found once per `shown`."""
        if self._decision_bounds is None:
            self._decision_bounds = {}
        bound = self._decision_bounds.get(shown)
        if bound is None:
            slope, intercept = self.calibrator_.coef_[0][0], self.calibrator_.intercept_[0]
            probability = shown - 0.5 * 10 ** -SCORE_PLACES  # the lowest probability shown as `shown`
            log_odds = math.log(probability / (1 - probability))
            bound = self._decision_bounds[shown] = (float((log_odds - intercept) / slope) if slope > 0
                                                    else float("inf"))
        return bound

    def _ngram_candidates(self, text: str, row):
        positive = self._positive_terms()
        values = dict(zip(row.indices.tolist(), row.data.tolist()))
        occurrences: dict[tuple[int, float], list[tuple[int, int]]] = {}
        for gram, start, end in text_ngrams(text):
            term = positive.get(gram)
            if term is not None:
                occurrences.setdefault(term, []).append((start, end))
        found = []
        for (index, slope), spans in occurrences.items():
            weight = slope * values.get(index, 0.0) / len(spans)
            found.extend((start, end, weight) for start, end in spans)
        return list(_trim_function_words(text, found)) if found else found

    def _positive_terms(self) -> dict[str, tuple[int, float]]:
        """The TF-IDF terms whose coefficient is positive, as term -> (column, coefficient).

        Terms made only of function words ("a", "through a") are left out: they weigh in the score, but
        a highlight on them explains nothing. On BABE SG1's marked words, word-level F1 0.279 -> 0.298
        (precision 0.313 -> 0.372, recall 0.251 -> 0.249; docs/experiments.md, session 11).

        Built once per loaded model (it is not part of the artifact): looking
        each n-gram up here costs far less than indexing the coefficient array.
        """
        if self._positive is None:
            coef = self.classifier_.coef_[0].tolist()
            grammar = {stem(word) for word in FUNCTION_WORDS}
            self._positive = {term: (index, coef[index]) for term, index in self.vectorizer_.vocabulary_.items()
                              if coef[index] > 0 and not grammar.issuperset(term.split())}
        return self._positive

    def _style_columns(self) -> dict[str, int]:
        """The dense cues' names -> their column among the dense cues."""
        if self._style_index is None:
            self._style_index = {name: i for i, name in enumerate(self.style_.feature_names_)}
        return self._style_index

    # explain's lookup tables: derived from the fitted parts on first use, never saved in the artifact,
    # dropped by a refit
    _DERIVED = ("_positive", "_style_index", "_decision_bounds")
    _positive: dict[str, tuple[int, float]] | None = None
    _style_index: dict[str, int] | None = None
    _decision_bounds: dict[float, float] | None = None

    def __getstate__(self):
        return {name: value for name, value in self.__dict__.items() if name not in self._DERIVED}

    # the lexicon cues a hit outside quotation marks raises (lex_quoted counts the quoted ones)
    _LEXICON_PUSH = ("lex_total", "lex_max", "lex_density")

    def _cue_candidates(self, text: str, tokens: list[Token], coef, row, whole_lexicon: bool = False):
        """Attribute the dense cues to the spans that raised them.

        A lexicon hit gets the slope of its category and of the total; with `whole_lexicon`, the hits
        share instead what all the lexicon cues add to the decision against a paragraph with no hit,
        in proportion to their weights.
        """
        style = self.style_
        offset = self.n_tfidf_
        names = self._style_columns()
        # undo the standardisation of the row's dense part rather than recompute it
        dense = np.zeros(len(names))
        indices = np.asarray(row.indices)
        dense_part = indices >= offset
        dense[indices[dense_part] - offset] = np.asarray(row.data)[dense_part]
        raw = dense / self.style_weight * style.scale_ + style.mean_

        def slope(name: str) -> float:
            i = names[name]
            # d/dv of coef * log1p(v) / scale, at the paragraph's value
            return float(coef[offset + i]) * self.style_weight / style.scale_[i] / (1.0 + np.expm1(raw[i]))

        words = [t for t in tokens if t.is_word]
        evidence = style.evidence(len(words))

        def style_slope(name: str, count: int) -> float:
            """d/dv of coef * evidence * log1p(v) / scale, at the paragraph's count."""
            i = names[name]
            return float(coef[offset + i]) * self.style_weight / style.scale_[i] * evidence / (1.0 + count)

        found = []
        if self.lexicon:
            quoted = quoted_ranges(text)
            total = slope("lex_total")
            hits = [(start, end, weight, category) for start, end, weight, category in self.lexicon.find(text)
                    if not any(q0 < start and end <= q1 for q0, q1 in quoted)]
            weights = sum(weight for _, _, weight, _ in hits)
            if whole_lexicon and weights > 0:
                # every lexicon cue is 0 for a paragraph without a hit, so its push is coef * raw / scale
                cues = [i for name, i in names.items() if name.startswith("lex:") or name in self._LEXICON_PUSH]
                push = float(sum(coef[offset + i] * self.style_weight * raw[i] / style.scale_[i] for i in cues))
                found.extend((start, end, push * weight / weights) for start, end, weight, _ in hits)
            else:
                found.extend((start, end, weight * (slope(f"lex:{category}") + total))
                             for start, end, weight, category in hits)
        for token in words:
            if token.text in INTENSIFIERS:
                found.append((token.start, token.end, slope("intensifiers")))
            elif token.text in SUPERLATIVES:
                found.append((token.start, token.end, slope("superlatives")))
        if evidence > 0:
            shouting = shouting_words(text, tokens)
            found.extend((t.start, t.end, style_slope("all_caps", len(shouting))) for t in shouting)
            marks = [match.span() for match in re.finditer("!", text)]
            found.extend((*span, style_slope("exclamations", len(marks))) for span in marks)
            if not text.isascii():
                # one slope for all: counting per emoji made a paragraph of n emoji take O(n^2) time
                emoji_slope = style_slope("emoji", count_emoji(text))
                found.extend((*match.span(), emoji_slope) for match in EMOJI_SEQUENCE.finditer(text))
        return found


def _trim_function_words(text: str, candidates):
    """N-gram candidates (start, end, weight) without a function word at their edges: "slammed the" ->
    "slammed", "A terrifying" -> "terrifying". The weight stays; only what is marked shrinks. On BABE SG1's
    marked words, word-level F1 0.298 -> 0.302 (precision 0.372 -> 0.384, recall 0.249 unchanged).
    """
    words = [t for t in tokenize(text) if t.is_word]
    by_start, by_end = {t.start: t for t in words}, {t.end: t for t in words}
    for start, end, weight in candidates:
        first, last = by_start.get(start), by_end.get(end)
        if first is not None and last is not None and first is not last:
            if first.text in FUNCTION_WORDS and last.text not in FUNCTION_WORDS:
                start = last.start
            elif last.text in FUNCTION_WORDS and first.text not in FUNCTION_WORDS:
                end = first.end
        yield start, end, weight


def merge_highlights(candidates, min_weight: float = HIGHLIGHT_MIN_WEIGHT,
                     limit: int = HIGHLIGHT_MAX) -> list[Highlight]:
    """Join overlapping positive spans into phrases; keep the strongest.

    >>> merge_highlights([(0, 5, 0.3), (3, 9, 0.4), (20, 25, 0.01)])
    [Highlight(start=0, end=9, weight=0.7)]
    """
    spans = sorted((s, e, w) for s, e, w in candidates if w > 0 and e > s)
    merged: list[list] = []
    for start, end, weight in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += weight
        else:
            merged.append([start, end, weight])
    kept = [Highlight(s, e, round(w, 4)) for s, e, w in merged if w >= min_weight]
    kept.sort(key=lambda h: (-h.weight, h.start))
    return kept[:limit]
