"""The service's guards: requests per client, the time budget, and structured request logs."""

import json
import logging

import pytest

from classifier import scoring
from service.config import ConfigError, ServiceConfig
from service.requestlog import LOGGER_NAME, JsonLines

KEY = "operator-key-0123456789abcdef"
SECRET_TEXT = "The council met on Tuesday to discuss the terrifying budget."


class Lines(logging.Handler):
    """Keeps what the request logger writes, formatted as it would reach stderr."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonLines())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def request_log():
    logger = logging.getLogger(LOGGER_NAME)
    handler = Lines()
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def score(client, body, **headers):
    return client.post("/v1/score", json=body, headers=headers)


# --- requests per client ---------------------------------------------------------------------------------

def test_rate_limit_answers_json_429_with_retry_after_on_the_api_only(make_app):
    client = make_app(rate_limit="3/minute").test_client()
    assert [score(client, {"text": "The council met."}).status_code for _ in range(3)] == [200, 200, 200]
    refused = score(client, {"text": "The council met."})
    assert refused.status_code == 429
    assert refused.is_json and refused.get_json()["error"]["code"] == "rate_limited"
    assert "3 per 1 minute" in refused.get_json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/v1/model").status_code == 429  # every /v1/ endpoint shares the count
    # the page, probes and metrics are never counted
    for path in ("/", "/healthz", "/readyz", "/metrics", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_rate_limit_counts_each_client_address_apart(make_app):
    client = make_app(rate_limit="1/minute").test_client()
    first = {"REMOTE_ADDR": "192.0.2.1"}
    second = {"REMOTE_ADDR": "192.0.2.2"}
    assert client.get("/v1/model", environ_base=first).status_code == 200
    assert client.get("/v1/model", environ_base=first).status_code == 429
    assert client.get("/v1/model", environ_base=second).status_code == 200


def test_rate_limit_is_off_by_default(client):
    assert {score(client, {"text": "The council met."}).status_code for _ in range(30)} == {200}


@pytest.mark.parametrize("value", ["lots", "0/minute", "-1/second", "60/fortnight"])
def test_a_bad_rate_is_refused_at_start_up(value):
    with pytest.raises(ConfigError, match="LURID_RATE_LIMIT must be a rate"):
        ServiceConfig.from_env({"LURID_RATE_LIMIT": value})


def test_limit_settings_are_read():
    config = ServiceConfig.from_env({"LURID_RATE_LIMIT": "10/second;500/hour", "LURID_TIME_BUDGET": "2.5",
                                     "LURID_RATE_LIMIT_STORAGE": "memory://", "LURID_LOG_REQUESTS": "off"})
    assert (config.rate_limit, config.time_budget, config.log_requests) == ("10/second;500/hour", 2.5, False)


@pytest.mark.parametrize("variable, value", [("LURID_TIME_BUDGET", "0"), ("LURID_TIME_BUDGET", "inf"),
                                             ("LURID_TIME_BUDGET", "soon"), ("LURID_LOG_REQUESTS", "maybe")])
def test_bad_budget_or_switch_is_refused(variable, value):
    with pytest.raises(ConfigError, match=variable):
        ServiceConfig.from_env({variable: value})


def test_a_document_with_too_many_paragraphs_is_a_413_naming_it(make_app):
    client = make_app(max_paragraphs=2).test_client()
    response = score(client, {"documents": [{"text": "One."}, {"text": "One.\nTwo.\nThree."}]})
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_many_paragraphs"
    assert error["message"].startswith("documents[1]: the document splits into 3 paragraphs")
    assert "LURID_MAX_PARAGRAPHS" in error["message"]
    assert ServiceConfig.from_env({"LURID_MAX_PARAGRAPHS": "7"}).max_paragraphs == 7


# --- time budget -----------------------------------------------------------------------------------------

class SlowClock:
    """Every reading is a second later: scoring anything "takes" seconds."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def test_a_document_over_the_time_budget_is_a_clean_503(make_app, monkeypatch):
    client = make_app(time_budget=2.0).test_client()
    monkeypatch.setattr(scoring, "clock", SlowClock())
    response = score(client, {"documents": [{"text": "The council met.\nThe vote was close.\nIt rained."}]})
    assert response.status_code == 503
    body = response.get_json()
    assert body["error"]["code"] == "time_budget_exceeded"
    assert body["error"]["message"].startswith("documents[0]: ")
    assert response.headers["Retry-After"] == "1"


def test_a_feed_item_over_the_time_budget_gets_its_own_error(make_app, monkeypatch):
    client = make_app(time_budget=2.0).test_client()
    monkeypatch.setattr(scoring, "clock", SlowClock())
    feed = ('<rss version="2.0"><channel><title>t</title><item><guid>a</guid>'
            '<description>The council met. The vote was close. It rained.</description></item></channel></rss>')
    response = client.post("/v1/feed", json={"feed": feed})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["error"]["code"] == "time_budget_exceeded"


# --- request logs ----------------------------------------------------------------------------------------

def test_every_request_is_one_json_line_without_text_or_key(make_app, request_log):
    client = make_app(api_keys=(KEY,)).test_client()
    auth = {"Authorization": f"Bearer {KEY}"}
    ok = score(client, {"documents": [{"text": SECRET_TEXT}, {"text": SECRET_TEXT}]}, **auth)
    refused = score(client, {"text": SECRET_TEXT}, Authorization=f"Bearer {KEY}-wrong")
    client.get("/no/such/path?text=" + SECRET_TEXT.replace(" ", "+"))
    records = [json.loads(line) for line in request_log]
    assert [(r["path"], r["status"], r["documents"]) for r in records] == [
        ("/v1/score", 200, 2), ("/v1/score", 401, None), ("unmatched", 404, None)]
    first = records[0]
    assert set(first) == {"time", "event", "request_id", "method", "path", "status", "latency_ms", "documents",
                          "bytes_in"}
    assert first["method"] == "POST" and first["latency_ms"] > 0 and first["bytes_in"] > 100
    assert ok.headers["X-Request-ID"] == first["request_id"]
    assert refused.headers["X-Request-ID"] == records[1]["request_id"] != first["request_id"]
    everything = "\n".join(request_log)
    for secret in ("council", "terrifying", KEY):
        assert secret not in everything


def test_a_client_request_id_is_kept_only_if_it_is_a_plain_token(client, request_log):
    kept = client.get("/healthz", headers={"X-Request-ID": "ext-42.a"})
    assert kept.headers["X-Request-ID"] == "ext-42.a"
    forged = client.get("/healthz", headers={"X-Request-ID": 'x", "status": 200, "path": "/admin'})
    assert len(forged.headers["X-Request-ID"]) == 32 and '"' not in forged.headers["X-Request-ID"]
    assert [json.loads(line)["request_id"] for line in request_log] == ["ext-42.a", forged.headers["X-Request-ID"]]


def test_request_logs_can_be_turned_off(make_app, request_log):
    response = make_app(log_requests=False).test_client().get("/healthz")
    assert response.headers["X-Request-ID"]  # ids are still given
    assert request_log == []


# --- no request chooses the model -----------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"text": "The council met.", "model": "/tmp/evil.joblib"},
    {"text": "The council met.", "options": {"model": "/tmp/evil.joblib"}},
    {"documents": [{"text": "The council met.", "model_path": "/tmp/evil.joblib"}]},
])
def test_no_field_of_a_request_names_a_model(client, body):
    response = score(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unknown_field"


def test_the_api_has_no_route_that_loads_a_model(app):
    # the only path to load_model is create_app, from LURID_MODEL as the operator set it
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {r for r in rules if r.startswith("/v1/")} == {"/v1/score", "/v1/feed", "/v1/model"}
    response = app.test_client().post("/v1/feed", json={"feed": "<rss/>", "options": {"model": "x"}})
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "unknown_field")


# --- review findings: messages, precedence, headers -------------------------------------------------------

def test_a_single_document_over_budget_gets_its_own_message(make_app, monkeypatch):
    client = make_app(time_budget=2.0).test_client()
    monkeypatch.setattr(scoring, "clock", SlowClock())
    error = score(client, {"text": "The council met.\nThe vote was close.\nIt rained."}).get_json()["error"]
    assert error["code"] == "time_budget_exceeded"
    assert error["message"].startswith("scoring this document took more than its time budget of 2 s")


def test_a_batch_over_budget_names_the_first_document_left(make_app, monkeypatch):
    client = make_app(time_budget=2.0).test_client()
    monkeypatch.setattr(scoring, "clock", SlowClock())
    error = score(client, {"documents": [{"text": "One."}, {"text": "Two."}]}).get_json()["error"]
    assert error["message"].startswith("documents[0]: the time budget of this request ran out")


def test_too_many_paragraphs_wins_over_the_time_budget(make_app, monkeypatch):
    client = make_app(time_budget=2.0, max_paragraphs=2).test_client()
    monkeypatch.setattr(scoring, "clock", SlowClock())
    response = score(client, {"documents": [{"text": "One."}, {"text": "One.\nTwo.\nThree."}]})
    assert response.status_code == 413 and response.get_json()["error"]["message"].startswith("documents[1]: ")


def test_the_rate_limiter_leaves_other_answers_alone_and_counts_refused_keys(make_app, monkeypatch):
    client = make_app(rate_limit="3/minute", api_keys=(KEY,), time_budget=2.0).test_client()
    ok = score(client, {"text": "The council met."}, Authorization=f"Bearer {KEY}")
    assert ok.status_code == 200 and "Retry-After" not in ok.headers and "X-RateLimit-Remaining" not in ok.headers
    monkeypatch.setattr(scoring, "clock", SlowClock())
    slow = score(client, {"text": "The council met.\nThe vote was close."}, Authorization=f"Bearer {KEY}")
    assert slow.status_code == 503 and slow.headers["Retry-After"] == "1"
    assert score(client, {"text": "a"}, Authorization="Bearer guess").status_code == 401  # the third request
    assert score(client, {"text": "a"}, Authorization="Bearer guess").status_code == 429  # guessing is counted


def test_the_extension_may_send_and_read_the_request_id(client):
    preflight = client.options("/v1/score", headers={
        "Origin": "chrome-extension://" + "abcdefghijklmnop" * 2, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-request-id"})
    assert "x-request-id" in preflight.headers["Access-Control-Allow-Headers"].lower()
    answer = client.post("/v1/score", json={"text": "a"},
                         headers={"Origin": "chrome-extension://" + "abcdefghijklmnop" * 2})
    exposed = answer.headers["Access-Control-Expose-Headers"].lower()
    assert "x-request-id" in exposed and "retry-after" in exposed


@pytest.mark.parametrize("value", ["memroy://", "redis://localhost:6379"])
def test_a_rate_limit_storage_this_installation_cannot_use_is_refused(value):
    with pytest.raises(ConfigError, match="LURID_RATE_LIMIT_STORAGE"):
        ServiceConfig.from_env({"LURID_RATE_LIMIT_STORAGE": value})


def test_html_nested_too_deep_is_a_422_naming_the_document(client):
    deep = "<div>" * 3000 + "</div>" * 3000 + "<p>The article itself.</p>"
    response = score(client, {"documents": [{"text": "One."}, {"html": deep}]})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "html_too_deep" and error["message"].startswith("documents[1]: the HTML nests")
