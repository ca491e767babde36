"""``gdc-es start|stop|status|logs|install``: the command line of the local node manager."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer.localnode.distribution import install
from indexer.localnode.layout import NodeError, default_paths, members
from indexer.localnode.process import last_log_lines, start, status, stop
from indexer.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gdc-es", description="Manage the local Elasticsearch node.")
    parser.add_argument("command", choices=["start", "stop", "status", "logs", "install"])
    parser.add_argument("--port", type=int, help="HTTP port (default $GDC_ES_PORT or 9200)")
    parser.add_argument("--var", type=Path, help="node state directory (default var/es)")
    parser.add_argument("-n", "--lines", type=int, default=50, help="log lines to show")
    parser.add_argument("--nodes", type=int, default=1,
                        help="start a local cluster of this many nodes on consecutive ports (default 1)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    paths = default_paths(args.port, args.var, settings)
    try:
        if args.command == "start":
            print(f"gdc-es: {start(paths, nodes=args.nodes, settings=settings)}")
        elif args.command == "stop":
            print(f"gdc-es: {stop(paths)}")
        elif args.command == "status":
            running, message = status(paths)
            print(f"gdc-es: {message}")
            return 0 if running else 3
        elif args.command == "logs":
            print("\n".join(last_log_lines(member, args.lines) for member in members(paths)))
        else:
            print(f"gdc-es: installed in {install(paths)}")
    except NodeError as exc:
        print(f"gdc-es: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
