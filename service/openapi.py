"""The OpenAPI 3.1 description served at `/openapi.json`, written by hand.

It is built from the running configuration, so the limits it states
(`maxItems`, `maxLength`) and whether a bearer key is required are the ones
this server applies. tests/test_service_openapi.py checks every response the
tests get against it, and runs schemathesis over it.
"""

from __future__ import annotations

from classifier import __version__
from classifier.card import MODEL_NAME

from .config import ServiceConfig
from .payload import OFFSET_UNITS

ERROR_CODES = ["invalid_json", "invalid_body", "missing_field", "invalid_field", "unknown_field",
               "too_many_documents", "document_too_large", "body_too_large", "invalid_feed", "unsupported_media_type",
               "unauthorized", "not_found", "method_not_allowed", "http_error", "internal_error",
               "too_many_paragraphs", "time_budget_exceeded", "rate_limited", "html_too_deep", "length_required"]
JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Error"), description)


def _schemas(config: ServiceConfig) -> dict:
    text = {"type": ["string", "null"], "maxLength": config.max_document_chars,
            "description": "plain text; offsets point into it as sent (null counts as absent)"}
    html = {"type": ["string", "null"], "maxLength": config.max_document_chars,
            "description": "HTML; the result carries the extracted `text`, and offsets point into that (null "
                           "counts as absent)"}
    document_id = {"type": ["string", "integer", "null"], "description": "echoed in the result"}
    # exactly one of them is a string (the other absent or null)
    one_of_text_or_html = [{"required": [name], "properties": {name: {"type": "string"}}} for name in ("text", "html")]
    span = {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}}
    probability = {"type": "number", "minimum": 0, "maximum": 1}
    result_properties = {
        "id": document_id, "sensationalism": probability, "flagged": {"type": "boolean"},
        "threshold": probability, "paragraphs": {"type": "array", "items": _ref("Paragraph")},
        "junk_block": {"oneOf": [{"type": "null"}, _ref("JunkBlock")]},
        "model": {"type": "string"},
        "text": {"type": "string", "description": "HTML input only (and every feed item): the text the "
                                                  "offsets point into"},
        "clean_text": {"type": "string", "description": "with `clean`: the text without the junk block"},
    }
    return {
        "Error": {
            "type": "object", "required": ["error"], "additionalProperties": False,
            "properties": {"error": {
                "type": "object", "required": ["code", "message"], "additionalProperties": False,
                "properties": {"code": {"type": "string", "enum": ERROR_CODES},
                               "message": {"type": "string", "description": "what went wrong and what to do"}},
            }},
        },
        "Options": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "threshold": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                              "description": "flag documents scoring at least this (default: the model's)"},
                "highlights": {"type": "boolean", "default": True},
                "clean": {"type": "boolean", "default": False, "description": "add `clean_text`"},
                "offsets": {"type": "string", "enum": list(OFFSET_UNITS), "default": "codepoint",
                            "description": "`utf16`: offsets in UTF-16 code units, as JavaScript indexes strings"},
            },
        },
        "Document": {
            "type": "object", "additionalProperties": False, "oneOf": one_of_text_or_html,
            "properties": {"id": document_id, "text": text, "html": html},
        },
        "SingleRequest": {
            "type": "object", "additionalProperties": False, "oneOf": one_of_text_or_html,
            "properties": {"id": document_id, "text": text, "html": html, "options": _ref("Options")},
        },
        "BatchRequest": {
            "type": "object", "additionalProperties": False, "required": ["documents"],
            "properties": {"documents": {"type": "array", "maxItems": config.max_documents,
                                         "items": _ref("Document")},
                           "options": _ref("Options")},
        },
        "ScoreRequest": {"oneOf": [_ref("SingleRequest"), _ref("BatchRequest")]},
        "Highlight": {
            "type": "object", "required": ["start", "end", "weight"], "additionalProperties": False,
            "properties": {**span, "weight": {"type": "number", "description": "contribution to the log-odds"}},
        },
        "Paragraph": {
            "type": "object", "additionalProperties": False,
            "required": ["index", "start", "end", "kind", "sensationalism", "highlights"],
            "properties": {"index": {"type": "integer", "minimum": 0}, **span,
                           "kind": {"type": "string", "enum": ["article", "junk"]},
                           "sensationalism": probability,
                           "highlights": {"type": "array", "items": _ref("Highlight")}},
        },
        "JunkBlock": {
            "type": "object", "additionalProperties": False,
            "required": ["start", "end", "first_paragraph", "paragraph_count", "confidence"],
            "properties": {**span, "first_paragraph": {"type": "integer", "minimum": 0},
                           "paragraph_count": {"type": "integer", "minimum": 1}, "confidence": probability},
        },
        "ScoreResult": {
            "description": "exactly the fields of a `score` CLI output line",
            "type": "object", "additionalProperties": False,
            "required": ["id", "sensationalism", "flagged", "threshold", "paragraphs", "junk_block", "model"],
            "properties": result_properties,
        },
        "FeedRequest": {
            "type": "object", "additionalProperties": False, "required": ["feed"],
            "properties": {"feed": {"type": "string", "description": "the RSS or Atom XML, as a string"},
                           "options": _ref("Options")},
        },
        "FeedItemResult": {
            "description": "a scored item: the ScoreResult fields plus `title` and `url`, and always `text`, "
                           "the text its offsets point into; or, for an item that cannot be scored, "
                           "`{\"id\", \"title\", \"url\", \"error\"}` in its place",
            "oneOf": [
                {"type": "object", "additionalProperties": False,
                 "required": ["id", "title", "url", "sensationalism", "flagged", "threshold", "paragraphs",
                              "junk_block", "model", "text"],
                 "properties": {"title": {"type": ["string", "null"]},
                                "url": {"type": ["string", "null"], "description": "http(s) links only"},
                                **result_properties}},
                {"type": "object", "additionalProperties": False, "required": ["id", "title", "url", "error"],
                 "properties": {"id": {"type": "string"}, "title": {"type": ["string", "null"]},
                                "url": {"type": ["string", "null"]}, "error": {
                     "type": "object", "required": ["code", "message"], "additionalProperties": False,
                     "properties": {"code": {"type": "string", "enum": ["empty_item", "document_too_large",
                                                                       "too_many_paragraphs", "time_budget_exceeded",
                                                                       "html_too_deep"]},
                                    "message": {"type": "string"}}}}},
            ],
        },
        "FeedResponse": {
            "type": "object", "required": ["model", "feed", "results"], "additionalProperties": False,
            "properties": {
                "model": _ref("ModelRef"),
                "feed": {"type": "object", "additionalProperties": False,
                         "required": ["title", "format", "items", "error"],
                         "properties": {
                             "title": {"type": ["string", "null"]},
                             "format": {"type": "string", "description": "rss20, atom10, rss10..."},
                             "items": {"type": "integer", "minimum": 0},
                             "error": {"oneOf": [{"type": "null"}, {
                                 "type": "object", "required": ["code", "message"], "additionalProperties": False,
                                 "description": "the feed broke part-way: the items before the break are scored",
                                 "properties": {"code": {"const": "malformed_feed"},
                                                "message": {"type": "string"}}}]}}},
                "results": {"type": "array", "items": _ref("FeedItemResult"),
                            "description": "one per item, in feed order"},
            },
        },
        "ModelRef": {
            "type": "object", "required": ["name", "version"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "const": MODEL_NAME}, "version": {"type": "string"}},
        },
        "ScoreResponse": {
            "type": "object", "required": ["model", "results"], "additionalProperties": False,
            "properties": {"model": _ref("ModelRef"),
                           "results": {"type": "array", "items": _ref("ScoreResult"),
                                       "description": "one per document, in input order"}},
        },
        "ModelCard": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "version", "default_threshold", "thresholds", "training_corpora",
                         "held_out_metrics"],
            "properties": {
                "name": {"type": "string"}, "version": {"type": "string"},
                "format_version": {"type": ["integer", "null"]}, "sha256": {"type": ["string", "null"]},
                "profile": {"type": ["string", "null"]}, "default_threshold": probability,
                "thresholds": {"type": "object", "additionalProperties": {
                    "type": "object", "required": ["threshold", "use"],
                    "properties": {"threshold": probability, "use": {"type": "string"}}}},
                "training_corpora": {"type": "array", "items": {
                    "type": "object", "required": ["path", "sha256", "licence"],
                    "properties": {"path": {"type": "string"}, "sha256": {"type": "string"},
                                   "licence": {"type": "string"}, "used_for": {"type": "string"}}}},
                "held_out_metrics": {"type": "object"},
                "libraries": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "Health": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}},
        "Ready": {"type": "object", "required": ["status", "model"],
                  "properties": {"status": {"const": "ready"}, "model": _ref("ModelRef")}},
    }


def openapi_document(config: ServiceConfig) -> dict:
    protected = [{"bearerAuth": []}] if config.api_keys else []
    unauthorized = {"401": _error("missing or invalid API key")} if config.api_keys else {}
    other_errors = {"default": _error("any other error (404, 405, 500): the same JSON error object")}
    limited = {"429": _error(f"more requests from this client on /v1/ than the limit ({config.rate_limit}); "
                             "see Retry-After")} if config.rate_limit else {}
    return {
        "openapi": "3.1.0",
        "info": {"title": "lurid scoring service", "version": __version__,
                 "description": "Scores English text for loaded, sensational language and finds appended "
                                "junk-link blocks (scores of other languages mean little; see the README). "
                                "Every error is `{\"error\": {\"code\", \"message\"}}`. Every answer carries an "
                                "`X-Request-ID` header (the client's own, when it sent a short token), which "
                                "the server's request log also records."},
        "paths": {
            "/v1/score": {"post": {
                "summary": "Score one document or a batch",
                "description": "A request is accepted or refused whole: any bad field refuses it, naming "
                               "the field (`documents[3].text`), so results never hold per-document errors.",
                "security": protected,
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("ScoreRequest")}}},
                "responses": {
                    "200": _json(_ref("ScoreResponse"), "one result per document, in input order"),
                    "400": _error("malformed JSON, or a missing, unknown or wrong-typed field (named)"),
                    **unauthorized,
                    "413": _error(f"body over {config.max_body_bytes} bytes, or a document over "
                                  f"{config.max_document_chars} characters or {config.max_paragraphs} "
                                  "paragraphs"),
                    "411": _error("an HTTP/1.0 request without a Content-Length: its body cannot be read"),
                    "415": _error("the body is not sent as application/json"),
                    "422": _error(f"more than {config.max_documents} documents, or HTML nested more than "
                                  "2,048 elements deep (`html_too_deep`, naming the document)"),
                    **limited,
                    "503": _error(f"a document, or a batch as a whole, took more than the time budget of "
                                  f"{config.time_budget:g} s (`time_budget_exceeded`, naming the document); "
                                  "see Retry-After"),
                    **other_errors,
                },
            }},
            "/v1/feed": {"post": {
                "summary": "Score every item of an RSS or Atom feed",
                "description": "The feed's XML is sent as a JSON string; the server fetches nothing. Feeds "
                               "that declare XML entities are refused. An item that cannot be scored gets an "
                               "error result in its place; a feed broken part-way is scored up to the break "
                               "and says so in `feed.error`.",
                "security": protected,
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("FeedRequest")}}},
                "responses": {
                    "200": _json(_ref("FeedResponse"), "one result per item, in feed order"),
                    "400": _error("malformed JSON, a missing, unknown or wrong-typed field, or not a feed "
                                  "(`invalid_feed`)"),
                    **unauthorized,
                    "413": _error(f"body over {config.max_body_bytes} bytes"),
                    "411": _error("an HTTP/1.0 request without a Content-Length: its body cannot be read"),
                    "415": _error("the body is not sent as application/json"),
                    "422": _error(f"a feed of more than {config.max_feed_items} items"),
                    **limited,
                    **other_errors,
                },
            }},
            "/v1/model": {"get": {
                "summary": "The model card", "security": protected,
                "responses": {"200": _json(_ref("ModelCard"), "version, training corpora, metrics, thresholds"),
                              **unauthorized, **limited, **other_errors},
            }},
            "/healthz": {"get": {"summary": "The process is alive",
                                 "responses": {"200": _json(_ref("Health"), "alive"), **other_errors}}},
            "/readyz": {"get": {"summary": "The model is loaded and verified",
                                "responses": {"200": _json(_ref("Ready"), "ready to score"), **other_errors}}},
            "/metrics": {"get": {
                "summary": "Prometheus metrics",
                "responses": {"200": {"description": "Prometheus text exposition format",
                                      "content": {"text/plain": {"schema": {"type": "string"}}}},
                              **other_errors},
            }},
            "/openapi.json": {"get": {"summary": "This document",
                                      "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1"),
                                                    **other_errors}}},
        },
        "components": {
            "schemas": _schemas(config),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "a key from LURID_API_KEYS"}},
        },
    }
