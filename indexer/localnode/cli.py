"""``gdc-es start|stop|status|logs|install``: the command line of the local node manager."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.commands import CONTEXT_SETTINGS, run
from indexer.localnode.distribution import install
from indexer.localnode.layout import NodeError, default_paths, members
from indexer.localnode.process import last_log_lines, start, status, stop
from indexer.settings import Settings

COMMANDS = ("start", "stop", "status", "logs", "install")
EXIT_NOT_RUNNING = 3  # ``status`` of a node that does not answer


@click.command("gdc-es", help="Manage the local Elasticsearch node.", context_settings=CONTEXT_SETTINGS)
@click.argument("command", type=click.Choice(COMMANDS))
@click.option("--port", type=int, help="HTTP port (default $GDC_ES_PORT or 9200)")
@click.option("--var", type=click.Path(path_type=Path), help="node state directory (default var/es)")
@click.option("-n", "--lines", type=int, default=50, show_default=True, help="log lines to show")
@click.option("--nodes", type=int, default=1,
              help="start a local cluster of this many nodes on consecutive ports (default 1)")
@click.option("--secure", is_flag=True,
              help="start with security as in production: HTTPS (private CA), a superuser for gdc-es, "
                   "API keys for the portal and the indexer in <var>/security/{portal,indexer}.env; "
                   "one node only; a node once started secure stays so")
def gdc_es(command: str, port: int | None, var: Path | None, lines: int, nodes: int, secure: bool) -> int:
    settings = Settings.from_env()
    paths = default_paths(port, var, settings)
    try:
        if command == "start":
            print(f"gdc-es: {start(paths, nodes=nodes, settings=settings, secure=secure)}")
        elif command == "stop":
            print(f"gdc-es: {stop(paths)}")
        elif command == "status":
            running, message = status(paths)
            print(f"gdc-es: {message}")
            return 0 if running else EXIT_NOT_RUNNING
        elif command == "logs":
            print("\n".join(last_log_lines(member, lines) for member in members(paths)))
        else:
            print(f"gdc-es: installed in {install(paths)}")
    except NodeError as exc:
        print(f"gdc-es: error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(gdc_es, argv, "gdc-es")
