"""Principals, grants and the visibility filter; accounts, sessions and tokens."""
from __future__ import annotations

from flask import g

from portal.auth.principal import ANONYMOUS, Principal


def current_principal() -> Principal:
    """The principal of the current request (anonymous unless sign-in or a token said otherwise)."""
    return g.get("principal", ANONYMOUS)
