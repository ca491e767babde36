"""Backups: a snapshot of the cluster's alias restored into an empty node gives identical counts."""
from __future__ import annotations

import pytest

from indexer import cli
from tests.integration.api_corpus import corpus
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
    assert cli.main(["restore", "no-such-snapshot"]) == 2
    assert "no snapshot no-such-snapshot" in capsys.readouterr().err

    # A second restore on a serving node swaps in a fresh copy, leaving the old one for cleanup.
    assert cli.main(["restore", "nightly-test"]) == 0
    assert "left behind (remove with gdc-index cleanup)" in capsys.readouterr().out
    assert cli.main(["cleanup"]) == 0
    assert single_es.count(index=alias)["count"] == source_count
