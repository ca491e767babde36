"""``gdc-es``: a local Elasticsearch node (or a small local cluster) for development, demos and tests.

The server is Elastic's ``integ-test-zip`` distribution from Maven Central, fetched with Maven,
checked against a pinned SHA-512, unpacked once into a cache outside the work tree and run as a
dedicated non-root user (Elasticsearch refuses to run as root), bound to 127.0.0.1 with security
off — for this local node only. Data, logs and configuration live under ``var/es/``.

``gdc-es start --secure`` runs one node with security as in production instead: HTTPS and transport
TLS with a private CA, a file-realm superuser ``gdc-admin`` that gdc-es's own checks use, and API keys
for the portal and the indexer in ``var/es/security/{portal,indexer}.env``. The security index needs
analysis components the integ-test zip lacks (its ``analysis-common`` module): ``analysis_plugin/``
holds their Java source, compiled with the machine's JDK and installed in the node's own home
(``var/es/security/home``, linked to the shared distribution). A node with ``var/es/security/ca.crt``
is secure for ``status``, ``stop`` and later starts.

One job a module:

==================  ====================================================================================
``layout``          where a node lives: cache, state directory, ports; a cluster's members; ``NodeError``
``distribution``    the pinned server zip: download with Maven, verify the SHA-512, unpack
``java``            find a Java 21+ home (or a JDK with ``javac``, for the plugin)
``config``          the service user, the heap, ``elasticsearch.yml`` and the JVM options
``security``        ``--secure``: plugin, node home, certificates, the admin user, API keys and env files
``process``         start, stop, status, health and logs of the node or of every cluster member
``cli``             the ``gdc-es`` command line
==================  ====================================================================================
"""
from __future__ import annotations

from indexer.localnode.cli import main
from indexer.localnode.config import heap_size, service_user, write_config
from indexer.localnode.distribution import ES_VERSION, install
from indexer.localnode.java import find_java
from indexer.localnode.layout import NodeError, NodePaths, cluster_paths, default_paths, members
from indexer.localnode.process import health, last_log_lines, pid_of, start, status, stop, stop_one, version
from indexer.localnode.security import is_secure

__all__ = ["main", "NodeError", "NodePaths", "default_paths", "cluster_paths", "members", "ES_VERSION",
           "install", "find_java", "heap_size", "service_user", "write_config", "start", "stop", "stop_one",
           "status", "health", "version", "pid_of", "last_log_lines", "is_secure"]
