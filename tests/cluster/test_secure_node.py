"""The portal and the indexer against a real secured Elasticsearch: ``gdc-es start --secure`` (HTTPS with
a private CA, API keys), one node for the module on free ports, in a state directory of its own.

Checks what production depends on: the indexer loads the sample with its key; the portal serves it
with its own read-only key and says the cluster is reachable; that key cannot write, delete or move
the alias; and a wrong scheme, CA or key stops the portal and the indexer at once with one line
naming the setting to fix (exit 2, no traceback).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest
from elasticsearch import AuthorizationException

from indexer import localnode
from indexer.client import make_client
from indexer.localnode import security
from indexer.settings import PROJECT_ROOT, Settings
from tests.servers import PortalProcess, fetch, free_port

pytestmark = pytest.mark.cluster

ALIAS = "test_secure"
SAMPLE = PROJECT_ROOT / "data" / "datagoth-sample-836.jsonl"
GDC_INDEX_BIN = Path(sys.executable).parent / "gdc-index"
FAST_S = 20  # a misconfiguration is reported at start-up, not after retries and timeouts


def _free_pair() -> int:
    """A free HTTP port whose transport port (+100) is free as well."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 100))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports")


def _read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def node():
    var = PROJECT_ROOT / "var" / f"test-secure-{os.getpid()}"
    paths = localnode.default_paths(port=_free_pair(), var=var)
    settings = Settings.from_env({**os.environ, "GDC_ES_HEAP": "1g", "GDC_INDEX": ALIAS})
    try:
        started = time.monotonic()
        message = localnode.start(paths, settings=settings, secure=True)
        print(f"secure node started in {time.monotonic() - started:.1f} s: {message}")
        yield paths
    finally:
        localnode.stop(paths)
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="module")
def portal_env(node) -> dict[str, str]:
    return _read_env(security.env_file(node, "portal"))


@pytest.fixture(scope="module")
def indexer_env(node) -> dict[str, str]:
    return _read_env(security.env_file(node, "indexer"))


def _gdc_index(env: dict[str, str], *args: str, var_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(GDC_INDEX_BIN), *args], env={**os.environ, "GDC_VAR_DIR": str(var_dir), **env},
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def loaded(node, indexer_env, tmp_path_factory) -> int:
    done = _gdc_index(indexer_env, "load", "-q", "--workers", "0", "--declare", "data_category=ข้อมูลสาธารณะ",
                      str(SAMPLE), var_dir=tmp_path_factory.mktemp("indexer"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "accepted 836" in done.stdout
    return 836


def test_the_node_is_https_only_and_files_are_private(node, portal_env, indexer_env):
    assert node.url.startswith("https://")
    running, message = localnode.status(node)
    assert running and f"at {node.url}" in message and "secured" in message
    for env in (portal_env, indexer_env):
        assert env["GDC_ES_URL"] == node.url and env["GDC_ES_CA_CERTS"] == str(security.ca_certificate(node))
        assert env["GDC_INDEX"] == ALIAS and env["GDC_ES_API_KEY"]
    assert portal_env["GDC_ES_API_KEY"] != indexer_env["GDC_ES_API_KEY"]
    for secret in (security.env_file(node, "portal"), security.env_file(node, "indexer"),
                   security.security_dir(node) / "admin.password", node.conf / "certs" / "node.key"):
        assert secret.stat().st_mode & 0o077 == 0, f"{secret} is readable by others"
    assert not list(node.var.rglob("*.zip")) and not list(node.var.rglob("ca.key"))
    with pytest.raises(urllib.error.HTTPError) as caught:  # an unknown key gets nothing, even with the right CA
        security.request(node, "GET", "/_cluster/health", api_key="bm9uZTpub25l")
    assert caught.value.code == 401


def test_the_analysis_plugin_gives_the_security_index_its_email_analyzer(node):
    """The three components analysis-common would provide, as the .security index's mapping uses them."""
    tokens = security.request(node, "POST", "/_analyze", body={
        "tokenizer": "uax_url_email",
        "filter": [{"type": "pattern_capture", "preserve_original": True, "patterns": ["([^@]+)", "@(.+)"]},
                   "lowercase", "unique"],
        "text": "Somchai@Example.go.th somchai@example.go.th"})["tokens"]
    assert [t["token"] for t in tokens] == ["somchai@example.go.th", "somchai", "example.go.th"]
    assert security.request(node, "GET", "/.security/_count")["count"] > 0


def test_restarting_keeps_the_keys(node, portal_env, indexer_env):
    settings = Settings.from_env({**os.environ, "GDC_INDEX": ALIAS})
    assert localnode.start(node, settings=settings).startswith("already running")
    assert _read_env(security.env_file(node, "portal")) == portal_env
    assert _read_env(security.env_file(node, "indexer")) == indexer_env


def test_the_portal_serves_the_sample_with_its_read_only_key(node, loaded, portal_env, tmp_path):
    with PortalProcess(None, portal_env, tmp_path) as portal:
        answer = fetch(f"{portal.url}/api/v1/search?q=ประชากร&size=5")
        ready = fetch(f"{portal.url}/readyz")
        output = portal.output()
    assert answer.status == 200, answer.body[:500]
    body = json.loads(answer.body)
    assert 0 < body["total"] < loaded and body["results"]
    assert ready.status == 200 and json.loads(ready.body)["status"] == "ready"
    assert f"Elasticsearch at {node.url}: reachable" in output


def test_the_portal_key_cannot_write_delete_or_move_the_alias(node, loaded, portal_env):
    es = make_client(Settings.from_env(portal_env))
    concrete = sorted(es.indices.get_alias(name=ALIAS))
    assert concrete and all(name.startswith(f"{ALIAS}-v") for name in concrete)
    assert es.count(index=ALIAS)["count"] == loaded
    refused = {
        "index a document": lambda: es.index(index=concrete[0], id="intruder", document={"title": "x"}),
        "delete the index": lambda: es.indices.delete(index=concrete[0]),
        "move the alias": lambda: es.indices.update_aliases(
            actions=[{"remove": {"index": concrete[0], "alias": ALIAS}}]),
        "create an index": lambda: es.indices.create(index=f"{ALIAS}-intruder"),
        "change settings": lambda: es.indices.put_settings(index=concrete[0], settings={"number_of_replicas": 1}),
    }
    for what, attempt in refused.items():
        with pytest.raises(AuthorizationException) as caught:
            attempt()
        assert caught.value.meta.status == 403, what
    assert sorted(es.indices.get_alias(name=ALIAS)) == concrete
    assert es.count(index=ALIAS)["count"] == loaded
    security.request(node, "PUT", f"/{ALIAS}2")  # another catalogue's index beside ours
    for other in (f"{ALIAS}2", ".security"):
        with pytest.raises(AuthorizationException):
            es.count(index=other)


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("other-ca")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other",
                    "-keyout", "other.key", "-out", "other.crt"], cwd=cwd, check=True, capture_output=True)
    return cwd / "other.crt"


MISTAKES = {
    # what is wrong: (how the settings differ from the env file, what the one line must say)
    "plain http with the CA": (lambda env, ca: {"GDC_ES_URL": env["GDC_ES_URL"].replace("https:", "http:")},
                               "GDC_ES_CA_CERTS is set but GDC_ES_URL"),
    "plain http without a CA": (lambda env, ca: {"GDC_ES_URL": env["GDC_ES_URL"].replace("https:", "http:"),
                                                 "GDC_ES_CA_CERTS": ""}, "answers HTTPS only: set GDC_ES_URL to https://"),
    "another CA": (lambda env, ca: {"GDC_ES_CA_CERTS": str(ca)}, "(GDC_ES_CA_CERTS)"),
    "a wrong key": (lambda env, ca: {"GDC_ES_API_KEY": "d3Jvbmc6a2V5"}, "refused GDC_ES_API_KEY (401)"),
    "an invalidated key": (None, "refused GDC_ES_API_KEY (401)"),
}


@pytest.fixture(scope="module")
def invalidated_key(node) -> str:
    key = security.request(node, "POST", "/_security/api_key", body={"name": "test-invalidated"})
    security.request(node, "DELETE", "/_security/api_key", body={"ids": [key["id"]]})
    return key["encoded"]


@pytest.mark.parametrize("program", ["portal", "gdc-index"])
@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_wrong_setting_stops_at_once_with_one_clear_line(node, portal_env, indexer_env, other_ca, invalidated_key,
                                                           mistake, program, tmp_path):
    change, expected = MISTAKES[mistake]
    base = portal_env if program == "portal" else indexer_env
    env = {**os.environ, **base, "GDC_VAR_DIR": str(tmp_path), "GDC_PORT": str(free_port()), "GDC_SECRET_KEY": "x",
           **(change(base, other_ca) if change else {"GDC_ES_API_KEY": invalidated_key})}
    command = ([sys.executable, "-m", "portal"] if program == "portal"
               else [str(GDC_INDEX_BIN), "load", "-q", "--declare", "data_category=ข้อมูลสาธารณะ", str(SAMPLE)])
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - started
    assert done.returncode == 2, done.stdout[-1000:] + done.stderr[-1000:]
    assert expected in done.stderr and "error: " in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert seconds < FAST_S


def test_the_indexer_key_covers_rebuild_snapshot_restore_and_cleanup(node, loaded, indexer_env, portal_env, tmp_path):
    """The indexer's role (security.INDEXER_ROLE) as measured: every command it runs succeeds with it;
    the portal's key is refused the snapshot with a line naming the missing privilege."""
    declare = ("--declare", "data_category=ข้อมูลสาธารณะ")
    outputs = {}
    for args in (("rebuild", "-q", "--workers", "0", *declare, str(SAMPLE)), ("snapshot", "secure-test"),
                 ("restore", "secure-test"), ("cleanup",), ("status",)):
        done = _gdc_index(indexer_env, *args, var_dir=tmp_path)
        assert done.returncode == 0, f"{args[0]}: {done.stdout[-1500:]}{done.stderr[-1500:]}"
        outputs[args[0]] = done.stdout
    assert f"restored secure-test: {ALIAS}" in outputs["restore"] and "removed " in outputs["cleanup"]
    count = _gdc_index(portal_env, "count", var_dir=tmp_path)
    assert count.returncode == 0 and count.stdout.strip() == str(loaded)
    refused = _gdc_index(portal_env, "snapshot", var_dir=tmp_path)
    assert refused.returncode == 2 and "cluster:admin/repository/put" in refused.stderr
    assert "Traceback" not in refused.stderr
