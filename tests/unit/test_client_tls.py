"""The client side of a secured cluster: TLS verified against GDC_ES_CA_CERTS, a refused key, an
unreachable cluster — each a clear line at start-up.

The other end is a stand-in, plainly: a small HTTPS endpoint on loopback with a certificate from a CA
generated here (openssl), answering the way Elasticsearch answers (product header, 401 for a refused
key). It proves what the *client* does with TLS and keys; it is not Elasticsearch security.
"""
from __future__ import annotations

import json
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.client import REQUEST, ClusterMisconfigured, check_cluster, make_client
from indexer.settings import PROJECT_ROOT, Settings
from tests.servers import free_port



def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _ca(cwd: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
             "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=cwd)


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("tls")
    _ca(cwd, "ca")
    _ca(cwd, "other-ca")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "node.key",
             "-out", "node.csr", cwd=cwd)
    (cwd / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-extfile", "san.ext", "-out", "node.crt", cwd=cwd)
    return cwd


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        refused = self.headers.get("Authorization") == "ApiKey d3Jvbmc6a2V5"
        body = json.dumps({"error": "unable to authenticate"} if refused else
                          {"name": "stand-in", "version": {"number": "stand-in"}}).encode()
        self.send_response(401 if refused else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def endpoint(certs):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # a free port
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "node.crt", certs / "node.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _check(url: str, ca: Path | None, key: str | None = None) -> str:
    settings = Settings(es_url=url, es_ca_certs=str(ca) if ca else None, es_api_key=key, es_timeout=3)
    return check_cluster(make_client(settings, profile=REQUEST), settings)


def test_certificate_from_the_configured_ca_is_trusted(endpoint, certs):
    assert _check(endpoint, certs / "ca.crt", key="Z29vZDprZXk=") == f"Elasticsearch stand-in at {endpoint}"


def test_certificate_from_another_ca_fails_with_a_clear_message(endpoint, certs):
    with pytest.raises(ClusterMisconfigured) as caught:
        _check(endpoint, certs / "other-ca.crt")
    message = str(caught.value)
    assert f"the TLS certificate of {endpoint} is not trusted by {certs / 'other-ca.crt'} (GDC_ES_CA_CERTS)" in message
    assert "ใบรับรอง TLS" in message


def test_no_ca_given_means_the_system_bundle_which_does_not_know_our_ca(endpoint):
    with pytest.raises(ClusterMisconfigured, match="not trusted by the system's CA bundle"):
        _check(endpoint, None)


def test_a_refused_api_key_fails_with_a_clear_message(endpoint, certs):
    with pytest.raises(ClusterMisconfigured, match="refused GDC_ES_API_KEY"):
        _check(endpoint, certs / "ca.crt", key="d3Jvbmc6a2V5")


def test_an_unreachable_cluster_is_reported_not_fatal(certs):
    unreachable = f"https://127.0.0.1:{free_port()}"  # nothing listens there
    assert _check(unreachable, certs / "ca.crt").startswith(f"warning: Elasticsearch at {unreachable} is not reachable")


def test_the_portal_refuses_to_start_with_a_wrong_ca(endpoint, certs, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "GDC_ES_URL": endpoint, "GDC_ES_CA_CERTS": str(certs / "other-ca.crt"),
           "GDC_VAR_DIR": str(tmp_path), "GDC_PORT": str(free_port()), "GDC_SECRET_KEY": "x"}
    done = subprocess.run([sys.executable, "-m", "portal"], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "error: ใบรับรอง TLS" in done.stderr and "is not trusted by" in done.stderr
    assert "Traceback" not in done.stderr


def test_plain_http_to_an_https_port_fails_with_a_clear_message(endpoint):
    plain = endpoint.replace("https://", "http://")
    with pytest.raises(ClusterMisconfigured) as caught:
        _check(plain, None)
    assert f"{plain} answers HTTPS only: set GDC_ES_URL to https://" in str(caught.value)
    assert "GDC_ES_CA_CERTS" in str(caught.value)


def test_a_ca_with_a_plain_http_url_is_refused_before_connecting(certs):
    plain = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterMisconfigured, match=f"GDC_ES_CA_CERTS is set but GDC_ES_URL {plain} is plain http://"):
        _check(plain, certs / "ca.crt")
