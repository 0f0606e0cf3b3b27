"""Optional API keys: `Authorization: Bearer <key>` on the `/v1/` endpoints.

Only `/v1/` needs a key: the probes (`/healthz`, `/readyz`), `/metrics` and
`/openapi.json` stay open to the orchestrator and to people reading the
API, and a CORS preflight never carries credentials, so it is not asked for
any. Keys are compared in constant time and are never logged or echoed.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, request

from .errors import ApiError

PROTECTED_PREFIX = "/v1/"


def bearer_token(header: str | None) -> str | None:
    """The key in an `Authorization: Bearer <key>` header, or None.

    >>> bearer_token("Bearer abc123"), bearer_token("Basic abc123"), bearer_token(None)
    ('abc123', None, None)
    """
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def key_is_valid(token: str | None, keys: tuple[str, ...]) -> bool:
    """Compare against every key, in constant time for each, so timing tells nothing."""
    if token is None:
        return False
    # compare fixed-length digests: compare_digest on the raw keys returns early when lengths differ
    offered = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(offered, hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest())
    return matched


def require_api_keys(app: Flask, keys: tuple[str, ...]) -> None:
    """Refuse `/v1/` requests without a valid key with 401 (when any keys are configured)."""
    if not keys:
        return

    @app.before_request
    def check_api_key():
        if request.method == "OPTIONS" or not request.path.startswith(PROTECTED_PREFIX):
            return
        if not key_is_valid(bearer_token(request.headers.get("Authorization")), keys):
            raise ApiError(401, "unauthorized", "this server needs an API key: send 'Authorization: Bearer <key>' "
                           "with a key from its operator", headers={"WWW-Authenticate": 'Bearer realm="lurid"'})
