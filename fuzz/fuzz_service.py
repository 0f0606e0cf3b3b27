"""atheris target: the Flask app through its test client, fuzzed bodies to /v1/score and /v1/feed.

    python fuzz/fuzz_service.py CORPUS_DIR [libFuzzer options]

The first byte picks the route, the method and the Content-Type; the rest is the body. Every answer
must be JSON with the documented shape: 200 with one result per document (offsets inside the text
sent, in code points or UTF-16 units as asked), or `{"error": {"code", "message"}}` with the status
its code is documented with. A 500 is a finding. The limits are small so that a fuzz input can reach
them.
"""

import json
import sys

import atheris

with atheris.instrument_imports(include=["classifier", "service"]):
    from classifier.offsets import utf16_prefix
    from service import create_app
    from service.config import ServiceConfig
    from invariants import SERVICE_ERROR_STATUS, check_score

CONFIG = ServiceConfig(max_body_bytes=65536, max_document_chars=20000, max_documents=8, max_feed_items=16)
APP = create_app(CONFIG)
APP.logger.disabled = True  # a 500 fails the assertion below; its traceback would only fill the log
CLIENT = APP.test_client()
ROUTES = ("/v1/score", "/v1/score", "/v1/score", "/v1/feed", "/v1/feed", "/v1/model", "/v1//score", "/v1/nope")
CONTENT_TYPES = ("application/json", "application/json", "application/json; charset=utf-8", "text/plain", None)


def _to_code_points(score: dict, text: str) -> dict:
    """A result with UTF-16 offsets back in code points, checking that each offset falls between code points."""
    prefix = utf16_prefix(text).tolist()
    where = {units: points for points, units in enumerate(prefix)}

    def span(item):
        assert item["start"] in where and item["end"] in where, f"a UTF-16 offset splits a surrogate pair: {item}"
        return {**item, "start": where[item["start"]], "end": where[item["end"]]}

    converted = {**score, "paragraphs": [{**span(p), "highlights": [span(h) for h in p["highlights"]]}
                                         for p in score["paragraphs"]]}
    if score["junk_block"] is not None:
        converted["junk_block"] = span(score["junk_block"])
    return converted


def _check_result(result: dict, text: str, utf16: bool) -> None:
    if "error" in result:
        assert set(result) == {"id", "title", "url", "error"} and \
            result["error"]["code"] in ("empty_item", "document_too_large")
        return
    text = result.get("text", text)
    check_score(_to_code_points(result, text) if utf16 else result, text)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    selector, body = data[0], data[1:]
    route = ROUTES[selector % len(ROUTES)]
    method = "GET" if selector & 0x80 else "POST"
    content_type = CONTENT_TYPES[(selector >> 3) % len(CONTENT_TYPES)]
    response = CLIENT.open(route, method=method, data=body, content_type=content_type)
    assert response.is_json, (response.status_code, response.content_type)
    answer = response.get_json()
    status = response.status_code
    if status != 200:
        assert set(answer) == {"error"} and set(answer["error"]) == {"code", "message"}, answer
        code = answer["error"]["code"]
        assert SERVICE_ERROR_STATUS.get(code) == status, (status, answer)
        assert isinstance(answer["error"]["message"], str) and answer["error"]["message"]
        return
    assert method == "POST" or route == "/v1/model"
    if route == "/v1/model":
        return
    sent = json.loads(body)
    utf16 = (sent.get("options") or {}).get("offsets") == "utf16"
    assert set(answer["model"]) == {"name", "version"}
    if route == "/v1/feed":
        assert set(answer["feed"]) == {"title", "format", "items", "error"}
        assert len(answer["results"]) == answer["feed"]["items"] <= CONFIG.max_feed_items
        for result in answer["results"]:
            _check_result(result, result.get("text", ""), utf16)
        return
    documents = sent["documents"] if "documents" in sent else [sent]
    assert len(answer["results"]) == len(documents)
    for result, document in zip(answer["results"], documents):
        assert "error" not in result, "a /v1/score result holds a per-document error"
        assert result["id"] == document.get("id")
        _check_result(result, document.get("text", ""), utf16)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
