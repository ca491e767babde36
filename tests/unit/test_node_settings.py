"""``gdc-es`` reads its variables through ``Settings`` (no node is started here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer import localnode
from indexer.settings import Settings


def test_cache_dir_and_port_come_from_the_settings(tmp_path):
    settings = Settings.from_env({"GDC_CACHE_DIR": str(tmp_path / "cache"), "GDC_ES_PORT": "9277"})
    paths = localnode.default_paths(var=tmp_path / "es", settings=settings)
    assert paths.cache == tmp_path / "cache"
    assert paths.port == 9277 and paths.transport_port == 9377
    assert settings.es_url == "http://127.0.0.1:9277"
    assert localnode.default_paths(port=9300, var=tmp_path, settings=settings).port == 9300


def test_without_gdc_cache_dir_the_cache_is_the_users_own(tmp_path):
    paths = localnode.default_paths(var=tmp_path, settings=Settings.from_env({}))
    assert paths.cache in (Path.home() / ".cache" / "gdcatalog", Path("/var/cache/gdcatalog"))
    assert paths.port == 9200


def test_heap_is_gdc_es_heap_else_sized_by_the_number_of_nodes():
    assert localnode.heap_size(1, Settings.from_env({"GDC_ES_HEAP": "1g"}).es_heap) == "1g"
    assert localnode.heap_size(1, Settings.from_env({}).es_heap) == "2g"
    assert localnode.heap_size(3) == "512m"


def test_java_homes_are_tried_in_the_documented_order():
    env = {"JAVA_HOME": "/jdk", "GDC_ES_JAVA_HOME": "/gdc", "ES_JAVA_HOME": ""}
    assert Settings.from_env(env).java_homes == ("/gdc", "/jdk")
    assert Settings.from_env({}).java_homes == ()


def test_a_java_home_without_java_is_passed_over(tmp_path):
    # The home has no bin/java: the search goes on (here: to nothing at all).
    with pytest.raises(localnode.NodeError, match="found no Java at all"):
        localnode.find_java([str(tmp_path)], jvm_dir=tmp_path / "nowhere")


def test_the_plugin_build_needs_a_home_with_javac(tmp_path):
    # A Java home with bin/java but no javac (a JRE) is passed over when a JDK is asked for.
    (tmp_path / "jre" / "bin").mkdir(parents=True)
    java = tmp_path / "jre" / "bin" / "java"
    java.write_text('#!/bin/sh\necho \'openjdk version "25" 2025-09-16\' >&2\n')
    java.chmod(0o755)
    assert localnode.find_java([str(tmp_path / "jre")], jvm_dir=tmp_path / "nowhere") == tmp_path / "jre"
    with pytest.raises(localnode.NodeError, match="with javac"):
        localnode.find_java([str(tmp_path / "jre")], jvm_dir=tmp_path / "nowhere", tool="javac")
