"""The Flask service through its test client: each endpoint, each error, CORS, API keys."""

import gzip
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.model import DEFAULT_ARTIFACT, ModelError, manifest_path
from service.config import ServiceConfig

SEED = json.loads((Path(__file__).parent / "golden" / "seed_emoji.json").read_text(encoding="utf-8"))
LOADED = "Shameless officials rammed through a terrifying, catastrophic plan that will gut our town!"
NEUTRAL = "The council approved the budget on Tuesday by seven votes to four, officials said."
CHROME_ORIGIN = "chrome-extension://" + "abcdefghijklmnop" * 2
FIREFOX_ORIGIN = "moz-extension://0f6e3a2c-9b1d-4c7e-8a5f-1d2e3f4a5b6c"


def score(client, body, **headers):
    return client.post("/v1/score", json=body, headers=headers)


def assert_error(response, status: int, code: str, mentions: str = ""):
    """Every error is exactly {"error": {"code", "message"}}, JSON, with the right status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert mentions in body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)


# --- scoring ---------------------------------------------------------------------------------------------

def test_single_text_document(client):
    response = score(client, {"text": LOADED})
    assert response.status_code == 200
    body = response.get_json()
    assert body["model"] == {"name": "lurid", "version": body["results"][0]["model"]}
    (result,) = body["results"]
    assert list(result)[:3] == ["id", "sensationalism", "flagged"]  # the CLI's order, id first
    assert result["id"] is None and result["flagged"] is True
    assert result["paragraphs"][0]["highlights"]


def test_seed_document_gets_highlights_and_its_junk_block(client):
    response = score(client, {"id": "seed", "text": SEED["input"], "options": {"clean": True}})
    (result,) = response.get_json()["results"]
    assert result["id"] == "seed"
    assert result["junk_block"]["start"] == SEED["input"].rindex(SEED["block_starts_at"])
    assert result["clean_text"] == SEED["input"][:result["junk_block"]["start"]].rstrip()
    assert any(p["highlights"] for p in result["paragraphs"] if p["kind"] == "article")


def test_html_document_carries_its_extracted_text(client):
    (result,) = score(client, {"html": "<p>One paragraph.</p><p>Two.</p>"}).get_json()["results"]
    assert result["text"] == "One paragraph.\n\nTwo."


def test_batch_keeps_order_and_echoes_ids(client):
    documents = [{"id": 7, "text": NEUTRAL}, {"id": "b", "text": LOADED}, {"html": f"<p>{NEUTRAL}</p>"},
                 {"id": "last", "text": ""}]
    results = score(client, {"documents": documents}).get_json()["results"]
    assert [r["id"] for r in results] == [7, "b", None, "last"]
    assert results[1]["sensationalism"] > results[0]["sensationalism"]
    assert "text" in results[2] and "text" not in results[0]
    assert results[3]["paragraphs"] == []
    assert score(client, {"documents": []}).get_json()["results"] == []


def test_results_are_exactly_the_cli_lines(client):
    """The service and `score` share result_line: same input, same object."""
    records = [{"id": "a", "text": SEED["input"]}, {"id": 2, "html": "<p>A <b>shocking</b> plan.</p>"}]
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", "--input-format", "jsonl"],
                               input="".join(json.dumps(r) + "\n" for r in records).encode(),
                               capture_output=True, timeout=300, check=True)
    cli_lines = [json.loads(line) for line in completed.stdout.splitlines()]
    for line in cli_lines:
        line.pop("html", None)  # the CLI copies input fields it does not know; "html" is one of them
    assert score(client, {"documents": records}).get_json()["results"] == cli_lines


def test_options(client):
    (low,) = score(client, {"text": NEUTRAL, "options": {"threshold": 0.0}}).get_json()["results"]
    assert low["threshold"] == 0.0 and low["flagged"] is True
    negative_zero = score(client, {"text": NEUTRAL, "options": {"threshold": -0.0}}).get_data(as_text=True)
    assert '"threshold":0.0' in negative_zero and "-0.0" not in negative_zero  # as the CLI echoes it
    (plain,) = score(client, {"text": LOADED, "options": {"highlights": False}}).get_json()["results"]
    assert all(p["highlights"] == [] for p in plain["paragraphs"])
    (default,) = score(client, {"text": LOADED}).get_json()["results"]
    assert "clean_text" not in default and default["threshold"] == 0.5


def test_utf16_offsets_count_emoji_twice(client):
    text = "😱😱 " + LOADED
    (points,) = score(client, {"text": text}).get_json()["results"]
    (units,) = score(client, {"text": text, "options": {"offsets": "utf16"}}).get_json()["results"]
    encoded = text.encode("utf-16-le")
    assert units["paragraphs"][0]["end"] == len(encoded) // 2 == len(text) + 2
    for p_high, u_high in zip(points["paragraphs"][0]["highlights"], units["paragraphs"][0]["highlights"]):
        as_javascript_slices = encoded[2 * u_high["start"]:2 * u_high["end"]].decode("utf-16-le")
        assert as_javascript_slices == text[p_high["start"]:p_high["end"]]
    assert any(u["start"] != p["start"] for p, u in zip(points["paragraphs"][0]["highlights"],
                                                         units["paragraphs"][0]["highlights"]))


# --- errors ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, code, mentions", [
    ([1, 2], "invalid_body", "JSON object"),
    ({}, "missing_field", "'text', 'html' or 'documents'"),
    ({"text": 5}, "invalid_field", "text must be a string"),
    ({"text": "a", "html": "b"}, "invalid_field", "both"),
    ({"id": [1], "text": "a"}, "invalid_field", "id must be a string or an integer"),
    ({"text": "a", "source": "feed"}, "unknown_field", "source"),
    ({"documents": "many"}, "invalid_field", "documents must be an array"),
    ({"documents": [{"text": "a"}, 3]}, "invalid_field", "documents[1] must be an object"),
    ({"documents": [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"html": 7}]}, "invalid_field",
     "documents[3].html must be a string"),
    ({"documents": [{"id": "x"}]}, "missing_field", "documents[0] needs a 'text' or 'html'"),
    # null is absent, as in `score`: no field left is a missing field, not a "must be a string"
    ({"text": None}, "missing_field", "the body needs a 'text' or 'html'"),
    ({"documents": [{"id": "x", "html": None}]}, "missing_field", "documents[0] needs a 'text' or 'html'"),
    ({"documents": [{"id": 1.5, "text": "a"}]}, "invalid_field", "documents[0].id"),
    ({"documents": [{"id": True, "text": "a"}]}, "invalid_field", "documents[0].id"),
    ({"documents": [{"text": "a", "url": "x"}]}, "unknown_field", "documents[0].url"),
    ({"documents": [], "text": "a"}, "unknown_field", "text"),
    ({"text": "a", "options": "fast"}, "invalid_field", "options must be an object"),
    ({"text": "a", "options": {"threshold": 2}}, "invalid_field", "options.threshold"),
    ({"text": "a", "options": {"threshold": True}}, "invalid_field", "options.threshold"),
    ({"text": "a", "options": {"treshold": 0.2}}, "unknown_field", "options.treshold"),
    ({"text": "a", "options": {"clean": "yes"}}, "invalid_field", "options.clean"),
    ({"text": "a", "options": {"offsets": "bytes"}}, "invalid_field", "options.offsets"),
])
def test_bad_fields_are_400_naming_the_field(client, body, code, mentions):
    assert_error(score(client, body), 400, code, mentions)


def test_a_null_text_or_html_beside_the_other_is_absent_as_in_score(client):
    """`score` scored {"text": "...", "html": null} and the service refused it as having both."""
    response = score(client, {"text": "Shocking outrage!", "html": None})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("data", [b"{bad", b'{"text": NaN}', b'{"text": "a", "x": Infinity}', b"\xff\xfe{",
                                  b"", b"[" * 100_000, b'{"id": ' + b"1" * 5000 + b', "text": "a"}'])
def test_malformed_json_is_400(client, data):
    assert_error(client.post("/v1/score", data=data, content_type="application/json"), 400, "invalid_json")


@pytest.mark.parametrize("data, mentions", [
    (b"", "the body is empty"),
    (b'{"text": "a", "text": "b"}', "the key 'text' appears twice"),
    (b'{"documents": [{"id": 1, "text": "a", "id": 2}]}', "the key 'id' appears twice"),
])
def test_an_empty_body_or_a_key_sent_twice_is_400_saying_so(client, data, mentions):
    # with a key twice, one of its values would be scored and the other lost without a word
    assert_error(client.post("/v1/score", data=data, content_type="application/json"), 400, "invalid_json", mentions)


def test_a_compressed_body_is_415_saying_so(client):
    response = client.post("/v1/score", data=gzip.compress(b'{"text": "a"}'), content_type="application/json",
                           headers={"Content-Encoding": "gzip"})
    assert_error(response, 415, "unsupported_media_type", "uncompressed")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_not_json_is_415(client, content_type):
    response = client.post("/v1/score", data=b'{"text": "a"}', content_type=content_type)
    assert_error(response, 415, "unsupported_media_type", "application/json")


def test_limits(make_app):
    client = make_app(max_documents=3, max_document_chars=20, max_body_bytes=400).test_client()
    assert_error(score(client, {"documents": [{"text": "a"}] * 4}), 422, "too_many_documents", "limit is 3")
    assert score(client, {"documents": [{"text": "a"}] * 3}).status_code == 200
    too_long = {"documents": [{"text": "short"}, {"text": "x" * 21}]}
    assert_error(score(client, too_long), 413, "document_too_large", "documents[1].text has 21 characters")
    assert score(client, {"text": "😱" * 20}).status_code == 200  # characters, not bytes
    assert_error(score(client, {"text": "y" * 500}), 413, "body_too_large", "400 bytes")


def test_unknown_path_and_wrong_method_are_json(client):
    assert_error(client.get("/nowhere"), 404, "not_found", "/openapi.json")
    response = client.get("/v1/score")
    assert_error(response, 405, "method_not_allowed", "use POST")
    assert "POST" in response.headers["Allow"]
    assert_error(client.post("/healthz"), 405, "method_not_allowed", "use GET")


def test_unexpected_failure_is_a_json_500_and_is_logged(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr("service.api.score_documents", broken)
    with caplog.at_level(logging.ERROR):
        response = score(client, {"text": "a"})
    assert_error(response, 500, "internal_error", "logged")
    assert "exploded" not in response.get_data(as_text=True)
    assert "model exploded" in caplog.text


# --- CORS ------------------------------------------------------------------------------------------------

def preflight(client, origin):
    return client.options("/v1/score", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "content-type, authorization"})


@pytest.mark.parametrize("origin", [CHROME_ORIGIN, FIREFOX_ORIGIN])
def test_preflight_from_the_extension_is_allowed(client, origin):
    response = preflight(client, origin)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "authorization"} <= allowed
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("origin", ["https://evil.example", CHROME_ORIGIN + ".evil.example",
                                    "https://moderation.example.org.evil.example", "chrome-extension://short"])
def test_other_origins_get_no_cors_headers(make_app, origin):
    client = make_app(allowed_origins=("https://moderation.example.org",)).test_client()
    assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers


def test_configured_origin_is_allowed_and_errors_carry_cors_headers(make_app):
    client = make_app(allowed_origins=("https://moderation.example.org",)).test_client()
    origin = "https://moderation.example.org"
    assert preflight(client, origin).headers["Access-Control-Allow-Origin"] == origin
    response = client.post("/v1/score", json={"text": 5}, headers={"Origin": CHROME_ORIGIN})
    assert response.status_code == 400  # the extension can read why
    assert response.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN


@pytest.mark.parametrize("headers", [{}, {"Origin": CHROME_ORIGIN}, {"Origin": "https://evil.example"}])
def test_every_v1_answer_varies_by_origin(client, headers):
    # with or without CORS headers: a shared cache must not give one origin's copy to another
    for response in (client.get("/v1/model", headers=headers), client.post("/v1/score", json={}, headers=headers)):
        assert "Origin" in response.vary


# --- API keys --------------------------------------------------------------------------------------------

def test_api_keys(make_app, caplog):
    keys = ("first-key-0123456789", "second-key-9876543210")
    client = make_app(api_keys=keys).test_client()
    with caplog.at_level(logging.DEBUG):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {keys[0]}"},
                        {"Authorization": "Bearer"}, {"Authorization": f"Bearer {keys[0]}x"}):
            response = score(client, {"text": "a"}, **headers)
            assert_error(response, 401, "unauthorized", "Authorization: Bearer")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            assert_error(client.get("/v1/model", headers=headers), 401, "unauthorized")
    assert score(client, {"text": "a"}, Authorization=f"Bearer {keys[1]}").status_code == 200
    assert client.get("/v1/model", headers={"Authorization": f"bearer {keys[0]}"}).status_code == 200
    for open_path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
        assert client.get(open_path).status_code == 200
    assert preflight(client, CHROME_ORIGIN).status_code == 200  # a preflight never carries the key
    assert not any(key in caplog.text for key in keys)
    assert not any(key in repr(ServiceConfig(api_keys=keys)) for key in keys)


def test_without_keys_no_authorization_is_needed(client):
    assert score(client, {"text": "a"}).status_code == 200


# --- model card, probes, metrics -------------------------------------------------------------------------

def test_model_card(client, model):
    card = client.get("/v1/model").get_json()
    assert card["name"] == "lurid" and card["version"] == model.version
    assert card["default_threshold"] == model.default_threshold
    assert set(card["thresholds"]) >= {"extension", "triage", "default"}
    assert "precision" in card["thresholds"]["extension"]["use"] and "recall" in card["thresholds"]["triage"]["use"]
    assert card["thresholds"]["triage"]["threshold"] <= card["thresholds"]["extension"]["threshold"]
    assert card["training_corpora"] and all(len(c["sha256"]) == 64 and c["licence"] for c in card["training_corpora"])
    assert "roc_auc" in card["held_out_metrics"]["paragraph"]


def test_probes(client, model):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready", "model": {"name": "lurid", "version": model.version}}


def test_metrics_count_requests_documents_and_junk_blocks(client):
    score(client, {"documents": [{"text": SEED["input"]}, {"text": NEUTRAL}]})
    score(client, {"text": 5})
    client.get("/no/such/page")
    client.open("/healthz", method="FOOBAR")  # any method token: counted as "other", not one series each
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'lurid_http_requests_total{method="POST",route="/v1/score",status="200"} 1.0' in text
    assert 'lurid_http_requests_total{method="POST",route="/v1/score",status="400"} 1.0' in text
    assert 'lurid_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'lurid_http_request_duration_seconds_count{route="/v1/score"} 2.0' in text
    assert 'lurid_http_request_duration_seconds_bucket{le="+Inf",route="/v1/score"} 2.0' in text
    assert 'method="FOOBAR"' not in text and 'method="other"' in text
    assert "lurid_documents_scored_total 2.0" in text
    assert "lurid_junk_blocks_found_total 1.0" in text


def test_tampered_model_stops_the_app_from_being_built(tmp_path, make_app):
    artifact = tmp_path / "lurid.joblib"
    shutil.copy(DEFAULT_ARTIFACT, artifact)
    shutil.copy(manifest_path(DEFAULT_ARTIFACT), manifest_path(artifact))
    with open(artifact, "r+b") as handle:
        handle.seek(200)
        byte = handle.read(1)
        handle.seek(200)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="does not match its manifest"):
        make_app(model_path=str(artifact))
    with pytest.raises(ModelError, match="not found"):
        make_app(model_path=str(tmp_path / "missing.joblib"))


def test_doubled_slashes_are_a_json_404_not_an_html_redirect(client):
    assert_error(client.post("/v1//score", json={"text": NEUTRAL}), 404, "not_found")


def test_an_integral_float_id_is_accepted_as_the_schema_allows(client):
    response = score(client, {"documents": [{"id": 1.0, "text": NEUTRAL}]})
    assert response.status_code == 200 and response.get_json()["results"][0]["id"] == 1.0
    assert_error(score(client, {"documents": [{"id": 1.5, "text": NEUTRAL}]}), 400, "invalid_field", "id")


# --- feeds -----------------------------------------------------------------------------------------------

FEEDS = Path(__file__).parent / "feeds"


def post_feed(client, feed, **options):
    body = {"feed": feed, "options": options} if options else {"feed": feed}
    return client.post("/v1/feed", json=body)


def test_feed_items_are_scored_in_order_with_title_url_and_text(client):
    response = post_feed(client, (FEEDS / "wire.rss").read_text(encoding="utf-8"))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["feed"] == {"title": "Lurid test wire", "format": "rss20", "items": 4, "error": None}
    results = body["results"]
    assert [r["id"] for r in results] == ["wire-0001", "https://news.example.org/tax-grab",
                                          "https://news.example.org/rainfall", "javascript:alert(1)"]
    assert [r["url"] for r in results][-1] is None  # never a javascript: link
    assert results[1]["sensationalism"] > 0.5 > results[0]["sensationalism"]
    rainfall = results[2]
    assert rainfall["text"][rainfall["junk_block"]["start"]:].startswith("Related")
    for result in results:
        for paragraph in result["paragraphs"]:
            for h in paragraph["highlights"]:
                assert paragraph["start"] <= h["start"] < h["end"] <= paragraph["end"] <= len(result["text"])


def test_feed_results_match_the_cli_lines(client):
    completed = subprocess.run([sys.executable, "-m", "classifier.cli", str(FEEDS / "harbour.atom")],
                               capture_output=True, timeout=300, check=True)
    cli_lines = [json.loads(line) for line in completed.stdout.splitlines()]
    results = post_feed(client, (FEEDS / "harbour.atom").read_text(encoding="utf-8")).get_json()["results"]
    assert results == cli_lines


def test_feed_utf16_offsets_index_the_text_as_javascript_does(client):
    feed = ('<rss version="2.0"><channel><item><guid>e</guid><description>😱😱 Shameless officials rammed '
            'through a terrifying plan!</description></item></channel></rss>')
    (result,) = post_feed(client, feed, offsets="utf16").get_json()["results"]
    units = result["text"].encode("utf-16-le")
    marked = [units[2 * h["start"]:2 * h["end"]].decode("utf-16-le") for h in result["paragraphs"][0]["highlights"]]
    assert any("terrifying" in span for span in marked) and "😱" in marked


def test_a_broken_feed_still_scores_what_parsed_and_says_so(client):
    wire = (FEEDS / "wire.rss").read_text(encoding="utf-8")
    body = post_feed(client, wire[:wire.index("<title>Rainfall")]).get_json()
    assert body["feed"]["error"]["code"] == "malformed_feed"
    assert [r.get("error", {}).get("code") for r in body["results"]] == [None, None, "empty_item"]


@pytest.mark.parametrize("body, status, code, mentions", [
    ({"feed": "not xml at all"}, 400, "invalid_feed", "RSS or Atom"),
    ({"feed": '<!DOCTYPE r [<!ENTITY a "b">]><rss version="2.0"><channel/></rss>'}, 400, "invalid_feed", "entities"),
    ({"feed": 5}, 400, "invalid_field", "feed must be a string"),
    ({}, 400, "missing_field", "'feed'"),
    ({"feed": "<rss/>", "url": "https://example.org/feed"}, 400, "unknown_field", "url"),
    ({"feed": "<rss/>", "options": {"offsets": "bytes"}}, 400, "invalid_field", "options.offsets"),
    ([], 400, "invalid_body", "JSON object"),
])
def test_bad_feed_requests_are_4xx_with_a_message(client, body, status, code, mentions):
    assert_error(client.post("/v1/feed", json=body), status, code, mentions)


def test_feed_limits(make_app):
    items = "".join(f"<item><guid>{i}</guid><title>Item {i}</title></item>" for i in range(4))
    client = make_app(max_feed_items=3, max_document_chars=30).test_client()
    assert_error(post_feed(client, f'<rss version="2.0"><channel>{items}</channel></rss>'), 422,
                 "too_many_documents", "LURID_MAX_FEED_ITEMS")
    long_item = '<rss version="2.0"><channel><item><guid>x</guid><title>Big one</title><link>https://x.example/big' \
                '</link><description>' + "word " * 20 + \
                "</description></item><item><guid>y</guid><title>Short</title></item></channel></rss>"
    long, short = post_feed(client, long_item).get_json()["results"]
    # an item that cannot be scored still says which one it was
    assert long == {"id": "x", "title": "Big one", "url": "https://x.example/big",
                    "error": {"code": "document_too_large", "message": long["error"]["message"]}}
    assert short["text"] == "Short"
    assert_error(client.post("/v1/feed", data=b"<rss/>", content_type="application/rss+xml"), 415,
                 "unsupported_media_type")
