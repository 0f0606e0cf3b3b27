"""Check a `POST /v1/score` or `/v1/feed` body and turn it into documents and options.

Pure: bytes or decoded JSON in, a frozen `ScoreRequest` out, or an `ApiError`
whose message names the offending field the way a client would write it
(`documents[3].text`, `options.threshold`). A request is accepted or refused
whole: a client that sends a wrong-typed field has a bug to fix, and a
partial answer would hide it. So the results of an accepted request are all
scores, never per-document errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from classifier.scoring import ScoringConfig, bounded_int, json_type, reject_constant, unique_keys

from .config import ServiceConfig
from .errors import ApiError

DOCUMENT_FIELDS = ("id", "text", "html")
OPTION_FIELDS = ("threshold", "highlights", "clean", "offsets")
OFFSET_UNITS = ("codepoint", "utf16")
@dataclass(frozen=True)
class ScoreRequest:
    ids: tuple  # one per document, None where the client sent none
    documents: tuple[dict, ...]  # each {"text": str} or {"html": str}
    scoring: ScoringConfig
    utf16: bool  # offsets in UTF-16 code units instead of code points
    batch: bool = False  # sent as {"documents": [...]}


def parse_json_body(data: bytes):
    """Decode a JSON body; NaN and Infinity are not JSON and are refused too, and so is a key sent twice
    in one object (JSON parsers disagree on which value wins: one would be lost without a word).

    >>> parse_json_body(b'{"text": "Hi"}')
    {'text': 'Hi'}
    """
    if not data.strip():
        raise ApiError(400, "invalid_json", "the body is empty: send one JSON object")
    try:
        return json.loads(data, parse_constant=reject_constant, parse_int=bounded_int,
                          object_pairs_hook=unique_keys)
    except RecursionError:
        raise ApiError(400, "invalid_json", "the body is not valid JSON: it nests too deeply") from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ApiError(400, "invalid_json", f"the body is not valid JSON ({error}): send one JSON object") from None


def parse_score_request(body, config: ServiceConfig) -> ScoreRequest:
    """A single document (`{"text"}` / `{"html"}`, optional `id`) or a batch (`{"documents": [...]}`)."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", f"the body must be a JSON object, not {json_type(body)}: "
                       '{"text": "..."}, {"html": "..."} or {"documents": [...]}')
    options = parse_options(body.get("options", {}))
    if "documents" in body:
        _refuse_unknown(body, ("documents", "options"), "",
                        "a batch has only 'documents' and 'options'; put 'id', 'text' and 'html' in each document")
        documents = body["documents"]
        if not isinstance(documents, list):
            raise ApiError(400, "invalid_field", f"documents must be an array of objects, not {json_type(documents)}")
        if len(documents) > config.max_documents:
            raise ApiError(422, "too_many_documents", f"documents has {len(documents)} items; the limit is "
                           f"{config.max_documents}: split them into several requests")
        parsed = [parse_document(d, f"documents[{i}]", config.max_document_chars) for i, d in enumerate(documents)]
    else:
        if "text" not in body and "html" not in body:
            raise ApiError(400, "missing_field", "the body needs 'text', 'html' or 'documents'")
        single = {key: value for key, value in body.items() if key != "options"}
        parsed = [parse_document(single, "", config.max_document_chars)]
    return ScoreRequest(ids=tuple(i for i, _ in parsed), documents=tuple(d for _, d in parsed),
                        scoring=options[0], utf16=options[1], batch="documents" in body)


@dataclass(frozen=True)
class FeedRequest:
    feed: bytes  # the feed's XML, UTF-8 encoded (the JSON string was already decoded)
    scoring: ScoringConfig
    utf16: bool


def parse_feed_request(body) -> FeedRequest:
    """`{"feed": "<rss ...>", "options": {...}}`: a feed's XML as a JSON string, and the usual options."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", f"the body must be a JSON object, not {json_type(body)}: "
                       '{"feed": "<rss ...>"}')
    _refuse_unknown(body, ("feed", "options"), "", "a feed request has only 'feed' and 'options'")
    if "feed" not in body:
        raise ApiError(400, "missing_field", "the body needs 'feed': the RSS or Atom XML as a string")
    feed = body["feed"]
    if not isinstance(feed, str):
        raise ApiError(400, "invalid_field", f"feed must be a string holding the feed's XML, not {json_type(feed)}")
    scoring, utf16 = parse_options(body.get("options", {}))
    # lone surrogates are valid in JSON strings but not in UTF-8: replaced, they cannot break the parser
    return FeedRequest(feed=feed.encode("utf-8", "replace"), scoring=scoring, utf16=utf16)


def parse_document(item, where: str, max_chars: int) -> tuple:
    """(id, {"text"|"html": value}) for one document; `where` is its path ("" for a single document)."""
    if not isinstance(item, dict):
        raise ApiError(400, "invalid_field",
                       f"{where} must be an object with 'text' or 'html', not {json_type(item)}")
    _refuse_unknown(item, DOCUMENT_FIELDS + (() if where else ("options",)), where,
                    "a document has 'id' and one of 'text' or 'html'")
    # null is absent, as in `score` (JSONL writers emit "html": null for a field a record lacks)
    present = [name for name in ("text", "html") if item.get(name) is not None]
    if not present:
        raise ApiError(400, "missing_field", f"{where or 'the body'} needs a 'text' or 'html' field (a string; "
                       "null counts as absent)")
    if len(present) == 2:
        raise ApiError(400, "invalid_field", f"{where or 'the body'} has both 'text' and 'html': send one of them")
    (name,) = present
    value = item[name]
    if not isinstance(value, str):
        raise ApiError(400, "invalid_field", f"{_path(where, name)} must be a string, not {json_type(value)}")
    if len(value) > max_chars:
        raise ApiError(413, "document_too_large", f"{_path(where, name)} has {len(value)} characters; the limit is "
                       f"{max_chars}: send a shorter document")
    record_id = item.get("id")
    # JSON Schema counts 1.0 as an integer, and so does the OpenAPI document: accept it, echo it as sent
    integral = isinstance(record_id, int) or (isinstance(record_id, float) and record_id.is_integer())
    if record_id is not None and (isinstance(record_id, bool) or not (isinstance(record_id, str) or integral)):
        raise ApiError(400, "invalid_field",
                       f"{_path(where, 'id')} must be a string or an integer, not {json_type(record_id)}")
    return record_id, {name: value}


def parse_options(options) -> tuple[ScoringConfig, bool]:
    """(scoring config, utf16?) from the `options` object."""
    if not isinstance(options, dict):
        raise ApiError(400, "invalid_field", f"options must be an object, not {json_type(options)}")
    _refuse_unknown(options, OPTION_FIELDS, "options", f"the options are {', '.join(OPTION_FIELDS)}")
    threshold = options.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0.0 <= threshold <= 1.0):
        raise ApiError(400, "invalid_field", f"options.threshold must be a number between 0 and 1, got "
                       f"{json.dumps(threshold)[:40]}")
    flags = {}
    for name, default in (("highlights", True), ("clean", False)):
        flags[name] = options.get(name, default)
        if not isinstance(flags[name], bool):
            raise ApiError(400, "invalid_field",
                           f"options.{name} must be true or false, not {json_type(flags[name])}")
    offsets = options.get("offsets", "codepoint")
    if offsets not in OFFSET_UNITS:
        raise ApiError(400, "invalid_field",
                       f"options.offsets must be \"codepoint\" or \"utf16\", got {json.dumps(offsets)[:40]}")
    threshold = None if threshold is None else float(threshold) + 0.0  # -0 is 0, as in the CLI
    return ScoringConfig(threshold=threshold, **flags), offsets == "utf16"


def _refuse_unknown(item: dict, allowed: tuple, where: str, hint: str) -> None:
    for key in item:
        if key not in allowed:
            raise ApiError(400, "unknown_field", f"unknown field {_path(where, key)}: {hint}")


def _path(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
