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

import logging
import os
import signal
import sys
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import click

from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer import indices, mapping, pipeline, rebuild, snapshots
from indexer.client import ClusterMisconfigured, check_cluster, make_client
from indexer.commands import CONTEXT_SETTINGS, run
from indexer.indices import SchemaMismatch
from indexer.lock import IndexLock, LockHeld, LockLost, current_holder
from indexer.pipeline import DeclarationError, ValidationContext
from indexer.prepare import prepared_stream, validate_raw
from indexer.progress import Progress
from indexer.rebuild import Options, RebuildFailed, Summary
from indexer.report import EXIT_FATAL, EXIT_OK, EXIT_REJECTED, Report
from indexer.settings import Settings
from indexer.sources import FORMATS, SourceError, is_remote, read_sources
from indexer.sources.harvest import HarvestError
from indexer.vectors import Embedder

log = logging.getLogger("gdc-index")

SMALL_INPUT = 500  # records; fewer are validated and segmented in this process

# What a command's run function receives: the command's name and its parameters, by the flags' names.
Args = SimpleNamespace


# --- shared pieces ----------------------------------------------------------------------------------

def _rejects_path(args: Args, settings: Settings) -> Path:
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


def _context(args: Args):
    return ValidationContext(source_label=args.source_label)


def _sources(args: Args) -> list[str]:
    """Files by absolute path: a record's ``source`` (what ``--delete-missing`` matches) must not
    depend on the directory the command ran in."""
    return [source if is_remote(source) else os.path.abspath(source) for source in args.sources]


def _report(args: Args, settings: Settings) -> Report:
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

def _workers(args: Args, expected: int | None) -> int | None:
    if args.workers is None and expected is not None and expected < SMALL_INPUT:
        return 0  # starting worker processes would cost more than it saves
    return args.workers


def run_validate(args: Args, settings: Settings) -> int:
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


def _write(args: Args, settings: Settings, action: Callable[..., Summary], **extra) -> int:
    es = make_client(settings)
    alias = args.alias or settings.index
    expected = _expected_records(args.sources)
    progress = Progress(args.command, expected, quiet=args.quiet)
    options = Options(workers=_workers(args, expected), chunk_size=args.chunk_size, progress=progress,
                      max_errors=getattr(args, "max_errors", 0),
                      skip_unchanged=not getattr(args, "reindex_unchanged", False),
                      vectors=Embedder.for_var_dir(settings.var_dir) if settings.semantic else None)
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
        if summary and options.vectors is not None:
            print(options.vectors.line())
        return _exit_code(report, summary)


def run_load(args: Args, settings: Settings) -> int:
    return _write(args, settings, rebuild.load, delete_missing=args.delete_missing)


def run_rebuild(args: Args, settings: Settings) -> int:
    return _write(args, settings, rebuild.rebuild)


def _check_cluster(settings: Settings) -> None:
    """A CA that does not trust the cluster, a refused key or plain http to an HTTPS port stops the
    command at once with one line naming the setting (an unreachable cluster is left to the command)."""
    pool_log = logging.getLogger("elastic_transport.node_pool")
    level = pool_log.level
    pool_log.setLevel(logging.ERROR)  # the one line below says it all; no "node has failed" warning first
    try:
        check_cluster(make_client(settings), settings)
    finally:
        pool_log.setLevel(level)


def _es_and_alias(args: Args, settings: Settings) -> tuple[Elasticsearch, str]:
    return make_client(settings), args.alias or settings.index


def run_status(args: Args, settings: Settings) -> int:
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


def run_count(args: Args, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    try:
        live = indices.live_index(es, alias)
    except SchemaMismatch as exc:  # an index of an older layout: the portal cannot serve it
        print(exc, file=sys.stderr)
        return EXIT_FATAL
    print(es.count(index=alias)["count"] if live else 0)
    return EXIT_OK


def run_cleanup(args: Args, settings: Settings) -> int:
    es, alias = _es_and_alias(args, settings)
    with IndexLock(es, alias, "cleanup"):
        removed = indices.remove_orphans(es, alias)
    print("\n".join(f"removed {name}" for name in removed) or "no orphan index")
    return EXIT_OK


def _in_repository(args: Args, settings: Settings, purpose: str, action: Callable[..., dict]) -> tuple[str, dict]:
    """``action`` (``snapshots.snapshot`` or ``restore``) under the index lock, the repository made sure of."""
    es, alias = _es_and_alias(args, settings)
    snapshots.ensure_repository(es, args.repository, args.location)
    with IndexLock(es, alias, purpose):
        return alias, action(es, alias, args.snapshot, args.repository)


def run_snapshot(args: Args, settings: Settings) -> int:
    _, done = _in_repository(args, settings, "snapshot", snapshots.snapshot)
    print(f"snapshot {done['snapshot']} in {args.repository}: {', '.join(done['indices'])}, "
          f"{done['documents']} datasets")
    return EXIT_OK


def run_restore(args: Args, settings: Settings) -> int:
    alias, done = _in_repository(args, settings, "restore", snapshots.restore)
    print(f"restored {done['snapshot']}: {alias} → {', '.join(done['indices'])}, {done['documents']} datasets"
          + (f" (snapshot recorded {done['expected']})" if done["expected"] is not None else ""))
    if done["previous"]:
        print(f"left behind (remove with gdc-index cleanup): {', '.join(done['previous'])}")
    return EXIT_OK if done["expected"] in (None, done["documents"]) else EXIT_REJECTED


# --- the command line ------------------------------------------------------------------------------

def _help() -> str:
    """The module's own description, its table of commands kept as laid out (click's ``\\b``)."""
    first, table, *rest = __doc__.replace("``", "").split("\n\n")
    return "\n\n".join([first, "\b\n" + table, *rest])


@click.group("gdc-index", help=_help(), context_settings=CONTEXT_SETTINGS)
@click.option("-v", "--verbose", is_flag=True, help="log what the indexer does (INFO)")
def gdc_index(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    _interrupt_on_sigterm()


SOURCE_OPTIONS = (
    click.argument("sources", nargs=-1, required=True, metavar="SOURCE…"),
    click.option("--declare", multiple=True, metavar="FIELD=VALUE",
                 help="fill FIELD for every record of these sources that lacks it "
                      "(e.g. data_category=ข้อมูลสาธารณะ); recorded on each record it filled"),
    click.option("--format", "fmt", type=click.Choice(FORMATS),
                 help="source format (default: detected per file)"),
    click.option("--source-label", help="name stored as the records' source (default: the path/URL)"),
    click.option("--rejects", type=click.Path(path_type=Path),
                 help="rejects file (default: var/rejects/<command>-<time>.jsonl)"),
    click.option("-q", "--quiet", is_flag=True, help="no progress display"),
)
WORKERS = click.option("--workers", type=int,
                       help="processes validating and segmenting (default: one per core; 0 = in this process)")
ALIAS = click.option("--alias", help="the alias (default: GDC_INDEX)")
WRITER_OPTIONS = (
    click.option("--alias", help="the alias the portal reads (default: GDC_INDEX)"),
    WORKERS,
    click.option("--chunk-size", type=int, default=Options.chunk_size, show_default=True,
                 help="documents per bulk request"),
)
SNAPSHOT_OPTIONS = (
    ALIAS,
    click.option("--repository", default=snapshots.REPOSITORY, show_default=True,
                 help="snapshot repository name"),
    click.option("--location", default=snapshots.LOCATION, show_default=True,
                 help="repository directory, absolute or relative to the nodes' path.repo"),
)


def _command(name: str, run_command: Callable[[Args, Settings], int], text: str, *params,
             more: str = "") -> None:
    """``gdc-index NAME``: ``run_command`` called with the parsed flags and the settings (read only
    now: ``--help`` answers whatever the environment holds)."""
    def invoke(**values) -> int:
        settings = Settings.from_env()
        if name != "validate":
            try:
                _check_cluster(settings)
            except ClusterMisconfigured as exc:
                print(f"gdc-index: error: {exc}", file=sys.stderr)
                return EXIT_FATAL
        return run_command(Args(command=name, **values), settings)

    for param in reversed(params):
        invoke = param(invoke)
    gdc_index.command(name, help=f"{text}\n\n{more}" if more else text, short_help=text)(invoke)


ON_SOURCES = "SOURCE: a file or a CKAN catalogue URL (harvested)."
ON_SNAPSHOT = "SNAPSHOT: the snapshot's name (default: {})."


_command("validate", run_validate, "validate sources without indexing (dry run)", *SOURCE_OPTIONS, WORKERS,
         more=ON_SOURCES)
_command("load", run_load, "upsert validated records into the live index", *SOURCE_OPTIONS, *WRITER_OPTIONS,
         click.option("--delete-missing", is_flag=True,
                      help="full sync: remove these sources' records that were not accepted this time"),
         click.option("--reindex-unchanged", is_flag=True,
                      help="write every record again, even those the index holds unchanged"),
         more=ON_SOURCES)
_command("rebuild", run_rebuild, "build a new index and swap the alias to it atomically",
         *SOURCE_OPTIONS, *WRITER_OPTIONS,
         click.option("--max-errors", type=int, default=0,
                      help="documents Elasticsearch may refuse before the swap is called off (default 0)"),
         more=ON_SOURCES)
_command("status", run_status, "alias, indices behind it, orphans, lock", ALIAS)
_command("count", run_count, "print the number of datasets behind the alias", ALIAS)
_command("cleanup", run_cleanup, "delete orphan indices left by failed rebuilds", ALIAS)
_command("snapshot", run_snapshot, "snapshot the indices behind the alias", *SNAPSHOT_OPTIONS,
         click.argument("snapshot", required=False, default=None), more=ON_SNAPSHOT.format("generated"))
_command("restore", run_restore, "restore a snapshot and point the alias at it", *SNAPSHOT_OPTIONS,
         click.argument("snapshot", required=False, default="latest"), more=ON_SNAPSHOT.format("the newest"))


def main(argv: list[str] | None = None) -> int:
    try:
        return run(gdc_index, argv, "gdc-index")
    except (LockHeld, TransportError, ApiError, snapshots.SnapshotError) as exc:
        print(f"gdc-index: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("gdc-index: interrupted / ถูกขัดจังหวะ", file=sys.stderr)
        return EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
