"""What the indexer's command lines (``gdc-index``, ``gdc-es``) share: running a click command so that
its callback's return value is the exit code, as their ``main(argv) -> int`` always promised.

Click's own ``standalone_mode`` would turn Ctrl-C into ``Abort`` and swallow the return value; here a
usage error prints the usage and returns 2, ``--help`` returns 0, and anything else (``KeyboardInterrupt``
too) reaches the command's ``main``, which knows what it means.
"""
from __future__ import annotations

import sys
from typing import Sequence

import click

# argparse answered to -h as well as --help; so do the click versions.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def run(command: click.Command, argv: Sequence[str] | None, prog_name: str) -> int:
    """Parse ``argv`` (default: the process's arguments) and invoke ``command``; the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with command.make_context(prog_name, args) as context:
            return int(command.invoke(context) or 0)
    except click.exceptions.Exit as done:  # --help
        return done.exit_code
    except click.ClickException as error:  # a usage error: the usage, the problem, exit code 2
        error.show()
        return error.exit_code
