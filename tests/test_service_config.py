"""LURID_* variables to ServiceConfig: defaults, parsing, and refusals that name the variable."""

import gc
import runpy
from pathlib import Path

import pytest

import service

from service.config import (MAX_BODY_BYTES_DEFAULT, MAX_DOCUMENTS_DEFAULT, ConfigError, ServiceConfig,
                            default_workers)


def test_defaults_when_nothing_is_set():
    config = ServiceConfig.from_env({})
    assert (config.host, config.port) == ("127.0.0.1", 8000)
    assert config.max_body_bytes == MAX_BODY_BYTES_DEFAULT == 1_048_576
    assert config.max_documents == MAX_DOCUMENTS_DEFAULT == 64
    assert config.workers == default_workers() >= 1
    assert config.allowed_origins == () and config.api_keys == () and config.model_path is None


def test_every_variable_is_read():
    config = ServiceConfig.from_env({
        "LURID_HOST": "0.0.0.0", "LURID_PORT": "9000", "LURID_WORKERS": "3", "LURID_MAX_BODY_BYTES": "2048",
        "LURID_MAX_DOCUMENT_CHARS": "500", "LURID_MAX_DOCUMENTS": "8",
        "LURID_MAX_FEED_ITEMS": "20",
        "LURID_ALLOWED_ORIGINS": "https://a.example, https://b.example,", "LURID_API_KEYS": "k1,k2",
        "LURID_MODEL": "/srv/models/lurid.joblib", "LURID_UNRELATED": "x"})
    assert config == ServiceConfig(host="0.0.0.0", port=9000, workers=3, max_body_bytes=2048,
                                   max_document_chars=500, max_documents=8, max_feed_items=20,
                                   allowed_origins=("https://a.example", "https://b.example"),
                                   api_keys=("k1", "k2"), model_path="/srv/models/lurid.joblib")


def test_empty_values_mean_the_default():
    assert ServiceConfig.from_env({"LURID_PORT": "", "LURID_API_KEYS": "", "LURID_MODEL": " "}) == \
        ServiceConfig.from_env({})


@pytest.mark.parametrize("variable, value, message", [
    ("LURID_PORT", "http", "LURID_PORT must be a whole number"),
    ("LURID_PORT", "70000", "LURID_PORT must be a port number"),
    ("LURID_WORKERS", "0", "LURID_WORKERS must be at least 1"),
    ("LURID_MAX_DOCUMENTS", "-5", "LURID_MAX_DOCUMENTS must be at least 1"),
    ("LURID_MAX_FEED_ITEMS", "many", "LURID_MAX_FEED_ITEMS must be a whole number"),
    ("LURID_MAX_BODY_BYTES", "1MB", "LURID_MAX_BODY_BYTES must be a whole number"),
    # a browser's Origin has no path: this one would never match, and CORS would fail without a word
    ("LURID_ALLOWED_ORIGINS", "https://mod.example.org/", "no trailing slash"),
    ("LURID_ALLOWED_ORIGINS", "mod.example.org", "not an origin"),
    ("LURID_ALLOWED_ORIGINS", "https://Mod.Example.org", "in lower case"),
    ("LURID_ALLOWED_ORIGINS", "https://mod.example.org:443", "no default port"),
    # headers are read as Latin-1: a client could never send this key so that it matches
    ("LURID_API_KEYS", "good-key, s3cr3t-ключ", "key 2 has characters other than visible ASCII"),
    # set, but a list of nothing (built from unset shell variables): not a silent "no authentication"
    ("LURID_API_KEYS", " , ", "is set but names no key"),
    ("LURID_HOST", "not a host", "must be an IP address or a host name"),
    ("LURID_HOST", "bad_host", "must be an IP address or a host name"),
    ("LURID_HOST", "999.1.1.1", "must be an IP address or a host name"),  # no address, and no name either
    ("LURID_HOST", "[127.0.0.1]", "must be an IP address or a host name"),  # brackets are for IPv6 only
    ("LURID_HOST", "[localhost]", "must be an IP address or a host name"),
])
def test_bad_values_are_refused_naming_the_variable(variable, value, message):
    with pytest.raises(ConfigError, match=message):
        ServiceConfig.from_env({variable: value})


def test_gunicorn_master_freezes_its_heap_before_forking_a_worker(monkeypatch, tmp_path):
    # the metrics directory is set, so running the settings file creates none and registers no exit hook
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    settings = runpy.run_path(str(Path(service.__file__).with_name("gunicorn.conf.py")))
    assert settings["preload_app"] is True
    gc.unfreeze()
    try:
        settings["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "::", "[::1]", "localhost", "lurid.example.org.",
                                  "10.0.0.1", "node-7.internal", "3com.example",
                                  "0", "127.1"])
def test_addresses_and_host_names_are_taken_as_given(host):
    assert ServiceConfig.from_env({"LURID_HOST": f" {host} "}).host == host


def test_python_m_service_takes_no_options_but_help(capsys):
    """`python -m service --help` started the server (arguments were ignored); now it prints the settings,
    and any other argument is a usage error, before anything binds a port."""
    import re

    from service.__main__ import SETTINGS, main

    for argv, code in ((["--help"], 0), (["--bind", "127.0.0.1:1"], 2)):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == code
    # every variable the configuration reads is named in the help, and nothing else
    read = set(re.findall(r'"(LURID_[A-Z_]+)"', Path(service.__file__).with_name("config.py").read_text()))
    assert set(SETTINGS) == read
