"""/openapi.json matches the behaviour: schemathesis fuzzes it, and known responses validate against it."""

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from schemathesis.config import SchemathesisConfig

from service import create_app
from service.config import ServiceConfig

SEED = json.loads((Path(__file__).parent / "golden" / "seed_emoji.json").read_text(encoding="utf-8"))
# Small limits, so that generated requests reach the 413 and 422 paths too.
FUZZED = ServiceConfig(max_documents=4, max_document_chars=2000)
# A request that breaks the schema may be refused with any of these (413: too long, 422: too many).
REFUSALS = ["400", "413", "415", "422"]

# A schema-valid /v1/feed request holds a string that is rarely an RSS or Atom feed: its 400 invalid_feed is right.
fuzzed_schema = schemathesis.openapi.from_wsgi("/openapi.json", create_app(FUZZED), config=SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
     "operations": [{"include-path": "/v1/feed", "checks": {"positive_data_acceptance": {
         "expected-statuses": ["200", "400"]}}}]}))


@fuzzed_schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_responses(case):
    """Valid and invalid generated requests: no 500, documented statuses, bodies matching their schemas."""
    case.call_and_validate()


def documented_schema(document: dict, path: str, method: str, status: int) -> dict:
    """The schema documented for this response; a method a path does not have gets the Error schema."""
    operation = document["paths"][path].get(method.lower())
    if operation is None:
        assert status == 405
        return {"$ref": "#/components/schemas/Error", "components": document["components"]}
    response = operation["responses"].get(str(status), operation["responses"].get("default"))
    assert response is not None, f"{method} {path} -> {status} is not documented"
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": document["components"]}


def check(client, document, method: str, path: str, status: int, **kwargs):
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    Draft202012Validator(documented_schema(document, path, method, status)).validate(response.get_json())
    return response


@pytest.mark.parametrize("keys", [(), ("a-key",)])
def test_known_responses_match_the_document(make_app, keys):
    app = make_app(max_documents=2, max_document_chars=50_000, max_body_bytes=200_000, api_keys=keys)
    client = app.test_client()
    document = client.get("/openapi.json").get_json()
    Draft202012Validator.check_schema(documented_schema(document, "/v1/score", "POST", 200))
    auth = {"Authorization": "Bearer a-key"} if keys else {}
    score = "/v1/score"
    check(client, document, "POST", score, 200, headers=auth, json={
        "documents": [{"id": "seed", "text": SEED["input"]}, {"id": 2, "html": "<p>A <b>shocking</b> plan</p>"}],
        "options": {"clean": True, "offsets": "utf16", "threshold": 0.3}})
    check(client, document, "POST", score, 200, headers=auth, json={"text": "Terrifying!", "id": None})
    check(client, document, "POST", score, 400, headers=auth, json={"documents": [{"text": 1}]})
    check(client, document, "POST", score, 400, headers=auth, data=b"{", content_type="application/json")
    check(client, document, "POST", score, 413, headers=auth, json={"text": "x" * 50_001})
    check(client, document, "POST", score, 413, headers=auth, json={"text": "x" * 300_000})
    check(client, document, "POST", score, 415, headers=auth, data=b"text")
    check(client, document, "POST", score, 422, headers=auth, json={"documents": [{"text": "a"}] * 3})
    check(client, document, "GET", score, 405, headers=auth)
    wire = (Path(__file__).parent / "feeds" / "wire.rss").read_text(encoding="utf-8")
    check(client, document, "POST", "/v1/feed", 200, headers=auth, json={"feed": wire, "options": {"clean": True}})
    check(client, document, "POST", "/v1/feed", 200, headers=auth, json={"feed": wire[:wire.index("<title>Rain")]})
    check(client, document, "POST", "/v1/feed", 400, headers=auth, json={"feed": "no"})
    check(client, document, "POST", "/v1/feed", 422, headers=auth,
          json={"feed": '<rss version="2.0"><channel>' + "<item><title>a</title></item>" * 600 + "</channel></rss>"})
    check(client, document, "GET", "/v1/model", 200, headers=auth)
    check(client, document, "GET", "/healthz", 200)
    check(client, document, "GET", "/readyz", 200)
    if keys:
        check(client, document, "POST", score, 401, json={"text": "a"})
        assert document["paths"][score]["post"]["security"] == [{"bearerAuth": []}]
    else:
        assert document["paths"][score]["post"]["security"] == []


def test_every_route_is_documented_and_every_documented_path_exists(app):
    # the triage page ("/" and its files, service/page.py) is HTML for people, not part of the API
    routes = {rule.rule for rule in app.url_map.iter_rules() if not rule.endpoint.startswith("page.")}
    document = app.test_client().get("/openapi.json").get_json()
    assert set(document["paths"]) == routes
    assert document["openapi"].startswith("3.1")


def test_document_states_the_configured_limits(make_app):
    document = make_app(max_documents=5, max_document_chars=123).test_client().get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas["BatchRequest"]["properties"]["documents"]["maxItems"] == 5
    assert schemas["Document"]["properties"]["text"]["maxLength"] == 123


def test_limit_responses_match_the_document(make_app, monkeypatch):
    from classifier import scoring

    app = make_app(max_paragraphs=2, rate_limit="5/minute", time_budget=2.0)
    client = app.test_client()
    document = client.get("/openapi.json").get_json()
    check(client, document, "POST", "/v1/score", 413, json={"text": "One.\nTwo.\nThree."})
    feed = ('<rss version="2.0"><channel><item><guid>a</guid><description>&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.'
            '&lt;/p&gt;&lt;p&gt;Three.&lt;/p&gt;</description></item></channel></rss>')
    answer = check(client, document, "POST", "/v1/feed", 200, json={"feed": feed}).get_json()
    assert answer["results"][0]["error"]["code"] == "too_many_paragraphs"
    ticks = iter(range(10**6))
    monkeypatch.setattr(scoring, "clock", lambda: float(next(ticks)))  # every reading a second later
    check(client, document, "POST", "/v1/score", 503, json={"documents": [{"text": "One.\nTwo."}]})
    check(client, document, "GET", "/v1/model", 200)
    check(client, document, "GET", "/v1/model", 200)
    check(client, document, "GET", "/v1/model", 429)
