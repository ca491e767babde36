"""The audit trail's disclosure entries: one per request that showed sensitive records to someone.

``portal.auth.visibility.redact`` notes each sensitive record it lets through in ``g.gdc_disclosed``;
:func:`write_disclosures` (a teardown hook) writes them as one entry with who, how, from where and what
was asked.
"""
from __future__ import annotations

import logging

from flask import g, request

from portal.auth.context import audit_log, client_address
from portal.auth.principal import ANONYMOUS

log = logging.getLogger(__name__)

_NEVER_LOGGED = ("password", "csrf_token")


def note_status(response):
    """Keep the status for the entry (an ``after_request`` hook: teardown sees no response)."""
    g.gdc_status = response.status_code
    return response


def _request_query() -> dict:
    query = request.args.to_dict(flat=False)
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict):
        query.update(body)
    for key, value in request.form.items(multi=False):
        if key not in _NEVER_LOGGED:
            query.setdefault(key, value)
    return query


def write_disclosures(exc: BaseException | None) -> None:
    """One entry per request that disclosed sensitive records to a signed-in principal."""
    disclosed = g.pop("gdc_disclosed", None)
    principal = g.get("principal", ANONYMOUS)
    if not disclosed:
        return
    try:
        audit_log().append(
            "disclosure", who=principal.username or "anonymous", kind=principal.kind, via=g.get("auth_via"),
            token=g.get("token_id"), ip=client_address(), method=request.method,
            path=request.path, query=_request_query(), status=g.get("gdc_status"),
            ids=sorted(disclosed), tiers=disclosed)
    except OSError:
        log.exception("could not write the audit log")
