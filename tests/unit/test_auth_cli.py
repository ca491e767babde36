"""``gdc-users``: every command against a temporary store and audit log."""
from __future__ import annotations

import io
import json

import pytest

from portal.auth import cli
from portal.auth.audit import AuditLog
from portal.auth.store import AccountStore


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("GDC_AUTH_DB", str(tmp_path / "auth.sqlite3"))
    monkeypatch.setenv("GDC_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    return tmp_path


def run(argv, stdin: str = "", monkeypatch=None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_add_grant_token_list_revoke(env, monkeypatch, capsys):
    assert run(["add", "somchai", "--password-stdin"], "correct horse battery\n", monkeypatch) == 0
    assert run(["add", "root", "--admin", "--no-password"]) == 0
    assert run(["grant", "somchai", "--categories", "personal,internal", "--max-level", "3",
                "--organizations", "moph,nso"]) == 0
    assert run(["grant", "somchai", "--categories", "secret", "--max-level", "5", "--full"]) == 0
    capsys.readouterr()
    assert run(["token", "somchai", "--days", "7", "--label", "etl"]) == 0
    token = capsys.readouterr().out.strip()
    store = AccountStore(env / "auth.sqlite3")
    assert store.authenticate_token(token)[0].username == "somchai"
    assert run(["list", "--json"]) == 0
    listed = {row["username"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["root"]["kind"] == "admin"
    assert [g["max_level"] for g in listed["somchai"]["grants"]] == [3, 5]
    assert listed["somchai"]["grants"][0]["organizations"] == ["moph", "nso"]
    assert run(["revoke", str(listed["somchai"]["grants"][0]["id"])]) == 0
    assert run(["revoke", "--token", listed["somchai"]["tokens"][0]["id"]]) == 0
    assert store.authenticate_token(token) is None
    assert len(store.principal_for("somchai").grants) == 1


def test_changes_are_audited(env, monkeypatch, capsys):
    run(["add", "somchai", "--password-stdin"], "correct horse battery\n", monkeypatch)
    run(["disable", "somchai"])
    details = [e["detail"] for e in AuditLog(env / "audit.jsonl").entries()]
    assert details == ["added analyst somchai", "disabled somchai"]
    capsys.readouterr()
    assert run(["audit", "--json"]) == 0
    assert [json.loads(line)["detail"] for line in capsys.readouterr().out.splitlines()] == [
        "disabled somchai", "added analyst somchai"]


@pytest.mark.parametrize("argv", [
    ["grant", "nobody", "--categories", "personal", "--max-level", "3"],
    ["grant", "somchai", "--categories", "public", "--max-level", "3"],
    ["revoke", "99"],
    ["token", "somchai", "--days", "0"],
])
def test_refusals_exit_2(env, monkeypatch, argv):
    run(["add", "somchai", "--password-stdin"], "correct horse battery\n", monkeypatch)
    assert run(argv) == 2


def test_short_password_is_refused(env, monkeypatch):
    assert run(["add", "somchai", "--password-stdin"], "short\n", monkeypatch) == 2


@pytest.mark.parametrize("argv", [
    [],
    ["nosuch"],
    ["grant", "somchai", "--max-level", "3"],
    ["grant", "somchai", "--categories", "personal", "--max-level", "6"],
    ["revoke"],
    ["revoke", "3", "--token", "abc"],
    ["token", "somchai", "--days", "many"],
])
def test_usage_errors_exit_2(env, argv, capsys):
    assert run(argv) == 2
    assert capsys.readouterr().err  # the reason is on stderr


def test_help_exits_0_and_names_every_command(env, capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("add", "passwd", "disable", "enable", "unlock", "grant", "revoke",
                                        "token", "list", "audit"))


def test_plain_listing_and_an_unknown_account(env, monkeypatch, capsys):
    run(["add", "somchai", "--password-stdin"], "correct horse battery\n", monkeypatch)
    run(["grant", "somchai", "--categories", "personal", "--max-level", "2"])
    capsys.readouterr()
    assert run(["list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "somchai  analyst", "    grant #1 personal up to level 2, all organizations, name tier"]
    assert run(["list", "nobody"]) == 2
    assert "gdc-users: no account 'nobody'" in capsys.readouterr().err
