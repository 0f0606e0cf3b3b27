"""The real thing: `python -m service` (gunicorn) on a free loopback port, driven over HTTP."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from classifier.model import DEFAULT_ARTIFACT, manifest_path

ROOT = Path(__file__).resolve().parent.parent
SEED = json.loads((Path(__file__).parent / "golden" / "seed_emoji.json").read_text(encoding="utf-8"))
START_DEADLINE = 90  # seconds; generous for a loaded CI machine, never reached when things work
CHROME_ORIGIN = "chrome-extension://" + "abcdefghijklmnop" * 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_service(**variables) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LURID_", "PROMETHEUS_"))}
    environment.update(variables)
    return subprocess.Popen([sys.executable, "-m", "service"], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def request(url: str, data: bytes | None = None, method: str | None = None, **headers):
    """(status, headers, body) for any status: urllib raises on 4xx/5xx, which here are results too."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers),
                                    timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def chunked_post(base: str, chunks: bytes, framing: str = "Transfer-Encoding: chunked",
                 half_close: bool = False, protocol: str = "HTTP/1.1") -> tuple[int, str]:
    """POST an already chunk-encoded body (or, with another `framing` header, any body) to /v1/score over a
    raw socket, then maybe stop sending (a client whose body ends early): (status, error code)."""
    host, port = base.removeprefix("http://").split(":")
    head = (f"POST /v1/score {protocol}\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"{framing}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        try:
            connection.sendall(head + chunks)
            if half_close:
                connection.shutdown(socket.SHUT_WR)
        except OSError:  # the server may answer and close before reading everything
            pass
        reply = b""
        while block := connection.recv(65536):
            reply += block
    header, _, body = reply.partition(b"\r\n\r\n")
    status = int(header.split()[1])
    if b"chunked" in header.lower():
        body = b"".join(body.split(b"\r\n")[1::2])  # the reply itself may be chunked: keep the data lines
    return status, json.loads(body)["error"]["code"]


def wait_until_ready(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}: {process.stderr.read().decode()}")
        try:
            if request(f"{base}/readyz")[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.1)
    pytest.fail(f"the server was not ready within {START_DEADLINE} s")


@pytest.fixture
def server():
    port = free_port()
    process = start_service(LURID_HOST="127.0.0.1", LURID_PORT=str(port), LURID_WORKERS="2")
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}")
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def test_gunicorn_serves_scores_answers_preflight_and_errors_then_stops_cleanly(server):
    process, base = server
    body = json.dumps({"id": "seed", "text": SEED["input"]}).encode()
    documents = 0
    for _ in range(4):  # several requests, so that both workers are likely to answer some
        status, headers, raw = request(f"{base}/v1/score", body, **{"Content-Type": "application/json"})
        assert status == 200 and headers["Content-Type"] == "application/json"
        (result,) = json.loads(raw)["results"]
        documents += 1
        assert result["id"] == "seed"
        assert result["junk_block"]["start"] == SEED["input"].rindex(SEED["block_starts_at"])
        assert any(p["highlights"] for p in result["paragraphs"])

    status, headers, _ = request(f"{base}/v1/score", method="OPTIONS", **{
        "Origin": CHROME_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, authorization"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN
    assert "authorization" in headers["Access-Control-Allow-Headers"].lower()

    status, headers, raw = request(f"{base}/v1/score", b"plain words", **{"Content-Type": "text/plain"})
    assert status == 415 and json.loads(raw)["error"]["code"] == "unsupported_media_type"

    # chunked bodies have no Content-Length: a malformed one is a 400, an oversized one a 413, both JSON
    assert chunked_post(base, b"ZZ\r\n{}\r\n0\r\n\r\n")[:2] == (400, "invalid_body")
    # a body that ends before its chunk or its Content-Length is complete: invalid_body too (it was a generic
    # http_error, and a short Content-Length body was scored)
    assert chunked_post(base, b'10\r\n{"text": "ab', half_close=True) == (400, "invalid_body")
    assert chunked_post(base, b'{"text": "The council met."}', framing="Content-Length: 200",
                        half_close=True) == (400, "invalid_body")
    # an HTTP/1.0 body without a length cannot be read: 411, not "the body is empty"
    assert chunked_post(base, b'{"text": "The council met."}', framing="X-Framing: none", half_close=True,
                        protocol="HTTP/1.0") == (411, "length_required")
    oversized = b'{"text": "Shocking!"' + b" " * (2 << 20) + b"}"
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                      for part in (oversized[i:i + 65536] for i in range(0, len(oversized), 65536)))
    assert chunked_post(base, chunks + b"0\r\n\r\n")[:2] == (413, "body_too_large")

    # the scrape adds up every worker's counters (prometheus multiprocess mode)
    metrics = request(f"{base}/metrics")[2].decode()
    assert f"lurid_documents_scored_total {float(documents)}" in metrics
    assert f"lurid_junk_blocks_found_total {float(documents)}" in metrics
    assert f'lurid_http_requests_total{{method="POST",route="/v1/score",status="200"}} {float(documents)}' in metrics

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    stderr = process.stderr.read().decode("utf-8")
    assert "Shutting down" in stderr
    # every worker wrote its request log lines as JSON, with no document text
    logged = [json.loads(line) for line in stderr.splitlines() if line.startswith('{"time"')]
    scored = [line for line in logged if (line["method"], line["path"], line["status"]) == ("POST", "/v1/score", 200)]
    assert len(scored) == documents and all(line["documents"] == 1 for line in scored)
    assert {line["status"] for line in logged} >= {200, 400, 413, 415}
    assert SEED["input"].split()[3] not in stderr and "Shocking" not in stderr


def test_tampered_model_stops_start_up_with_a_clear_message(tmp_path):
    artifact = tmp_path / "lurid.joblib"
    shutil.copy(DEFAULT_ARTIFACT, artifact)
    shutil.copy(manifest_path(DEFAULT_ARTIFACT), manifest_path(artifact))
    with open(artifact, "ab") as handle:
        handle.write(b"tampered")
    process = start_service(LURID_MODEL=str(artifact), LURID_PORT=str(free_port()), LURID_WORKERS="1")
    try:
        _, stderr = process.communicate(timeout=START_DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert b"does not match its manifest" in stderr and b"classifier.train" in stderr


def test_bad_setting_is_refused_before_gunicorn_starts():
    completed = subprocess.run([sys.executable, "-m", "service"], cwd=ROOT, capture_output=True, timeout=60,
                               env={**os.environ, "LURID_PORT": "eighty"})
    assert completed.returncode == 2
    assert b"LURID_PORT must be a whole number" in completed.stderr
