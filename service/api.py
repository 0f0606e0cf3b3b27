"""Routes only: parse the request, call the core, return JSON.

Scoring and the shape of each result live in `classifier/` (shared with the
`score` CLI); request checking in `payload.py`; errors in `errors.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from classifier.card import MODEL_NAME, model_card
from classifier.feeds import item_error, item_line, parse_feed
from classifier.model import LuridModel
from classifier.offsets import to_utf16_offsets
from classifier import scoring as _scoring
from classifier.scoring import InputError, ScoringConfig, result_line, score_documents

from .config import ServiceConfig
from .errors import ApiError
from .metrics import ServiceMetrics
from .openapi import openapi_document
from .payload import parse_feed_request, parse_json_body, parse_score_request
from .requestlog import count_documents

blueprint = Blueprint("api", __name__)
# Seconds a client is asked to wait before retrying a request that ran out of time.
RETRY_AFTER_S = 1
# Errors the core finds in a document that no retry can fix, and their status.
DOCUMENT_REFUSALS = {"too_many_paragraphs": 413, "html_too_deep": 422}


@dataclass(frozen=True)
class ServiceState:
    """What the views need, built once per process by `create_app`."""

    config: ServiceConfig
    model: LuridModel
    metrics: ServiceMetrics


def state() -> ServiceState:
    return current_app.extensions["lurid"]


def read_body(limit: int) -> bytes:
    """The request body, refused whole when over `limit` bytes, however it was sent.

    With a Content-Length, Werkzeug refuses an oversized body before reading
    it. A chunked body has no length: Werkzeug reads up to the limit and
    stops, so one more byte tells a body that fits from one cut short. A
    malformed chunked body is a client error, not a server one.
    """
    try:
        data = request.get_data(cache=False)
        if len(data) >= limit and request.stream.read(1):
            raise RequestEntityTooLarge()
    except ClientDisconnected:  # an HTTPException too, but the client's: its body ended early
        raise ApiError(400, "invalid_body", "the request body ended before it was complete (its chunked "
                       "encoding or its Content-Length promised more): send it whole") from None
    except HTTPException:
        raise
    except Exception as error:  # the server's chunked decoder raises its own types
        raise ApiError(400, "invalid_body", f"the request body could not be read ({type(error).__name__}): "
                       "send it with a Content-Length or as valid chunked encoding") from None
    if not data and request.content_length is None and request.environ.get("SERVER_PROTOCOL") == "HTTP/1.0":
        # HTTP/1.1 says a request without a length has no body; an HTTP/1.0 client may have sent one that
        # the server cannot know the end of, so "the body is empty" would mislead it
        raise ApiError(411, "length_required", "the request has no Content-Length, so its body cannot be read "
                       "(HTTP/1.0 has no chunked encoding): send a Content-Length header")
    if request.content_length is not None and len(data) < request.content_length:
        raise ApiError(400, "invalid_body", f"the request body has {len(data)} bytes, fewer than the "
                       f"{request.content_length} its Content-Length declares: send it whole")
    return data


def limited(scoring: ScoringConfig, config: ServiceConfig) -> ScoringConfig:
    """The request's options, with the server's limits on paragraphs and time."""
    return replace(scoring, max_paragraphs=config.max_paragraphs, time_budget=config.time_budget)


def refuse_whole(outcomes: list, batch: bool) -> None:
    """The request was checked whole, so an error left is a document that cannot be read, or not in time.

    A document that can never be scored (too many paragraphs: 413; HTML nested too deep: 422) comes first.
    A time budget run out may pass on a retry when the server is less busy: a 503 with Retry-After.
    """
    errors = [(i, outcome) for i, outcome in enumerate(outcomes) if isinstance(outcome, InputError)]
    if not errors:
        return
    index, error = next(((i, e) for i, e in errors if e.code in DOCUMENT_REFUSALS), errors[0])
    message = f"documents[{index}]: {error.message}" if batch else error.message
    if error.code == "too_many_paragraphs":
        raise ApiError(413, error.code, f"{message} (LURID_MAX_PARAGRAPHS)")
    if error.code in DOCUMENT_REFUSALS:
        raise ApiError(DOCUMENT_REFUSALS[error.code], error.code, message)
    raise ApiError(503, error.code, f"{message}, or retry later", headers={"Retry-After": str(RETRY_AFTER_S)})


def request_deadline(config: ServiceConfig) -> float:
    """When this request's time budget runs out: the budget of one document bounds the whole request too."""
    return _scoring.clock() + config.time_budget


def require_json() -> None:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json' "
                       f"(got {request.mimetype or 'no Content-Type'})")
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(415, "unsupported_media_type", f"the body is sent with 'Content-Encoding: {encoding}': "
                       "compressed bodies are not accepted, send the JSON uncompressed")


@blueprint.post("/v1/score")
def score():
    require_json()
    lurid = state()
    scoring = parse_score_request(parse_json_body(read_body(lurid.config.max_body_bytes)), lurid.config)
    count_documents(len(scoring.documents))
    # a single document has its own budget; a batch also has one for the whole request
    deadline = request_deadline(lurid.config) if scoring.batch else None
    outcomes = score_documents(lurid.model, list(scoring.documents), limited(scoring.scoring, lurid.config),
                               deadline=deadline)
    refuse_whole(outcomes, scoring.batch)
    results = [result_line(record_id, outcome) for record_id, outcome in zip(scoring.ids, outcomes)]
    if scoring.utf16:
        results = [to_utf16_offsets(result, document.get("text", ""))
                   for result, document in zip(results, scoring.documents)]
    lurid.metrics.record_scores(results)
    return {"model": {"name": MODEL_NAME, "version": lurid.model.version}, "results": results}


@blueprint.post("/v1/feed")
def feed():
    """Score every item of an RSS or Atom feed sent as a JSON string.

    Unlike /v1/score, an item that cannot be scored gets an error result in
    its place: the client did not write the items and cannot fix one. A feed
    that is not well-formed is scored as far as feedparser recovers it, and
    says so in `feed.error`.
    """
    require_json()
    lurid = state()
    asked = parse_feed_request(parse_json_body(read_body(lurid.config.max_body_bytes)))
    limit = lurid.config.max_feed_items
    try:
        parsed = parse_feed(asked.feed, encoding="utf-8", max_items=limit)
    except InputError as error:
        if error.code == "too_many_documents":
            raise ApiError(422, error.code, f"{error.message} (LURID_MAX_FEED_ITEMS)") from None
        raise ApiError(400, error.code, error.message) from None
    count_documents(len(parsed.items))
    problems = [item_error(item, lurid.config.max_document_chars) for item in parsed.items]
    scorable = [item for item, problem in zip(parsed.items, problems) if problem is None]
    outcomes = iter(score_documents(lurid.model, [item.document for item in scorable],
                                    limited(asked.scoring, lurid.config), deadline=request_deadline(lurid.config)))
    results = []
    for item, problem in zip(parsed.items, problems):
        result = item_line(result_line(item.id, problem or next(outcomes), {"title": item.title, "url": item.url}),
                           item)
        if asked.utf16:
            result = to_utf16_offsets(result, result.get("text", ""))
        results.append(result)
    lurid.metrics.record_scores([r for r in results if "error" not in r])
    error = None if parsed.error is None else {"code": parsed.error.code, "message": parsed.error.message}
    return {"model": {"name": MODEL_NAME, "version": lurid.model.version},
            "feed": {"title": parsed.title, "format": parsed.format, "items": len(parsed.items), "error": error},
            "results": results}


@blueprint.get("/v1/model")
def model():
    return model_card(state().model)


@blueprint.get("/healthz")
def healthz():
    """The process is up and answering."""
    return {"status": "ok"}


@blueprint.get("/readyz")
def readyz():
    """The model is loaded and verified.

    `create_app` refuses to build an app without a verified model, and
    gunicorn preloads the app before forking workers, so any process that
    answers here can score.
    """
    version = state().model.version
    return {"status": "ready", "model": {"name": MODEL_NAME, "version": version}}


@blueprint.get("/metrics")
def metrics():
    body, content_type = state().metrics.exposition()
    return Response(body, content_type=content_type)


@blueprint.get("/openapi.json")
def openapi():
    return openapi_document(state().config)
