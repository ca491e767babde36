"""The server itself: Elastic's ``integ-test-zip`` distribution, fetched from Maven Central with Maven,
checked against a pinned SHA-512 and unpacked once into the cache."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from indexer.localnode.layout import NodeError, NodePaths

ES_VERSION = "9.5.4"
ES_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
# Maven Central publishes no checksum file beside the 9.x integ-test zips (only 8.x have .sha1), so
# the SHA-512 of the artifact as downloaded from Maven Central on 2026-11-25 is pinned here; when a
# published .sha1 exists Maven verifies it as well (checksum policy "fail" is used in that case).
ES_SHA512 = (
    "a75df614854ace52dd0bce977662b3792873ac077ec0af9026cd0b2a0eb119e4"
    "49910f8eb8ed577d1a83c51c6ee6af71bf5004c3cf5b418c979186de8b5dd9e6"
)


def server_home(paths: NodePaths) -> Path:
    """The unpacked server of ``ES_VERSION`` in the cache."""
    return paths.cache / f"elasticsearch-{ES_VERSION}"


def _sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_distribution(paths: NodePaths) -> Path:
    """Download the zip with Maven into the cache's own local repository and verify it."""
    if shutil.which("mvn") is None:
        raise NodeError("Maven (mvn) is needed to fetch Elasticsearch from Maven Central; install it (apt-get install maven).")
    repo = paths.cache / "m2"
    zip_path = repo / "org/elasticsearch/distribution/integ-test-zip/elasticsearch" / ES_VERSION / f"elasticsearch-{ES_VERSION}.zip"
    if not zip_path.exists():
        print(f"gdc-es: downloading Elasticsearch {ES_VERSION} from Maven Central …", flush=True)
        cmd = ["mvn", "-q", "-B", f"-Dmaven.repo.local={repo}", "dependency:get",
               f"-Dartifact={ES_ARTIFACT}", "-Dtransitive=false"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or not zip_path.exists():
            tail = " ".join((done.stdout + done.stderr).split()[-40:])
            raise NodeError(f"download of {ES_ARTIFACT} from Maven Central failed: {tail}")
    actual = _sha512(zip_path)
    if actual != ES_SHA512:
        zip_path.unlink()
        raise NodeError(f"checksum mismatch for {zip_path.name}: expected SHA-512 {ES_SHA512[:16]}…, got {actual[:16]}…; the file was removed")
    return zip_path


def _unpack(zip_path: Path, paths: NodePaths) -> None:
    staging = paths.cache / f".unpack-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            archive.extract(info, staging)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(staging / info.filename, mode)
    home = server_home(paths)
    (staging / home.name).rename(home)
    staging.rmdir()


def install(paths: NodePaths) -> Path:
    """The unpacked server in the cache, fetching and unpacking it the first time."""
    home = server_home(paths)
    if (home / "bin" / "elasticsearch").exists():
        return home
    paths.cache.mkdir(parents=True, exist_ok=True)
    _unpack(fetch_distribution(paths), paths)
    for directory in (paths.cache, home):
        directory.chmod(0o755)
    return home

