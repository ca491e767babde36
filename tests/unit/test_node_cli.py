"""``gdc-es``'s command line without starting a node: commands, flags, exit codes."""
from __future__ import annotations

import pytest

from indexer import localnode


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_names_every_command_and_flag(flag, capsys):
    assert localnode.main([flag]) == 0
    out = capsys.readouterr().out
    assert "{start|stop|status|logs|install}" in out
    assert all(f in out for f in ("--port", "--var", "-n, --lines", "--nodes", "--secure"))


@pytest.mark.parametrize("argv", [[], ["restart"], ["status", "--port", "high"], ["logs", "-n"]])
def test_a_usage_error_exits_2(argv, capsys):
    assert localnode.main(argv) == 2
    assert "Error:" in capsys.readouterr().err


def test_logs_shows_the_last_lines_asked_for(tmp_path, capsys):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "gdcatalog-local.log").write_text("".join(f"line {i}\n" for i in range(1, 80)))
    assert localnode.main(["logs", "--var", str(tmp_path), "-n", "3"]) == 0
    assert capsys.readouterr().out.split() == ["line", "77", "line", "78", "line", "79"]
    assert localnode.main(["logs", "--var", str(tmp_path)]) == 0  # default: 50 lines
    assert capsys.readouterr().out.count("line") == 50


def test_options_may_come_before_the_command(tmp_path, capsys):
    assert localnode.main(["--port", "9259", "--var", str(tmp_path), "status"]) == 3
    assert capsys.readouterr().out == "gdc-es: stopped\n"


def test_a_cluster_of_no_nodes_is_refused_with_exit_code_1(tmp_path, capsys):
    assert localnode.main(["start", "--nodes", "0", "--port", "9259", "--var", str(tmp_path)]) == 1
    assert "--nodes must be at least 1, got 0" in capsys.readouterr().err


def test_secure_with_several_nodes_is_refused_with_exit_code_1(tmp_path, capsys):
    assert localnode.main(["start", "--secure", "--nodes", "3", "--port", "9259", "--var", str(tmp_path)]) == 1
    assert "--secure runs one node only" in capsys.readouterr().err
    assert not (tmp_path / "security").exists()


def test_a_node_once_secure_is_reached_over_https(tmp_path):
    paths = localnode.default_paths(port=9259, var=tmp_path)
    assert paths.url == "http://127.0.0.1:9259" and not localnode.is_secure(paths)
    (tmp_path / "security").mkdir()
    (tmp_path / "security" / "ca.crt").write_text("a CA certificate\n")
    assert paths.url == "https://127.0.0.1:9259" and localnode.is_secure(paths)
    # A secure state directory refuses a cluster even without --secure.
    assert localnode.main(["start", "--nodes", "2", "--port", "9259", "--var", str(tmp_path)]) == 1
