"""The local node manager against a real second node on its own port and state directory."""
from __future__ import annotations

import os
import shutil
import socket

import pytest

from indexer import localnode
from indexer.settings import PROJECT_ROOT, Settings

PORT = 9251


@pytest.fixture(scope="module")
def paths():
    # Not under pytest's tmp dir: pytest resets /tmp/pytest-of-<user> to 0700 whenever another
    # session starts, which would lock the service user out of its own data directory.
    var = PROJECT_ROOT / "var" / f"test-es-{os.getpid()}"
    node = localnode.default_paths(port=PORT, var=var)
    yield node
    localnode.stop(node)
    shutil.rmtree(var, ignore_errors=True)


def test_start_status_second_start_and_stop(paths):
    message = localnode.start(paths)
    assert message.startswith("started: Elasticsearch 9.5.4")
    running, status = localnode.status(paths)
    assert running and "9.5.4" in status and "health green" in status

    pid = localnode.pid_of(paths)
    assert localnode.start(paths).startswith("already running")
    assert localnode.pid_of(paths) == pid, "a second start must not spawn another node"

    assert localnode.stop(paths) == f"stopped (pid {pid})"
    assert localnode.status(paths) == (False, "stopped")
    assert localnode.stop(paths) == "not running"


def test_node_runs_as_service_user_not_root(paths):
    localnode.start(paths)
    pid = localnode.pid_of(paths)
    with open(f"/proc/{pid}/status") as status:
        uid = next(int(line.split()[1]) for line in status if line.startswith("Uid:"))
    assert uid != 0
    localnode.stop(paths)


def test_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        node = localnode.default_paths(port=port, var=tmp_path / "es")
        with pytest.raises(localnode.NodeError, match=f"port {port} on 127.0.0.1 is taken"):
            localnode.start(node)


def test_cli_status_exit_code_for_stopped_node(tmp_path, capsys):
    assert localnode.main(["status", "--port", "9252", "--var", str(tmp_path)]) == 3
    assert "stopped" in capsys.readouterr().out


def test_missing_java_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_ES_JAVA_HOME", str(tmp_path))
    for name in ("ES_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(localnode.NodeError, match="needs Java 21 or newer; found no Java at all"):
        localnode.find_java(Settings.from_env().java_homes, jvm_dir=tmp_path / "nowhere")


def test_old_java_only_is_named_in_the_error(monkeypatch, tmp_path):
    for name in ("GDC_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(name, raising=False)
    jvms = tmp_path / "jvm"
    jvms.mkdir()
    (jvms / "java-17").symlink_to("/usr/lib/jvm/java-17-openjdk-amd64")
    with pytest.raises(localnode.NodeError, match=r"java-17 \(Java 17\)"):
        localnode.find_java(Settings.from_env().java_homes, jvm_dir=jvms)
