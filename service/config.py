"""The service's settings: one frozen object, read from `LURID_*` variables.

Every setting has its default here and nowhere else. `from_env` is pure (it
takes the environment as a mapping), so it is tested without touching
`os.environ`, and a bad value stops start-up with a message naming the
variable.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass, field

DEFAULT_HOST = "127.0.0.1"  # loopback: exposing the service is an explicit choice
DEFAULT_PORT = 8000
# 1 MiB: 64 article-length documents (about 10,000 characters each) fit comfortably.
MAX_BODY_BYTES_DEFAULT = 1_048_576
# About 15,000 words: longer than any news article; longer input is a page dump, not a document.
MAX_DOCUMENT_CHARS_DEFAULT = 100_000
# One batch is one model call; 64 articles of 1,500 words take about a second on one core (benchmarks/load.md).
MAX_DOCUMENTS_DEFAULT = 64
# A feed is scored in one request; 500 feed items (summaries, mostly) take a few seconds on one core.
MAX_FEED_ITEMS_DEFAULT = 500
# Paragraphs one document may split into (classifier.scoring.MAX_PARAGRAPHS_DEFAULT).
MAX_PARAGRAPHS_DEFAULT = 5000
# Seconds one document may take (classifier.scoring.TIME_BUDGET_DEFAULT; docs/reliability.md).
TIME_BUDGET_DEFAULT = 10.0


class ConfigError(ValueError):
    """A `LURID_*` variable has a value the service cannot use."""


def default_workers() -> int:
    """One worker per core this process may run on (affinity, not the host's count)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


@dataclass(frozen=True)
class ServiceConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = field(default_factory=default_workers)
    max_body_bytes: int = MAX_BODY_BYTES_DEFAULT
    max_document_chars: int = MAX_DOCUMENT_CHARS_DEFAULT
    max_documents: int = MAX_DOCUMENTS_DEFAULT
    max_feed_items: int = MAX_FEED_ITEMS_DEFAULT
    max_paragraphs: int = MAX_PARAGRAPHS_DEFAULT
    allowed_origins: tuple[str, ...] = ()  # besides the browser-extension origins, always allowed
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # never printed, never logged
    model_path: str | None = None  # None: the packaged model
    time_budget: float = TIME_BUDGET_DEFAULT
    # Requests per client on /v1/, in the `limits` notation ("60/minute", "10/second;500/hour"); None: off.
    rate_limit: str | None = None
    # Where the counts live: "memory://" counts per worker process; a shared store (redis://...) counts exactly.
    rate_limit_storage: str = "memory://"
    log_requests: bool = True  # one JSON line per request on stderr (never any document text)

    @classmethod
    def from_env(cls, environ) -> ServiceConfig:
        """Read `LURID_*` variables from a mapping; unset or empty means the default."""
        values = {}
        for name, variable in (("port", "LURID_PORT"), ("workers", "LURID_WORKERS"),
                               ("max_body_bytes", "LURID_MAX_BODY_BYTES"),
                               ("max_document_chars", "LURID_MAX_DOCUMENT_CHARS"),
                               ("max_documents", "LURID_MAX_DOCUMENTS"),
                               ("max_feed_items", "LURID_MAX_FEED_ITEMS"),
                               ("max_paragraphs", "LURID_MAX_PARAGRAPHS")):
            if environ.get(variable, "").strip():
                values[name] = _positive_int(variable, environ[variable])
        if environ.get("LURID_HOST", "").strip():
            values["host"] = _host("LURID_HOST", environ["LURID_HOST"])
        values["allowed_origins"] = _origins("LURID_ALLOWED_ORIGINS", environ.get("LURID_ALLOWED_ORIGINS", ""))
        values["api_keys"] = _keys("LURID_API_KEYS", environ.get("LURID_API_KEYS", ""))
        values["model_path"] = environ.get("LURID_MODEL", "").strip() or None
        if environ.get("LURID_TIME_BUDGET", "").strip():
            values["time_budget"] = _positive_seconds("LURID_TIME_BUDGET", environ["LURID_TIME_BUDGET"])
        if environ.get("LURID_RATE_LIMIT", "").strip():
            values["rate_limit"] = _rate_limit("LURID_RATE_LIMIT", environ["LURID_RATE_LIMIT"])
        if environ.get("LURID_RATE_LIMIT_STORAGE", "").strip():
            values["rate_limit_storage"] = _storage("LURID_RATE_LIMIT_STORAGE", environ["LURID_RATE_LIMIT_STORAGE"])
        if environ.get("LURID_LOG_REQUESTS", "").strip():
            values["log_requests"] = _switch("LURID_LOG_REQUESTS", environ["LURID_LOG_REQUESTS"])
        config = cls(**values)
        if config.port > 65535:
            raise ConfigError(f"LURID_PORT must be a port number (1-65535), got {config.port}")
        return config


_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s?#]+", re.IGNORECASE)
_DEFAULT_PORTS = (("https://", ":443"), ("http://", ":80"))  # a browser's Origin never names these


def _inet_aton(host: str) -> bool:
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def _host(variable: str, raw: str) -> str:
    """An address to bind: an IP address (0.0.0.0 or :: for every interface) or a host name, by its form
    (whether the name resolves is gunicorn's to find out: from_env stays pure)."""
    host = raw.strip()
    bracketed = host.startswith("[") and host.endswith("]")  # only an IPv6 address is written so
    try:
        address = ipaddress.ip_address(host[1:-1] if bracketed else host)
        if not bracketed or address.version == 6:
            return host
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    if not bracketed and all(label.isdigit() for label in labels) and _inet_aton(host):
        return host  # the short IPv4 forms the resolver takes: "0" (every interface), "127.1", "2130706433"
    # a name's last label is never all digits (RFC 1123), so 999.1.1.1 is a bad address, not a name
    if (bracketed or len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels)
            or labels[-1].isdigit()):
        raise ConfigError(f"{variable} must be an IP address or a host name (127.0.0.1, 0.0.0.0, ::, localhost), "
                          f"got {host!r}")
    return host


def _positive_int(variable: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{variable} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{variable} must be at least 1, got {value}")
    return value


def _positive_seconds(variable: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ConfigError(f"{variable} must be a number of seconds, got {raw!r}") from None
    if not 0 < value < float("inf"):
        raise ConfigError(f"{variable} must be a positive number of seconds, got {raw.strip()}")
    return value


def _rate_limit(variable: str, raw: str) -> str:
    """A `limits` rate string, checked now so that a typo stops start-up rather than every request."""
    from limits import parse_many

    try:
        rates = parse_many(raw.strip())
    except ValueError:
        rates = []
    if not rates or any(rate.amount < 1 for rate in rates):
        raise ConfigError(f"{variable} must be a rate such as '60/minute' or '10/second;500/hour', "
                          f"got {raw.strip()!r}")
    return raw.strip()


def _storage(variable: str, raw: str) -> str:
    """A `limits` storage URI that this installation can open (redis:// needs the redis package)."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    try:
        storage_from_string(raw.strip())
    except (ConfigurationError, ValueError) as error:
        raise ConfigError(f"{variable} must be a storage URI this installation can use, such as memory:// "
                          f"({error})") from None
    return raw.strip()


def _switch(variable: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{variable} must be on or off, got {raw.strip()!r}")


def _origins(variable: str, raw: str) -> tuple[str, ...]:
    """Origins as a browser sends them: scheme://host[:port], no path, no trailing slash (else none would match)."""
    origins = _comma_list(raw)
    for origin in origins:
        default_port = any(origin.startswith(scheme) and origin.endswith(port) for scheme, port in _DEFAULT_PORTS)
        if not _ORIGIN.fullmatch(origin) or origin != origin.lower() or default_port:
            raise ConfigError(f"{variable}: {origin!r} is not an origin as a browser sends it: scheme://host[:port], "
                              "in lower case, with no path, no trailing slash and no default port "
                              "(https://moderation.example.org)")
    return origins


def _keys(variable: str, raw: str) -> tuple[str, ...]:
    """API keys a client can send in an HTTP header: visible ASCII only (a header is read as Latin-1, so a
    key with other characters could never match)."""
    keys = _comma_list(raw)
    if raw.strip() and not keys:
        # set but empty (" , ", or a list built from unset shell variables): starting without
        # authentication would be a silent surprise, so it is refused like any other bad value
        raise ConfigError(f"{variable} is set but names no key ({raw.strip()!r}); give at least one key, or leave "
                          "it unset to run without authentication")
    for number, key in enumerate(keys, 1):
        if not (key.isascii() and key.isprintable() and " " not in key):
            raise ConfigError(f"{variable}: key {number} has characters other than visible ASCII (letters, digits, "
                              "punctuation); a client could never send it in an Authorization header")
    return keys


def _comma_list(raw: str) -> tuple[str, ...]:
    """'a, b,,c' -> ('a', 'b', 'c')."""
    return tuple(item.strip() for item in raw.split(",") if item.strip())
