"""score_document: the one entry point from a document to its scores.

The CLI and the service are thin edges over this function: they parse their
input, call it, and serialise each outcome with `result_line`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .html import HtmlTooDeep, parse_html
from .loaded import SCORE_PLACES, merge_highlights
from .model import LuridModel
from .text import Document, split_text

# Paragraphs shorter than this many words (headings, labels) count for little
# in the document score: their score says little about the article's tone.
SHORT_PARAGRAPH_WORDS = 6
# Seconds one document may take, by default (see ScoringConfig.time_budget). Within the default limits the
# heaviest single HTML document measured (nested markup, read by trafilatura) took 1.7 s of CPU (docs/fuzzing.md).
TIME_BUDGET_DEFAULT = 10.0
# Paragraphs one document may have, by default (see ScoringConfig.max_paragraphs). Articles have tens to a
# few hundred; 5,000 one-word paragraphs take about a second on one core.
MAX_PARAGRAPHS_DEFAULT = 5000
# The models run over groups of whole documents of at most this many paragraphs: a batch of 64 articles is
# one group, and a call's deadline is checked between groups, so no model call runs long.
GROUP_PARAGRAPHS = 5000
# The clock the budget is measured on; tests replace it.
clock = time.monotonic


class InputError(ValueError):
    """A document that cannot be scored; `code` is machine-readable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ScoringConfig:
    """Options for one scoring call. `threshold=None` means the model's default."""

    threshold: float | None = None
    highlights: bool = True
    clean: bool = False
    max_chars: int | None = None  # refuse documents longer than this
    # Refuse documents that split into more paragraphs than this, before any model work: the model's cost
    # grows with the number of paragraphs, and one-character lines make many from few characters.
    max_paragraphs: int | None = None
    # Seconds of work one document may cost, None for no limit. It is checked between steps: after the
    # document is parsed, after its group's model calls (their time shared out by paragraph count), and
    # before each paragraph's highlights. No single step is unbounded, because the input size is
    # (max_chars, max_paragraphs, groups). A document over budget gets `time_budget_exceeded`.
    time_budget: float | None = None

    def __post_init__(self):
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise InputError("invalid_threshold", f"threshold must be between 0 and 1, got {self.threshold}")
        if self.time_budget is not None and not self.time_budget > 0:
            raise InputError("invalid_time_budget", f"time_budget must be a positive number of seconds, "
                             f"got {self.time_budget}")


@dataclass(frozen=True)
class HighlightSpan:
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class ParagraphScore:
    index: int
    start: int
    end: int
    kind: str  # "article" or "junk"
    sensationalism: float
    highlights: tuple[HighlightSpan, ...]


@dataclass(frozen=True)
class JunkBlockSpan:
    start: int
    end: int
    first_paragraph: int
    paragraph_count: int
    confidence: float


@dataclass(frozen=True)
class DocumentScore:
    sensationalism: float
    flagged: bool
    threshold: float
    paragraphs: tuple[ParagraphScore, ...]
    junk_block: JunkBlockSpan | None
    model: str
    text: str | None = None  # the extracted text, for HTML input
    clean_text: str | None = None

    def to_dict(self) -> dict:
        """The result fields of a `score` output line, in contract order."""
        result = {
            "sensationalism": self.sensationalism,
            "flagged": self.flagged,
            "threshold": self.threshold,
            "paragraphs": [
                {"index": p.index, "start": p.start, "end": p.end, "kind": p.kind,
                 "sensationalism": p.sensationalism,
                 "highlights": [{"start": h.start, "end": h.end, "weight": h.weight} for h in p.highlights]}
                for p in self.paragraphs
            ],
            "junk_block": None if self.junk_block is None else {
                "start": self.junk_block.start, "end": self.junk_block.end,
                "first_paragraph": self.junk_block.first_paragraph,
                "paragraph_count": self.junk_block.paragraph_count,
                "confidence": self.junk_block.confidence,
            },
            "model": self.model,
        }
        if self.text is not None:
            result["text"] = self.text
        if self.clean_text is not None:
            result["clean_text"] = self.clean_text
        return result


RESULT_FIELDS = frozenset({"id", "sensationalism", "flagged", "threshold", "paragraphs", "junk_block",
                           "model", "text", "clean_text", "error"})


def reject_constant(name: str):
    """NaN, Infinity and -Infinity are not JSON, though Python's json reads them (json.loads' `parse_constant`)."""
    raise ValueError(f"{name} is not a JSON value")


def bounded_int(text: str) -> int:
    """A JSON integer; one too long for Python to read (over 4,300 digits) is refused in JSON's words,
    not Python's ("use sys.set_int_max_str_digits()")."""
    digits = len(text) - text.startswith("-")
    if digits > 4300:
        raise ValueError(f"a number of {digits} digits is too long to read")
    return int(text)


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object's pairs as a dict, refusing a key sent twice (json.loads' `object_pairs_hook`).

    Parsers disagree on which of two values wins, so one would be lost without a word. The ValueError
    reads as any other invalid JSON does, in the CLI and in the service.

    >>> unique_keys([("id", 1), ("text", "a"), ("text", "b")])
    Traceback (most recent call last):
    ValueError: the key 'text' appears twice in one object
    """
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return found


def result_line(record_id, outcome: DocumentScore | InputError, extra: dict | None = None) -> dict:
    """One output object: what a `score` line and a service result both are.

    `id` comes first, then, for a scored document, any `extra` input fields
    whose names are not result fields, then the result fields; a document
    that could not be scored gets `{"id", "error": {"code", "message"}}`.
    Both edges build their objects here so that they cannot drift apart.

    >>> result_line("a", InputError("missing_field", "give exactly one of 'text' or 'html'"))
    {'id': 'a', 'error': {'code': 'missing_field', 'message': "give exactly one of 'text' or 'html'"}}
    """
    if isinstance(outcome, InputError):
        return {"id": record_id, "error": {"code": outcome.code, "message": outcome.message}}
    line = {"id": record_id}
    if extra:
        line.update({k: v for k, v in extra.items() if k not in RESULT_FIELDS})
    line.update(outcome.to_dict())
    return line


def document_score(probabilities, paragraphs, junk_start: int) -> float:
    """Word-weighted mean of the article paragraphs' scores (0 with no article text)."""
    weights = []
    for paragraph in paragraphs[:junk_start]:
        words = paragraph.text.count(" ") + 1
        weights.append(words if words >= SHORT_PARAGRAPH_WORDS else 0.1 * words)
    if not weights:
        return 0.0
    return float(np.average(probabilities[:junk_start], weights=weights))


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


def json_type(value) -> str:
    """What a decoded JSON value was, in JSON's words ("an array", not "list")."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def parse_document(text: str | None = None, html: str | None = None, max_chars: int | None = None,
                   max_paragraphs: int | None = None) -> Document:
    """Check the input and split it into paragraphs."""
    if text is None and html is None:
        raise InputError("missing_field", "give exactly one of 'text' or 'html'")
    if text is not None and html is not None:
        raise InputError("invalid_field", "give exactly one of 'text' or 'html', not both")
    field_name, value = ("text", text) if html is None else ("html", html)
    if not isinstance(value, str):
        raise InputError("invalid_field", f"'{field_name}' must be a string, not {json_type(value)}")
    if max_chars is not None and len(value) > max_chars:
        raise InputError("too_large", f"'{field_name}' has {len(value)} characters; the limit is {max_chars}")
    try:
        document = split_text(value) if html is None else parse_html(value, strict=True)
    except HtmlTooDeep as error:
        raise InputError("html_too_deep", str(error)) from None
    if max_paragraphs is not None and len(document.paragraphs) > max_paragraphs:
        raise InputError("too_many_paragraphs", f"the document splits into {len(document.paragraphs)} paragraphs; "
                         f"the limit is {max_paragraphs}: send it in smaller parts")
    return document


def score_document(model: LuridModel, text: str | None = None, html: str | None = None,
                   config: ScoringConfig = ScoringConfig()) -> DocumentScore:
    """Score one document given as plain text or as HTML; raises InputError on bad input."""
    (result,) = score_documents(model, [{"text": text, "html": html}], config)
    if isinstance(result, InputError):
        raise result
    return result


def score_documents(model: LuridModel, documents: list[dict], config: ScoringConfig = ScoringConfig(),
                    deadline: float | None = None) -> list[DocumentScore | InputError]:
    """Score many documents ({"text": ...} or {"html": ...}) in order.

    Bad documents come back as InputError in their place, so one bad record
    costs nothing to the others. The models run over groups of whole
    documents (GROUP_PARAGRAPHS paragraphs at most), not per document: that
    is where the time goes. `deadline`, a `clock()` reading, bounds the whole
    call: documents not scored by then get `time_budget_exceeded`.
    """
    parsed: list[Document | InputError] = []
    spent: list[float] = []  # seconds charged to each document so far
    for item in documents:
        # every document is parsed, even past the deadline: a document that can never be scored (too long, too
        # many paragraphs) is told so, rather than that time ran out. Parsing is bounded by the size limits.
        started = clock()
        try:
            document = parse_document(item.get("text"), item.get("html"), config.max_chars, config.max_paragraphs)
            parsed.append(document if deadline is None or clock() <= deadline else _call_over_budget(started=False))
        except InputError as error:
            parsed.append(error.with_traceback(None))  # kept as a result: see _score_group
        spent.append(clock() - started)
    results = [_within_budget(d, cost, config.time_budget) for d, cost in zip(parsed, spent)]
    for group in _groups(results):
        if deadline is not None and clock() > deadline:
            for i in group:
                results[i] = _call_over_budget(started=False)
            continue
        _score_group(model, config, group, results, spent, deadline)
    return results


def _groups(parsed: list) -> list[list[int]]:
    """Indices of the parsed documents, in order, in runs of at most GROUP_PARAGRAPHS paragraphs."""
    groups, current, size = [], [], 0
    for i, document in enumerate(parsed):
        if not isinstance(document, Document):
            continue
        count = len(document.paragraphs)
        if current and size + count > GROUP_PARAGRAPHS:
            groups.append(current)
            current, size = [], 0
        current.append(i)
        size += count
    if current:
        groups.append(current)
    return groups


def _score_group(model: LuridModel, config: ScoringConfig, group: list[int], results: list, spent: list[float],
                 deadline: float | None) -> None:
    """Score the documents at `group` in `results` (in place): one model call for all their paragraphs."""
    documents = [results[i] for i in group]
    texts = [p.text for d in documents for p in d.paragraphs]
    started = clock()
    if texts:
        features = model.loaded.features(texts)
        probabilities = model.loaded.calibrate(model.loaded.classifier_.decision_function(features))
    else:
        features, probabilities = None, np.zeros(0)
    blocks = model.junk.find_many([(d.paragraphs, d.source == "html") for d in documents])
    per_paragraph = (clock() - started) / max(len(texts), 1)
    position = 0
    for i, document, block in zip(group, documents, blocks):
        count = len(document.paragraphs)
        rows = range(position, position + count)
        position += count
        limits = [] if deadline is None else [(deadline, _call_over_budget(started=True))]
        if config.time_budget is not None:
            own = clock() + config.time_budget - spent[i] - per_paragraph * count
            limits.append((own, _over_budget(config.time_budget)))
        try:
            results[i] = _document_result(model, config, document, block, probabilities[rows.start:rows.stop],
                                          features, rows, min(limits, default=None, key=lambda limit: limit[0]))
        except InputError as error:
            # kept as a result, without its traceback: that holds the frame that raised it (with the group's
            # feature matrix), and the frame holds the error, a cycle only the garbage collector frees
            results[i] = error.with_traceback(None)


def _within_budget(document: Document | InputError, cost: float, budget: float | None) -> Document | InputError:
    if budget is None or isinstance(document, InputError) or cost <= budget:
        return document
    return _over_budget(budget)


def _over_budget(budget: float) -> InputError:
    return InputError("time_budget_exceeded", f"scoring this document took more than its time budget of "
                      f"{budget:g} s; send it in smaller parts")


def _call_over_budget(started: bool) -> InputError:
    when = "while" if started else "before"
    return InputError("time_budget_exceeded", f"the time budget of this request ran out {when} this document "
                      "was scored; send fewer or shorter documents at a time")


class _Row(NamedTuple):
    """One row of a CSR matrix, without the cost of slicing a scipy matrix."""

    indices: np.ndarray
    data: np.ndarray


def _row(matrix, i: int) -> _Row:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return _Row(matrix.indices[start:end], matrix.data[start:end])


def _document_result(model: LuridModel, config: ScoringConfig, document: Document, block,
                     probabilities, features, rows, limit: tuple[float, InputError] | None = None) -> DocumentScore:
    """One document's result; `limit` is (clock reading, error to raise once it is passed)."""
    paragraphs = document.paragraphs
    threshold = model.default_threshold if config.threshold is None else config.threshold
    junk_start = block.first_paragraph if block else len(paragraphs)
    scored = []
    for i, (paragraph, row) in enumerate(zip(paragraphs, rows)):
        if limit is not None and clock() > limit[0]:
            raise limit[1]
        highlights = ()
        if config.highlights:
            found = model.loaded.explain(paragraph.text, _row(features, row), breaks=paragraph.breaks)
            mapped = [(*paragraph.to_source_span(h.start, h.end), h.weight) for h in found]
            if paragraph.repaired:
                # repaired words map back to whole sent words, so spans may meet again: merge after mapping
                mapped = [(h.start, h.end, h.weight) for h in merge_highlights(mapped)]
            highlights = tuple(HighlightSpan(*span) for span in mapped)
        scored.append(ParagraphScore(
            index=i, start=paragraph.start, end=paragraph.end,
            kind="junk" if i >= junk_start else "article",
            sensationalism=round(float(probabilities[i]), SCORE_PLACES), highlights=highlights,
        ))
    junk_block = None
    if block:
        junk_block = JunkBlockSpan(start=paragraphs[junk_start].start, end=len(document.text),
                                   first_paragraph=junk_start, paragraph_count=block.paragraph_count,
                                   confidence=block.confidence)
    score = round(document_score(probabilities, paragraphs, junk_start), SCORE_PLACES)
    clean_text = None
    if config.clean:
        clean_text = document.text[: junk_block.start].rstrip() if junk_block else document.text
    return DocumentScore(
        sensationalism=score,
        flagged=score >= threshold,
        threshold=threshold,
        paragraphs=tuple(scored),
        junk_block=junk_block,
        model=model.version,
        text=document.text if document.source == "html" else None,
        clean_text=clean_text,
    )
