"""``make serve``'s gunicorn settings from ``GDC_*`` variables (read by ``Settings.from_env``)."""
from __future__ import annotations

import os

import pytest

from indexer.settings import Settings
from portal.serve import options as serve_options


def options(environ: dict) -> dict:
    return serve_options(Settings.from_env(environ))


def test_defaults_follow_the_machine():
    config = options({})
    assert config["bind"] == "127.0.0.1:5000"
    assert config["workers"] == len(os.sched_getaffinity(0))
    assert config["threads"] == 4 and config["worker_class"] == "gthread"
    assert config["timeout"] == config["graceful_timeout"] == 30
    assert config["accesslog"] == "-"


def test_overrides():
    config = options({"GDC_HOST": "0.0.0.0", "GDC_PORT": "8080", "GDC_WORKERS": "5", "GDC_THREADS": "1",
                      "GDC_REQUEST_TIMEOUT": "12", "GDC_ACCESS_LOG": "off"})
    assert config["bind"] == "0.0.0.0:8080"
    assert (config["workers"], config["threads"]) == (5, 1)
    assert (config["timeout"], config["graceful_timeout"]) == (12, 12)
    assert config["accesslog"] is None
    assert options({"GDC_ACCESS_LOG": "/var/log/gdc/access.log"})["accesslog"] == "/var/log/gdc/access.log"


@pytest.mark.parametrize("name", ["GDC_WORKERS", "GDC_THREADS", "GDC_REQUEST_TIMEOUT"])
@pytest.mark.parametrize("raw", ["0", "-2", "many", "1.5"])
def test_bad_numbers_are_refused_by_name(name, raw):
    with pytest.raises(ValueError, match=name):
        options({name: raw})
