"""Every error the service returns is JSON: `{"error": {"code", "message"}}`.

Views raise `ApiError`; Werkzeug's own HTTP errors (404, 405, 413 from the
body limit...) and anything unexpected are turned into the same shape here,
so no request can get an HTML error page or a stack trace. Unexpected errors
are logged with their traceback on the server side only.
"""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

# Machine-readable codes for the errors Werkzeug raises itself, by status; any other is "http_error".
HTTP_ERROR_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error with its HTTP status, a machine-readable code and a message for people."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def http_error_message(error: HTTPException, limit: int) -> str:
    """What a user should do about a Werkzeug error, rather than its HTML-ish description."""
    where = f"{request.method} {request.path}"
    if error.code == 404:
        return f"no such endpoint: {where}. The API is described at /openapi.json"
    if error.code == 405:
        allowed = ", ".join(sorted(set(error.valid_methods or ()) - {"HEAD", "OPTIONS"}))
        return f"{where} is not allowed; use {allowed}"
    if error.code == 413:
        return f"the request body is over the limit of {limit} bytes: send fewer or shorter documents"
    return error.description or error.name


def register_error_handlers(app: Flask, body_limit: int) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.headers)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        headers = {}
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        code = HTTP_ERROR_CODES.get(error.code, "http_error")
        return error_response(error.code or 500, code, http_error_message(error, body_limit), headers)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal_error",
                              "the server failed to handle this request; it has been logged. "
                              "Retry later, and report it if it persists")
