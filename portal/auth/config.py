"""Where the auth area keeps its files; shared by the portal and the ``gdc-users`` command."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from indexer.settings import Settings


def auth_db_path(settings: Settings, environ: Mapping[str, str] | None = None) -> Path:
    """``GDC_AUTH_DB``, else ``<GDC_VAR_DIR>/auth.sqlite3``."""
    env = os.environ if environ is None else environ
    return Path(env.get("GDC_AUTH_DB") or Path(settings.var_dir) / "auth.sqlite3")


def audit_log_path(settings: Settings, environ: Mapping[str, str] | None = None) -> Path:
    """``GDC_AUDIT_LOG``, else ``<GDC_VAR_DIR>/audit.jsonl``."""
    env = os.environ if environ is None else environ
    return Path(env.get("GDC_AUDIT_LOG") or Path(settings.var_dir) / "audit.jsonl")
