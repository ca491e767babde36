"""Progress: counts, plain log lines when not on a terminal, silence when quiet."""
from __future__ import annotations

import io

from indexer.progress import Counts, Progress


def test_counts_add_up_and_print_as_one_line():
    progress = Progress(quiet=True)
    progress.advance(read=3, accepted=2, rejected=1)
    progress.advance(indexed=2, deleted=1)
    assert progress.counts == Counts(read=3, accepted=2, rejected=1, indexed=2, deleted=1)
    assert progress.counts.line().startswith("read=3 accepted=2 rejected=1 indexed=2")


def test_not_a_terminal_gives_periodic_log_lines_with_rate_and_eta():
    stream = io.StringIO()
    progress = Progress("rebuild", total=10, stream=stream, interval=0.0)
    progress.advance(read=5, accepted=5)
    progress.close()
    line = stream.getvalue().splitlines()[0]
    assert line.startswith("rebuild: 5/10 records")
    assert "rate=" in line and "eta=" in line


def test_quiet_prints_nothing():
    stream = io.StringIO()
    progress = Progress(stream=stream, quiet=True, interval=0.0)
    progress.advance(read=1)
    progress.close()
    assert stream.getvalue() == ""
