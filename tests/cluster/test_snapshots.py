"""Backups: a snapshot of the cluster's alias restored into an empty node gives identical counts,
and the portal serves it."""
from __future__ import annotations

import pytest

from indexer import cli, mapping
from indexer.settings import Settings
from portal import create_app
from tests.integration.api_corpus import OPEN_IDS, corpus
from tests.support import load_records

pytestmark = pytest.mark.cluster


def test_snapshot_then_restore_into_an_empty_node(cluster_es, cluster_url, single, single_es, monkeypatch,
                                                   tmp_path, capsys):
    alias = "test_backup"
    load_records(cluster_es, alias, corpus())
    source_count = cluster_es.count(index=alias)["count"]
    assert not single_es.indices.exists_alias(name=alias), "the target node must not hold the alias"

    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("GDC_INDEX", alias)
    monkeypatch.setenv("GDC_ES_URL", cluster_url)
    assert cli.main(["snapshot", "nightly-test"]) == 0
    assert f"snapshot nightly-test in gdc-backups" in capsys.readouterr().out

    monkeypatch.setenv("GDC_ES_URL", single.url)
    assert cli.main(["restore"]) == 0
    out = capsys.readouterr().out
    assert f"restored nightly-test: {alias}" in out and f"{source_count} datasets (snapshot recorded {source_count})" in out
    assert single_es.count(index=alias)["count"] == source_count
    # Both partitions come back and the open twin alias moves with the catalogue alias.
    open_alias = mapping.open_alias(alias)
    assert single_es.count(index=open_alias)["count"] == cluster_es.count(index=open_alias)["count"]
    assert cli.main(["restore", "no-such-snapshot"]) == 2
    assert "no snapshot no-such-snapshot" in capsys.readouterr().err

    app = create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "test",
                      "GDC_SETTINGS": Settings.from_env({"GDC_ES_URL": single.url, "GDC_INDEX": alias}),
                      "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    client = app.test_client()
    answer = client.get("/api/v1/search")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.get_json()["total"] == len(OPEN_IDS)
    assert client.get("/dataset/covid-daily").status_code == 200
    assert client.get("/readyz").status_code == 200

    # A second restore on a serving node swaps in a fresh copy, leaving the old one for cleanup.
    assert cli.main(["restore", "nightly-test"]) == 0
    assert "left behind (remove with gdc-index cleanup)" in capsys.readouterr().out
    assert cli.main(["cleanup"]) == 0
    assert single_es.count(index=alias)["count"] == source_count
