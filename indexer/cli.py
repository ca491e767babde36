"""``gdc-index``: validate, load, rebuild and inspect the search index.

    gdc-index validate SOURCE… [--declare FIELD=VALUE]…      dry run: counts and the rejects file
    gdc-index load SOURCE… [--declare …] [--delete-missing]  upsert into the live alias (built if absent)
    gdc-index rebuild SOURCE… [--declare …]                  new index, then one atomic alias swap
    gdc-index status | count | cleanup                       alias, indices, lock; documents; orphans
    gdc-index snapshot | restore [SNAPSHOT]                  back up / restore the alias's indices

A SOURCE is a file (CKAN JSON / JSON Lines, CSV, XLSX) or a CKAN catalogue URL (harvested).
Exit codes: 0 every record accepted and indexed, 1 some rejected (or refused by Elasticsearch),
2 a fatal problem (unreadable source, bad declaration, Elasticsearch unreachable, lock held).
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable

from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer import indices, mapping, pipeline, rebuild, snapshots
from indexer.client import make_client
from indexer.indices import SchemaMismatch
from indexer.lock import IndexLock, LockHeld, LockLost, current_holder
from indexer.pipeline import DeclarationError, ValidationContext
from indexer.prepare import prepared_stream, validate_raw
from indexer.progress import Progress
from indexer.rebuild import Options, RebuildFailed, Summary
from indexer.report import EXIT_FATAL, EXIT_OK, EXIT_REJECTED, Report
from indexer.settings import Settings
from indexer.sources import SourceError, is_remote, read_sources
from indexer.sources.harvest import HarvestError

log = logging.getLogger("gdc-index")

SMALL_INPUT = 500  # records; fewer are validated and segmented in this process


# --- arguments ------------------------------------------------------------------------------------

def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="file or CKAN catalogue URL")
    parser.add_argument("--declare", action="append", default=[], metavar="FIELD=VALUE",
                        help="fill FIELD for every record of these sources that lacks it "
                             "(e.g. data_category=ข้อมูลสาธารณะ); recorded on each record it filled")
    parser.add_argument("--format", dest="fmt", choices=("jsonl", "json", "csv", "xlsx"),
                        help="source format (default: detected per file)")
    parser.add_argument("--source-label", help="name stored as the records' source (default: the path/URL)")
    parser.add_argument("--rejects", type=Path,
                        help="rejects file (default: var/rejects/<command>-<time>.jsonl)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")


def _workers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="processes validating and segmenting (default: one per "
                                                    "core; 0 = in this process)")


def _writer(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alias", help="the alias the portal reads (default: GDC_INDEX)")
    _workers_option(parser)
    parser.add_argument("--chunk-size", type=int, default=Options.chunk_size,
                        help="documents per bulk request")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gdc-index", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="validate sources without indexing (dry run)")
    _common(validate)
    _workers_option(validate)
    validate.set_defaults(run=run_validate)

    load = commands.add_parser("load", help="upsert validated records into the live index")
    _common(load)
    _writer(load)
    load.add_argument("--delete-missing", action="store_true",
                      help="full sync: remove these sources' records that were not accepted this time")
    load.add_argument("--reindex-unchanged", action="store_true",
                      help="write every record again, even those the index holds unchanged")
    load.set_defaults(run=run_load)

    build = commands.add_parser("rebuild", help="build a new index and swap the alias to it atomically")
    _common(build)
    _writer(build)
    build.add_argument("--max-errors", type=int, default=0,
                       help="documents Elasticsearch may refuse before the swap is called off (default 0)")
    build.set_defaults(run=run_rebuild)

    for name, run, text in (("status", run_status, "alias, indices behind it, orphans, lock"),
                            ("count", run_count, "print the number of datasets behind the alias"),
                            ("cleanup", run_cleanup, "delete orphan indices left by failed rebuilds")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--alias", help="the alias (default: GDC_INDEX)")
        command.set_defaults(run=run)
    for name, run, text in (("snapshot", run_snapshot, "snapshot the indices behind the alias"),
                            ("restore", run_restore, "restore a snapshot and point the alias at it")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--alias", help="the alias (default: GDC_INDEX)")
        command.add_argument("--repository", default=snapshots.REPOSITORY, help="snapshot repository name")
        command.add_argument("--location", default=snapshots.LOCATION,
                             help="repository directory, absolute or relative to the nodes' path.repo")
        command.add_argument("snapshot", nargs="?", default=None if name == "snapshot" else "latest",
                             help="snapshot name (default: generated / the newest)")
        command.set_defaults(run=run)
    return parser


# --- shared pieces ----------------------------------------------------------------------------------

def _rejects_path(args: argparse.Namespace, settings: Settings) -> Path:
    if args.rejects:
        return args.rejects
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return settings.var_dir / "rejects" / f"{args.command}-{stamp}.jsonl"


def _expected_records(sources: list[str]) -> int | None:
    """Lines of JSON Lines files, for the progress bar's ETA (other formats: unknown)."""
    total = 0
    for source in sources:
        path = Path(source)
        if is_remote(source) or path.suffix.lower() not in (".jsonl", ".ndjson"):
            return None
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return total


def _context(args: argparse.Namespace):
    return ValidationContext(source_label=args.source_label)


def _sources(args: argparse.Namespace) -> list[str]:
    """Files by absolute path: a record's ``source`` (what ``--delete-missing`` matches) must not
    depend on the directory the command ran in."""
    return [source if is_remote(source) else os.path.abspath(source) for source in args.sources]


def _report(args: argparse.Namespace, settings: Settings) -> Report:
    report = Report(_rejects_path(args, settings))
    for source in _sources(args):
        report.expect(source)
    return report


def _exit_code(report: Report, summary: Summary | None) -> int:
    code = report.exit_code()
    if code == EXIT_OK and summary is not None and summary.counts.failed:
        return EXIT_REJECTED
    return code


# Problems that stop a run (exit code 2); anything else is a bug and shows its traceback.
FATAL_ERRORS = (SourceError, HarvestError, DeclarationError, LockHeld, LockLost, SchemaMismatch,
                RebuildFailed, TransportError, ApiError)


def _interrupt_on_sigterm() -> None:
    """``kill`` behaves like Ctrl-C: the new index is removed and the alias stays where it was."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupt)


# --- commands ---------------------------------------------------------------------------------------

def _workers(args: argparse.Namespace, expected: int | None) -> int | None:
    if args.workers is None and expected is not None and expected < SMALL_INPUT:
        return 0  # starting worker processes would cost more than it saves
    return args.workers


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    expected = _expected_records(args.sources)
    progress = Progress("validate", expected, quiet=args.quiet)
    with _report(args, settings) as report:
        try:
            declarations = pipeline.parse_declarations(args.declare)
            raw = read_sources(_sources(args), fmt=args.fmt, declarations=declarations)
            work = partial(validate_raw, declarations=declarations, context=_context(args))
            tracker = pipeline.QualityTracker()
            for outcome in prepared_stream(raw, work, workers=_workers(args, expected)):
                outcome = tracker.observe(outcome)
                report.add(outcome)
                progress.advance(read=1, accepted=int(outcome.accepted), rejected=int(not outcome.accepted))
        except FATAL_ERRORS as exc:
            report.fatal(str(exc))
        progress.close()
        report.print_summary()
        return report.exit_code()


def _write(args: argparse.Namespace, settings: Settings, action: Callable[..., Summary], **extra) -> int:
    es = make_client(settings)
    alias = args.alias or settings.index
    expected = _expected_records(args.sources)
    progress = Progress(args.command, expected, quiet=args.quiet)
    options = Options(workers=_workers(args, expected), chunk_size=args.chunk_size, progress=progress,
                      max_errors=getattr(args, "max_errors", 0),
                      skip_unchanged=not getattr(args, "reindex_unchanged", False))
    summary = None
    with _report(args, settings) as report:
        try:
            summary = action(es, alias, _sources(args), declarations=args.declare, report=report,
                             options=options, context=_context(args), fmt=args.fmt, **extra)
        except FATAL_ERRORS as exc:
            report.fatal(f"{type(exc).__name__}: {exc}")
        except KeyboardInterrupt:
            if args.command == "rebuild":
                report.fatal(f"ถูกขัดจังหวะ: {alias} ยังชี้ดัชนีเดิม / interrupted: {alias} still on the old index")
            else:
                report.fatal("ถูกขัดจังหวะ: ระเบียนที่เขียนไปแล้วยังอยู่ สั่ง load ซ้ำได้ / "
                             "interrupted: records already written stay; running the load again is safe")
        finally:
            progress.close()
        report.print_summary()
        for line in summary.lines() if summary else []:
            print(line)
        return _exit_code(report, summary)


def run_load(args: argparse.Namespace, settings: Settings) -> int:
    return _write(args, settings, rebuild.load, delete_missing=args.delete_missing)


def run_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    return _write(args, settings, rebuild.rebuild)


def _es_and_alias(args: argparse.Namespace, settings: Settings) -> tuple[Elasticsearch, str]:
    return make_client(settings), args.alias or settings.index


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    behind = indices.indices_behind(es, alias)
    print(f"alias {alias}: " + (", ".join(behind) if behind else "missing"))
    for name, aliases in sorted(indices.physical_indices(es, alias).items()):
        count = es.count(index=name)["count"]
        role = "serving" if alias in aliases else "orphan"
        print(f"  {name}  version {mapping.index_version_of(name, alias)}  {count} documents  {role}")
    holder = current_holder(es, alias)
    print("lock: " + (f"held by {holder.get('purpose')} pid {holder.get('pid')} on {holder.get('host')} "
                      f"since {holder.get('acquired_at')}" if holder else "free"))
    print(f"this indexer writes index version {mapping.INDEX_VERSION}")
    return EXIT_OK if behind else EXIT_REJECTED


def run_count(args: argparse.Namespace, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    try:
        live = indices.live_index(es, alias)
    except SchemaMismatch as exc:  # an index of an older layout: the portal cannot serve it
        print(exc, file=sys.stderr)
        return EXIT_FATAL
    print(es.count(index=alias)["count"] if live else 0)
    return EXIT_OK


def run_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    with IndexLock(es, alias, "cleanup"):
        removed = indices.remove_orphans(es, alias)
    print("\n".join(f"removed {name}" for name in removed) or "no orphan index")
    return EXIT_OK


def run_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    snapshots.ensure_repository(es, args.repository, args.location)
    with IndexLock(es, alias, "snapshot"):
        done = snapshots.snapshot(es, alias, args.snapshot, args.repository)
    print(f"snapshot {done['snapshot']} in {args.repository}: {', '.join(done['indices'])}, "
          f"{done['documents']} datasets")
    return EXIT_OK


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    snapshots.ensure_repository(es, args.repository, args.location)
    with IndexLock(es, alias, "restore"):
        done = snapshots.restore(es, alias, args.snapshot, args.repository)
    print(f"restored {done['snapshot']}: {alias} → {', '.join(done['indices'])}, {done['documents']} datasets"
          + (f" (snapshot recorded {done['expected']})" if done["expected"] is not None else ""))
    if done["previous"]:
        print(f"left behind (remove with gdc-index cleanup): {', '.join(done['previous'])}")
    return EXIT_OK if done["expected"] in (None, done["documents"]) else EXIT_REJECTED


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    _interrupt_on_sigterm()
    settings = Settings.from_env()
    try:
        return args.run(args, settings)
    except (LockHeld, TransportError, ApiError, snapshots.SnapshotError) as exc:
        print(f"gdc-index: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("gdc-index: interrupted / ถูกขัดจังหวะ", file=sys.stderr)
        return EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
