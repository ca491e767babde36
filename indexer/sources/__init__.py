"""Readers for every source format, each streaming in constant memory, and the one place that
decides how a SOURCE is read (:func:`read_sources`: a file by its format, a URL by harvesting).

* CKAN JSON: a ``package_show`` or ``package_search`` answer, a bare package, a list of packages
  (``.json``), or JSON Lines of packages or of data.go.th mirror records (``.jsonl``/``.ndjson``);
* CSV: UTF-8 with or without BOM, or TIS-620/cp874 (detected); header row of field names or labels;
* XLSX: the national bulk-import template (sheets ``Temp2_Meta_*``, header on row 4) or a plain sheet
  with a header on row 1;
* a remote CKAN catalogue (``http://`` / ``https://``): harvested through its Action API
  (:mod:`indexer.sources.harvest`).

A line, row or item that cannot be parsed becomes a :class:`RawRecord` with ``error`` set and its
line/row number, never an exception. A file that cannot be opened at all raises :class:`SourceError`,
a catalogue that keeps failing :class:`~indexer.sources.harvest.HarvestError` (both fatal: exit code 2).
"""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from . import harvest
from .base import NOT_AN_OBJECT, RawRecord, SourceError, open_binary
from .jsondocs import CHUNK, read_json, read_jsonl
from .tables import SNIFF_BYTES, detect_encoding, read_csv
from .template import TEMPLATE_COLUMNS, TEMPLATE_SHEETS, read_xlsx, template_layout

__all__ = ["RawRecord", "read_sources", "is_remote", "FORMATS", "SourceError", "detect_format", "detect_encoding", "read", "read_json", "read_jsonl",
           "read_csv", "read_xlsx", "template_layout", "TEMPLATE_COLUMNS", "TEMPLATE_SHEETS", "NOT_AN_OBJECT",
           "CHUNK", "SNIFF_BYTES", "open_binary"]

FORMATS = ("jsonl", "json", "csv", "xlsx")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".xlsx": "xlsx",
               ".xlsm": "xlsx"}


def detect_format(path: str) -> str:
    """The format of a file by its extension, else by its first bytes."""
    ext = _EXTENSIONS.get(Path(path).suffix.lower())
    if ext:
        return ext
    with open_binary(path) as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first_line = text.split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") and b"\n" in text else "json"
    return "csv"


def read(path: str, *, fmt: str | None = None) -> Iterator[RawRecord]:
    """Raw records of one file, in the file's order."""
    path = str(path)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise SourceError(path, f"ไม่รู้จักรูปแบบ “{fmt}” (ใช้ได้: {', '.join(FORMATS)})",
                          f"unknown format “{fmt}” (known: {', '.join(FORMATS)})")
    reader = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "xlsx": read_xlsx}[fmt]
    return reader(path)



def is_remote(source: str | Path) -> bool:
    """A SOURCE naming a remote CKAN catalogue (harvested) rather than a file."""
    return str(source).startswith(("http://", "https://"))


def read_sources(sources: Iterable[str | Path], *, fmt: str | None = None,
                 declarations: Mapping[str, str] | None = None,
                 state_dir: str | Path | None = None) -> Iterator[RawRecord]:
    """Raw records of every SOURCE in order: files (format detected per file unless ``fmt`` is given),
    or remote CKAN catalogues (URLs) harvested through :func:`indexer.sources.harvest.iter_remote`.

    ``declarations`` inform the harvest's consent rule; with ``state_dir`` each catalogue's harvest
    resumes from its own state file there. Raises :class:`SourceError` for a file that cannot be read
    at all, :class:`~indexer.sources.harvest.HarvestError` for a catalogue that keeps failing.
    """
    for source in sources:
        source = str(source)
        if is_remote(source):
            state = harvest.state_file_for(source, state_dir) if state_dir else None
            yield from harvest.iter_remote(source, declarations=declarations, state_path=state)
        else:
            yield from read(source, fmt=fmt)
