"""``gdc-es start --secure``: the local node as a production cluster is run — HTTPS with a private CA,
users and API keys — so that the portal and the indexer can be tried against real Elasticsearch security.

Everything lives in ``<var>/security`` (``var/es/security``)::

    ca.crt                  the private CA clients trust (GDC_ES_CA_CERTS); its presence marks the node secure
    admin.password          the file-realm superuser ``gdc-admin`` that gdc-es itself uses (mode 0600)
    portal.env, indexer.env GDC_ES_URL, GDC_ES_CA_CERTS, GDC_ES_API_KEY, GDC_INDEX of each key (mode 0600)
    home/                   the node's own home: bin, lib, modules linked to the shared distribution,
                            plugins/gdc-security-analysis built here (the shared cache is never changed)

The node's TLS files are in ``<var>/config/certs`` because Elasticsearch only reads TLS files under
its configuration directory. The security index's mappings need ``uax_url_email``, ``pattern_capture``
and ``unique``, which live in the analysis-common module that Elastic's integ-test zip does not ship:
``analysis_plugin/`` provides them (Java, compiled here with the machine's JDK against the server's jars).
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from indexer.localnode.distribution import ES_VERSION, server_home
from indexer.localnode.java import find_java
from indexer.localnode.layout import NodeError, NodePaths

ADMIN_USER = "gdc-admin"
PLUGIN_NAME = "gdc-security-analysis"
PLUGIN_SOURCE = Path(__file__).resolve().parent / "analysis_plugin"
CERTS = "certs"  # under the node's configuration directory

# What each key may do; ``{alias}`` is the alias the key is for (GDC_INDEX) and ``{alias}-*`` covers
# its physical indices (``<alias>-v<n>-…``), the ``<alias>-open`` alias and the indexer's lock index
# (``<alias>-lock``), not another catalogue's ``<alias>2``.
# Measured against this node (tests/cluster/test_secure_node.py): the portal reads; load, rebuild,
# status, count and cleanup need cluster ``monitor`` and every index privilege on them;
# ``gdc-index snapshot`` also needs ``create_snapshot`` and to register its repository
# (``cluster:admin/repository/put``), ``restore`` ``cluster:admin/snapshot/restore`` — the two
# actions the named privilege ``manage`` would grant among much else.
PORTAL_ROLE = {"cluster": ["monitor"],
               "indices": [{"names": ["{alias}", "{alias}-*"], "privileges": ["read", "view_index_metadata"]}]}
INDEXER_ROLE = {"cluster": ["monitor", "create_snapshot", "cluster:admin/repository/put",
                            "cluster:admin/snapshot/restore"],
                "indices": [{"names": ["{alias}", "{alias}-*"], "privileges": ["all"]}]}
KEYS = {"portal": PORTAL_ROLE, "indexer": INDEXER_ROLE}


def security_dir(paths: NodePaths) -> Path:
    return paths.var / "security"


def ca_certificate(paths: NodePaths) -> Path:
    return security_dir(paths) / "ca.crt"


def is_secure(paths: NodePaths) -> bool:
    """A node started with ``--secure`` once stays secure (its data holds the security index)."""
    return paths.secure


def node_home(paths: NodePaths) -> Path:
    """The Elasticsearch home the node runs from: its own when secure, else the shared distribution."""
    return security_dir(paths) / "home" if is_secure(paths) else server_home(paths)


def env_file(paths: NodePaths, who: str) -> Path:
    return security_dir(paths) / f"{who}.env"


def elasticsearch_yml(paths: NodePaths) -> str:
    """The security part of ``elasticsearch.yml``: off (the plain local node) or HTTPS, TLS between
    nodes, API keys."""
    if not is_secure(paths):
        return "xpack.security.enabled: false\n"
    tls = (f"  key: {CERTS}/node.key\n  certificate: {CERTS}/node.crt\n"
           f"  certificate_authorities: [{CERTS}/ca.crt]\n")
    return ("xpack.security.enabled: true\n"
            "xpack.security.authc.api_key.enabled: true\n"
            "xpack.security.http.ssl:\n  enabled: true\n" + tls +
            "xpack.security.transport.ssl:\n  enabled: true\n  verification_mode: certificate\n" + tls)


# --- preparing the node: plugin, home, certificates, admin user ----------------------------------------

def prepare(paths: NodePaths, java_home: Path, java_homes: tuple[str, ...] = ()) -> None:
    """Everything a secure node needs before it starts; what exists already is kept."""
    root = security_dir(paths)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    paths.conf.mkdir(parents=True, exist_ok=True)
    _build_home(paths, java_homes)
    if not (paths.conf / CERTS / "node.key").exists() or not ca_certificate(paths).exists():
        _certificates(paths, java_home)
    _admin_user(paths, java_home)


def _tool_env(paths: NodePaths, java_home: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "ES_JAVA_HOME": str(java_home), "ES_PATH_CONF": str(paths.conf),
            "LANG": "C.UTF-8"}


def _run_tool(paths: NodePaths, java_home: Path, tool: str, *args: str) -> None:
    done = subprocess.run([str(server_home(paths) / "bin" / tool), *args], env=_tool_env(paths, java_home),
                          capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        tail = " ".join((done.stdout + done.stderr).split()[-40:])
        raise NodeError(f"{tool} {args[0]} failed (code {done.returncode}): {tail}")


def _sources_digest() -> str:
    digest = hashlib.sha256(ES_VERSION.encode())
    for source in sorted(PLUGIN_SOURCE.rglob("*")):
        if source.is_file():
            digest.update(str(source.relative_to(PLUGIN_SOURCE)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _build_home(paths: NodePaths, java_homes: tuple[str, ...]) -> None:
    """``home/``: links to the shared server's bin, lib and modules, and the analysis plugin, compiled
    again only when its sources (or the server version) changed."""
    home = security_dir(paths) / "home"
    shared = server_home(paths)
    for part in ("bin", "lib", "modules"):
        link = home / part
        if link.is_symlink() and link.resolve() == (shared / part).resolve():
            continue
        home.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(shared / part)
    plugin = home / "plugins" / PLUGIN_NAME
    stamp = security_dir(paths) / "plugin.sha256"
    digest = _sources_digest()
    if (plugin / f"{PLUGIN_NAME}.jar").exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return
    jdk = find_java(java_homes, tool="javac")
    shutil.rmtree(plugin, ignore_errors=True)
    plugin.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="gdc-plugin-") as classes:
        sources = [str(p) for p in sorted((PLUGIN_SOURCE / "src").rglob("*.java"))]
        done = subprocess.run([str(jdk / "bin" / "javac"), "--release", "21", "-nowarn", "-cp",
                               f"{shared / 'lib'}/*", "-d", classes, *sources],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise NodeError(f"compiling the {PLUGIN_NAME} plugin with {jdk}/bin/javac failed: "
                            + done.stderr.strip()[-1500:])
        with zipfile.ZipFile(plugin / f"{PLUGIN_NAME}.jar", "w", zipfile.ZIP_DEFLATED) as jar:
            jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
            for compiled in sorted(Path(classes).rglob("*.class")):
                jar.write(compiled, compiled.relative_to(classes).as_posix())
    descriptor = (PLUGIN_SOURCE / "plugin-descriptor.properties").read_text()
    (plugin / "plugin-descriptor.properties").write_text(descriptor.replace("@ES_VERSION@", ES_VERSION))
    for path in [plugin.parent, plugin, *plugin.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    stamp.write_text(digest + "\n")


def _certificates(paths: NodePaths, java_home: Path) -> None:
    """A private CA and the node's certificate for 127.0.0.1 / localhost (elasticsearch-certutil):
    the node's copies in ``config/certs`` (keys 0600), the CA certificate in ``security/ca.crt``;
    the CA key and the zips are not kept."""
    with tempfile.TemporaryDirectory(prefix="gdc-certs-") as work:
        work_dir = Path(work)
        _run_tool(paths, java_home, "elasticsearch-certutil", "ca", "--pem", "--silent",
                  "--out", str(work_dir / "ca.zip"))
        with zipfile.ZipFile(work_dir / "ca.zip") as archive:
            archive.extractall(work_dir)
        _run_tool(paths, java_home, "elasticsearch-certutil", "cert", "--pem", "--silent",
                  "--ca-cert", str(work_dir / "ca" / "ca.crt"), "--ca-key", str(work_dir / "ca" / "ca.key"),
                  "--ip", "127.0.0.1", "--dns", "localhost", "--name", "node", "--out", str(work_dir / "node.zip"))
        with zipfile.ZipFile(work_dir / "node.zip") as archive:
            archive.extractall(work_dir)
        certs = paths.conf / CERTS
        certs.mkdir(parents=True, exist_ok=True)
        for source, name in ((work_dir / "ca" / "ca.crt", "ca.crt"), (work_dir / "node" / "node.crt", "node.crt"),
                             (work_dir / "node" / "node.key", "node.key")):
            shutil.copyfile(source, certs / name)
            (certs / name).chmod(0o600 if name.endswith(".key") else 0o644)
        shutil.copyfile(work_dir / "ca" / "ca.crt", ca_certificate(paths))
        ca_certificate(paths).chmod(0o644)


def admin_password(paths: NodePaths) -> str:
    return (security_dir(paths) / "admin.password").read_text().strip()


def _admin_user(paths: NodePaths, java_home: Path) -> None:
    """The file-realm superuser gdc-es checks health and makes keys with (random password, 0600)."""
    users, roles = paths.conf / "users", paths.conf / "users_roles"
    password_file = security_dir(paths) / "admin.password"
    for path in (users, roles):
        path.touch()
    exists = any(line.startswith(f"{ADMIN_USER}:") for line in users.read_text().splitlines())
    if exists and password_file.exists():
        return
    if exists:  # its password was lost: a new one
        _run_tool(paths, java_home, "elasticsearch-users", "userdel", ADMIN_USER)
    password = secrets.token_urlsafe(24)
    _run_tool(paths, java_home, "elasticsearch-users", "useradd", ADMIN_USER, "-p", password, "-r", "superuser")
    password_file.touch(mode=0o600)
    password_file.chmod(0o600)
    password_file.write_text(password + "\n")
    for path in (users, roles):
        path.chmod(0o600)


# --- talking to the node as gdc-admin ---------------------------------------------------------------------

def request(paths: NodePaths, method: str, path: str, body: dict | None = None, timeout: float = 5.0,
            api_key: str | None = None) -> dict:
    """``method path`` on the secure node as gdc-admin (or with ``api_key``), trusting only our CA.
    Raises ``urllib.error.URLError`` / ``OSError`` when it does not answer, ``HTTPError`` on a refusal."""
    context = ssl.create_default_context(cafile=str(ca_certificate(paths)))
    if api_key:
        authorization = f"ApiKey {api_key}"
    else:
        authorization = "Basic " + base64.b64encode(f"{ADMIN_USER}:{admin_password(paths)}".encode()).decode()
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(f"{paths.url}{path}", data=data, method=method,
                                  headers={"Authorization": authorization, "Content-Type": "application/json"})
    with urllib.request.urlopen(sent, timeout=timeout, context=context) as answer:
        return json.loads(answer.read().decode() or "{}")


def _role(template: dict, alias: str) -> dict:
    return json.loads(json.dumps(template).replace("{alias}", alias))


def _read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def _key_works(paths: NodePaths, values: dict[str, str], alias: str) -> bool:
    if values.get("GDC_INDEX") != alias or values.get("GDC_ES_URL") != paths.url or not values.get("GDC_ES_API_KEY"):
        return False
    try:
        request(paths, "GET", "/_security/_authenticate", api_key=values["GDC_ES_API_KEY"])
    except urllib.error.HTTPError:
        return False
    return True


def ensure_api_keys(paths: NodePaths, alias: str) -> list[Path]:
    """``portal.env`` and ``indexer.env``, each with an API key limited to ``alias`` (kept while the
    node still accepts it for the same alias and URL, else a new key). Returns the two files."""
    written = []
    for who, template in KEYS.items():
        path = env_file(paths, who)
        if not _key_works(paths, _read_env(path), alias):
            key = request(paths, "POST", "/_security/api_key", timeout=60, body={
                "name": f"gdc-{who}-{alias}", "role_descriptors": {f"gdc-{who}": _role(template, alias)},
                "metadata": {"created_by": "gdc-es", "alias": alias}})
            path.touch(mode=0o600)
            path.chmod(0o600)
            path.write_text(
                f"# Written by gdc-es start --secure: the {who}'s key (privileges: docs/OPERATIONS.md).\n"
                f"GDC_ES_URL={paths.url}\nGDC_ES_CA_CERTS={ca_certificate(paths)}\n"
                f"GDC_ES_API_KEY={key['encoded']}\nGDC_INDEX={alias}\n")
        written.append(path)
    return written
