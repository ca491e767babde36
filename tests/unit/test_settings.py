"""Configuration has one owner: ``indexer.settings.Settings`` reads every ``GDC_*`` variable.

The README's table lists exactly its fields; no other module reads a ``GDC_*`` variable from the
environment; a test's own configuration reaches the same object the portal reads.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.settings import Settings
from portal import create_app

ROOT = Path(__file__).resolve().parents[2]
# Strings a variable may be written as, and the value each field must then hold.
SAMPLES = {
    "es_url": ("http://es.example:9200", "http://es.example:9200"),
    "es_timeout": ("2.5", 2.5),
    "var_dir": ("/srv/gdc", Path("/srv/gdc")),
    "port": ("8080", 8080),
    "workers": ("3", 3),
    "cache_seconds": ("0", 0.0),
    "auth_db": ("/srv/a.sqlite3", Path("/srv/a.sqlite3")),
    "session_hours": ("0.5", 0.5),
    "cookie_secure": ("1", True),
    "rate_limit_anonymous": ("0", 0),
    "es_port": ("9245", 9245),
    "cache_dir": ("/srv/cache", Path("/srv/cache")),
}


def readme_variables() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `(GDC_[A-Z_]+)` \|", section, flags=re.MULTILINE)


def test_the_readme_table_lists_exactly_the_settings():
    listed = readme_variables()
    assert len(listed) == len(set(listed)), "a variable listed twice"
    assert set(listed) == set(Settings.variables())


def test_no_other_module_reads_a_gdc_variable_from_the_environment():
    reading = re.compile(r"""(environ(\.get)?[\[(]|getenv\()\s*f?["']GDC_""")
    readers = sorted(str(path.relative_to(ROOT)) for package in ("portal", "indexer", "analyzers")
                     for path in (ROOT / package).rglob("*.py")
                     if reading.search(path.read_text(encoding="utf-8")))
    assert set(readers) <= {"indexer/settings.py"}, readers


def test_every_variable_is_read_by_its_name():
    env = {f"GDC_{name.upper()}": raw for name, (raw, _) in SAMPLES.items()}
    settings = Settings.from_env(env)
    expected = {name: value for name, (_, value) in SAMPLES.items()}
    assert {name: getattr(settings, name) for name in SAMPLES} == expected
    assert settings.audit_log == Path("/srv/gdc/audit.jsonl")  # beside the state unless set


def test_defaults_and_the_local_node_url():
    settings = Settings.from_env({"GDC_ES_PORT": "9245"})
    assert settings.es_url == "http://127.0.0.1:9245"
    assert (settings.host, settings.port, settings.workers, settings.rate_limit_anonymous) == (
        "127.0.0.1", 5000, None, None)


@pytest.mark.parametrize("name, raw", [("GDC_PORT", "http"), ("GDC_WORKERS", "0"),
                                       ("GDC_SESSION_HOURS", "-1"),
                                       ("GDC_CACHE_SECONDS", "-5"), ("GDC_RATE_LIMIT_SIGNED_IN", "many"),
                                       ("GDC_ES_TIMEOUT", "inf")])
def test_a_bad_value_is_refused_by_name(name, raw):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: raw})


def test_a_test_apps_configuration_is_the_settings_the_portal_reads(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "GDC_SETTINGS": Settings(var_dir=tmp_path),
                      "GDC_INDEX": "test_settings", "GDC_SESSION_HOURS": 2})
    settings = app.config["GDC_SETTINGS"]
    assert (settings.index, settings.session_hours) == ("test_settings", 2)
    assert app.config["GDC_AUTH_DB"] == settings.auth_db == tmp_path / "auth.sqlite3"
    assert app.extensions["gdc_auth"]["store"].path == tmp_path / "auth.sqlite3"
