"""Configuration from ``GDC_*`` environment variables: one reader for portal, indexer and tests.

Every variable is a field of :class:`Settings`, named after it (``auth_db`` is ``GDC_AUTH_DB``); a value
that cannot be used is refused by name at start-up. Read only when called (from ``create_app`` or a
command's ``main``), never at import time. The README's configuration table lists exactly these fields
(``tests/unit/test_settings.py``).
"""
from __future__ import annotations

import os
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "GDC_"

# Requests a minute when GDC_RATE_LIMIT_* is unset (``None``); test apps (``TESTING``) are not limited then.
RATE_LIMIT_DEFAULTS = {"GDC_RATE_LIMIT_ANONYMOUS": 300, "GDC_RATE_LIMIT_SIGNED_IN": 120}


def _positive(unit: str, thai_unit: str, zero: bool = False) -> Callable[[str, str], float]:
    """A duration in ``unit``; a malformed or negative value (zero too unless ``zero``) is refused by name."""
    def parse(name: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not (value > 0 or (zero and value == 0)) or value == float("inf"):
            least, thai_least = ("0 or more", "ตั้งแต่ 0 ขึ้นไป") if zero else ("more than 0", "ที่มากกว่า 0")
            raise ValueError(f"{name} must be a number of {unit} ({least}), got {raw!r} "
                             f"({name} ต้องเป็นจำนวน{thai_unit}{thai_least})")
        return value
    return parse


def _whole(minimum: int) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise ValueError(f"{name} must be a whole number ≥ {minimum}, got {raw!r} "
                             f"({name} ต้องเป็นจำนวนเต็มตั้งแต่ {minimum} ขึ้นไป)")
        return value
    return parse


def _path(name: str, raw: str) -> Path:
    return Path(raw)


def _flag(name: str, raw: str) -> bool:
    return raw.strip() == "1"


def _read(parse: Callable[[str, str], Any]) -> dict:
    return {"parse": parse}


def _java_homes(env: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(filter(None, map(env.get, ("GDC_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME"))))


@dataclass(frozen=True)
class Settings:
    # Elasticsearch and the index
    es_url: str = "http://127.0.0.1:9200"
    es_api_key: str | None = None
    es_ca_certs: str | None = None
    es_timeout: float = field(default=5.0, metadata=_read(_positive("seconds", "วินาที")))
    index: str = "gdc-datasets"
    # The semantic layer (docs/relevance.md): ``1`` gives records meaning vectors when indexed and fuses
    # their neighbours with the word ranking when searching (and lists records related by meaning apart).
    # Off by default: with its settings chosen on dev, it loses to the word ranking on the test split.
    semantic: bool = field(default=False, metadata=_read(_flag))
    # where state lives; the account store and audit trail default to files inside it
    var_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var", metadata=_read(_path))
    # serving (make run / make serve)
    host: str = "127.0.0.1"
    port: int = field(default=5000, metadata=_read(_whole(1)))
    workers: int | None = field(default=None, metadata=_read(_whole(1)))  # None: one per core
    threads: int = field(default=4, metadata=_read(_whole(1)))
    request_timeout: int = field(default=30, metadata=_read(_whole(1)))
    access_log: str = "-"
    cache_seconds: float = field(default=30.0, metadata=_read(_positive("seconds", "วินาที", zero=True)))
    public_url: str | None = None
    trusted_hosts: str | None = None
    # accounts, sessions, single sign-on, rate limits, the widget (docs/permissions.md)
    secret_key: str | None = None
    auth_db: Path | None = field(default=None, metadata=_read(_path))  # None: <var_dir>/auth.sqlite3
    audit_log: Path | None = field(default=None, metadata=_read(_path))  # None: <var_dir>/audit.jsonl
    session_hours: float = field(default=8.0, metadata=_read(_positive("hours", "ชั่วโมง")))
    cookie_secure: bool = field(default=False, metadata=_read(_flag))
    proxy_user_header: str = ""
    trusted_proxies: str = ""
    rate_limit_signed_in: int | None = field(default=None, metadata=_read(_whole(0)))
    rate_limit_anonymous: int | None = field(default=None, metadata=_read(_whole(0)))
    rate_limit_storage: str = "memory://"
    widget_frame_ancestors: str = "*"
    # --- gdc-es, the local node (indexer/localnode/) -------------------------------------------------
    es_port: int = field(default=9200, metadata=_read(_whole(1)))  # and es_url's without GDC_ES_URL
    es_heap: str | None = None  # None: 2g for one node, 512m for each member of a cluster
    # None: ~/.cache/gdcatalog (/var/cache/gdcatalog for root)
    cache_dir: Path | None = field(default=None, metadata=_read(_path))
    # Java homes to try in order: GDC_ES_JAVA_HOME, then Elastic's ES_JAVA_HOME and the JDK's JAVA_HOME.
    java_homes: tuple[str, ...] = field(default=(),
                                        metadata={"variable": "GDC_ES_JAVA_HOME", "read": _java_homes})
    # --- end of gdc-es --------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        var_dir = Path(self.var_dir)
        object.__setattr__(self, "var_dir", var_dir)
        object.__setattr__(self, "auth_db", Path(self.auth_db or var_dir / "auth.sqlite3"))
        object.__setattr__(self, "audit_log", Path(self.audit_log or var_dir / "audit.jsonl"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Every ``GDC_*`` variable that is set and not empty; the defaults above for the others."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = _variable(f)
            if "read" in f.metadata:
                values[f.name] = f.metadata["read"](env)
            elif env.get(name):
                values[f.name] = f.metadata.get("parse", lambda _, raw: raw)(name, env[name])
        # Without GDC_ES_URL, the local node gdc-es manages (on GDC_ES_PORT) is the cluster.
        values.setdefault("es_url", f"http://127.0.0.1:{values.get('es_port', cls.es_port)}")
        return cls(**values)

    @classmethod
    def variables(cls) -> list[str]:
        """The names of every variable read, in the order of the fields."""
        return [_variable(f) for f in fields(cls)]

    def app_config(self) -> dict[str, Any]:
        """``{"GDC_<NAME>": value}`` for every field: the portal's ``app.config`` keys."""
        return {_variable(f): getattr(self, f.name) for f in fields(self)}

    def overridden_by(self, config: Mapping[str, Any]) -> "Settings":
        """These settings with the ``GDC_<NAME>`` values ``config`` holds (a test app's own configuration)."""
        return replace(self, **{f.name: config[_variable(f)] for f in fields(self) if _variable(f) in config})


def _variable(f: Field) -> str:
    """``auth_db`` → ``GDC_AUTH_DB`` (a field read from several variables names the first)."""
    return f.metadata.get("variable") or PREFIX + f.name.upper()
