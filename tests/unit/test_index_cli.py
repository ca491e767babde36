"""``gdc-index``'s command line without Elasticsearch: every command and flag, defaults, exit codes of
usage errors, and the flags whose effect shows without a node (``--format``)."""
from __future__ import annotations

import json

import pytest

from indexer import cli, snapshots
from indexer.rebuild import Options

COMMANDS = ("validate", "load", "rebuild", "status", "count", "cleanup", "snapshot", "restore")
SOURCE_FLAGS = ("--declare", "--format", "--source-label", "--rejects", "-q, --quiet", "--workers")
FLAGS = {
    "validate": SOURCE_FLAGS,
    "load": SOURCE_FLAGS + ("--alias", "--chunk-size", "--delete-missing", "--reindex-unchanged"),
    "rebuild": SOURCE_FLAGS + ("--alias", "--chunk-size", "--max-errors"),
    "status": ("--alias",), "count": ("--alias",), "cleanup": ("--alias",),
    "snapshot": ("--alias", "--repository", "--location"),
    "restore": ("--alias", "--repository", "--location"),
}
GOOD = {"id": "cli-flag", "title": "ข้อมูลคุณภาพอากาศรายวัน", "summary": "ค่าฝุ่น PM2.5 รายสถานี",
        "org": "กรมควบคุมมลพิษ", "tags": ["อากาศ"], "formats": ["CSV"], "resources": 1,
        "resources_list": [{"name": "csv", "format": "CSV", "url": "https://example.go.th/air.csv"}],
        "license": "Open Data Common", "updated": "2025-01-01T00:00:00",
        "url": "https://data.go.th/dataset/cli-flag"}


def params(command: str, *argv: str) -> dict:
    """What ``gdc-index COMMAND ARGV…`` hands its run function (parsed, nothing run)."""
    return cli.gdc_index.commands[command].make_context(command, list(argv)).params


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_every_command_and_exits_0(flag, capsys):
    assert cli.main([flag]) == 0
    out = capsys.readouterr().out
    assert all(f"  {command}  " in out or f"  {command} " in out for command in COMMANDS)
    assert "-v, --verbose" in out and "Exit codes" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_keeps_its_flags(command, capsys):
    assert cli.main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert all(flag in out for flag in FLAGS[command]), out


def test_help_does_not_read_the_settings(monkeypatch, capsys):
    monkeypatch.setenv("GDC_ES_TIMEOUT", "soon")  # refused by name when a command runs
    assert cli.main(["load", "--help"]) == 0
    assert "--delete-missing" in capsys.readouterr().out
    with pytest.raises(ValueError, match="GDC_ES_TIMEOUT"):
        cli.main(["count", "--alias", "test_never"])


def test_defaults_are_those_of_the_argparse_version():
    load = params("load", "a.jsonl")
    assert load["sources"] == ("a.jsonl",) and load["declare"] == () and load["fmt"] is None
    assert load["chunk_size"] == Options.chunk_size and load["workers"] is None
    assert load["delete_missing"] is False and load["reindex_unchanged"] is False and load["quiet"] is False
    assert params("rebuild", "a.jsonl")["max_errors"] == 0
    assert params("snapshot")["snapshot"] is None and params("restore")["snapshot"] == "latest"
    restore = params("restore", "nightly")
    assert restore["snapshot"] == "nightly"
    assert (restore["repository"], restore["location"]) == (snapshots.REPOSITORY, snapshots.LOCATION)


def test_flags_parse_into_what_the_commands_read():
    rebuild = params("rebuild", "a.jsonl", "https://data.go.th", "--declare", "data_category=public",
                     "--declare", "maintainer=x", "--format", "csv", "--source-label", "agency",
                     "--rejects", "r.jsonl", "-q", "--alias", "test_x", "--workers", "0", "--chunk-size", "7",
                     "--max-errors", "3")
    assert rebuild["sources"] == ("a.jsonl", "https://data.go.th")
    assert rebuild["declare"] == ("data_category=public", "maintainer=x")
    assert (rebuild["fmt"], rebuild["source_label"], str(rebuild["rejects"])) == ("csv", "agency", "r.jsonl")
    assert (rebuild["alias"], rebuild["workers"], rebuild["chunk_size"], rebuild["max_errors"]) == ("test_x", 0, 7, 3)
    assert rebuild["quiet"] is True
    load = params("load", "a.jsonl", "--delete-missing", "--reindex-unchanged")
    assert load["delete_missing"] is True and load["reindex_unchanged"] is True
    assert cli.gdc_index.make_context("gdc-index", ["-v", "count"]).params == {"verbose": True}


@pytest.mark.parametrize("argv", [
    ["unknown-command"],
    ["load"],  # no SOURCE
    ["validate", "a.jsonl", "--format", "xml"],
    ["load", "a.jsonl", "--workers", "many"],
    ["restore", "one", "two"],
    ["count", "--no-such-flag"],
])
def test_a_usage_error_exits_2_with_the_usage(argv, capsys):
    assert cli.main(argv) == 2
    assert "Error:" in capsys.readouterr().err


def test_format_overrides_detection(tmp_path, capsys):
    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(dict(GOOD, id=f"cli-flag-{i}"), ensure_ascii=False) for i in (1, 2))
                      + "\n", encoding="utf-8")
    common = ["--declare", "data_category=ข้อมูลสาธารณะ", "--workers", "0", "--quiet"]
    assert cli.main(["validate", str(source), *common, "--rejects", str(tmp_path / "a.jsonl")]) == 0
    # Read as CSV, the first JSON line is a header and the second a row of nonsense: rejected.
    assert cli.main(["validate", str(source), "--format", "csv", *common,
                     "--rejects", str(tmp_path / "b.jsonl")]) == 1
    assert (tmp_path / "a.jsonl").read_text() == "" and (tmp_path / "b.jsonl").read_text() != ""
