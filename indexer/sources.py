"""Readers for every source format, each streaming in constant memory.

* CKAN JSON: a ``package_show`` or ``package_search`` answer, a bare package, a list of packages
  (``.json``), or JSON Lines of packages or of data.go.th mirror records (``.jsonl``/``.ndjson``);
* CSV: UTF-8 with or without BOM, or TIS-620/cp874 (detected); header row of field names or labels;
* XLSX: the national bulk-import template (sheets ``Temp2_Meta_*``, header on row 4) or a plain sheet
  with a header on row 1.

A line, row or item that cannot be parsed becomes a :class:`~indexer.pipeline.RawRecord` with ``error``
set and its line/row number, never an exception. A file that cannot be opened at all raises
:class:`SourceError` (a fatal problem: exit code 2).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
from pathlib import Path
from typing import IO, Any, Iterator

from indexer.pipeline import RawRecord

FORMATS = ("jsonl", "json", "csv", "xlsx")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".xlsx": "xlsx",
               ".xlsm": "xlsx"}
CHUNK = 1 << 16
NOT_AN_OBJECT = "รายการนี้ไม่ใช่ออบเจกต์ JSON / the item is not a JSON object"
SNIFF_BYTES = 1 << 16


class SourceError(Exception):
    """A source that cannot be read at all; ``str()`` is Thai and English."""

    def __init__(self, path: str, message_th: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_th} / {message_en}")
        self.path = path
        self.message_th = message_th
        self.message_en = message_en


def detect_format(path: str) -> str:
    """The format of a file by its extension, else by its first bytes."""
    ext = _EXTENSIONS.get(Path(path).suffix.lower())
    if ext:
        return ext
    with _open_binary(path) as handle:
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


def _open_binary(path: str) -> IO[bytes]:
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(path)
        return open(path, "rb")
    except OSError as exc:
        raise SourceError(path, f"เปิดไฟล์ไม่ได้ ({exc.strerror or exc})",
                          f"cannot open the file ({exc.strerror or exc})") from exc


# --- JSON Lines ---------------------------------------------------------------------------------

def read_jsonl(path: str) -> Iterator[RawRecord]:
    """One package or mirror record per line; blank lines are skipped, bad lines are error records."""
    with _open_binary(path) as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            yield _jsonl_record(path, number, line)


def _jsonl_record(path: str, number: int, line: bytes) -> RawRecord:
    locator = f"line {number}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRecord(path, locator, None,
                         f"ไม่ใช่ UTF-8 ที่ไบต์ {exc.start} / not valid UTF-8 at byte {exc.start}",
                         line.decode("utf-8", "backslashreplace").rstrip("\r\n"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"JSON เสีย: {exc.msg} คอลัมน์ {exc.colno} / broken JSON: {exc.msg} at column {exc.colno}"
        return RawRecord(path, locator, None, reason, text.rstrip("\r\n"))
    if not isinstance(data, dict):
        return RawRecord(path, locator, None, "บรรทัดนี้ไม่ใช่ออบเจกต์ JSON / the line is not a JSON object",
                         text.rstrip("\r\n"))
    return RawRecord(path, locator, data)


# --- JSON documents (package_show / package_search / list of packages), streamed -------------

class _Stream:
    """A JSON text read in chunks; values are decoded one at a time with ``raw_decode``."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            raise ValueError(f"expected {' or '.join(repr(c) for c in chars)}, found {char!r}")
        self.pos += 1
        return char

    def value(self) -> Any:
        """Decode the next value, reading more text while it is incomplete."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self._fill():
                    continue
                raise
            # a number at the end of the buffer may continue in the next chunk
            if end == len(self.buf) and not self.eof and self._fill():
                continue
            self.pos = end
            return value


def read_json(path: str) -> Iterator[RawRecord]:
    """Packages of a JSON document, streamed item by item (constant memory for any file size)."""
    with _open_binary(path) as binary:
        head = binary.read(4)
        binary.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="")
        stream = _Stream(text)
        counter = _Counter()
        try:
            # normally one value; several concatenated values (a JSON Lines export named .json) all count
            while (first := stream.peek()) != "":
                if first == "[":
                    yield from _items(path, stream, counter, "item")
                elif first == "{":
                    yield from _object(path, stream, counter)
                else:
                    raise ValueError(f"a JSON document starts with [ or {{, not {first!r}")
        except (ValueError, UnicodeDecodeError) as exc:
            yield _broken_tail(path, counter, exc)


class _Counter:
    def __init__(self) -> None:
        self.items = 0


def _broken_tail(path: str, counter: _Counter, exc: Exception) -> RawRecord:
    """What remains of a document that stops parsing: one rejected record naming where it broke."""
    where = f"item {counter.items + 1}"
    if isinstance(exc, UnicodeDecodeError):
        detail_th, detail_en = "ไม่ใช่ UTF-8", f"not valid UTF-8 ({exc.reason})"
    elif isinstance(exc, json.JSONDecodeError):
        detail_th, detail_en = f"JSON เสียหรือถูกตัด ({exc.msg})", f"broken or truncated JSON ({exc.msg})"
    else:
        detail_th, detail_en = f"JSON ไม่ถูกโครงสร้าง ({exc})", f"unexpected JSON structure ({exc})"
    return RawRecord(path, where, None,
                     f"{detail_th} ตั้งแต่รายการนี้จนจบไฟล์อ่านไม่ได้ / {detail_en}: "
                     f"this item and the rest of the file cannot be read")


def _items(path: str, stream: _Stream, counter: _Counter, label: str) -> Iterator[RawRecord]:
    stream.expect("[")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        value = stream.value()
        counter.items += 1
        locator = f"{label} {counter.items}"
        if isinstance(value, dict):
            yield RawRecord(path, locator, value)
        else:
            yield RawRecord(path, locator, None, NOT_AN_OBJECT, json.dumps(value, ensure_ascii=False))
        if stream.expect(",]") == "]":
            return


def _object(path: str, stream: _Stream, counter: _Counter) -> Iterator[RawRecord]:
    """An object: an API answer (``result``), a search result (``results``) or a single package."""
    stream.expect("{")
    rest: dict[str, Any] = {}
    streamed = False
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            key = stream.value()
            stream.expect(":")
            nxt = stream.peek()
            if key in ("result", "results") and nxt == "[":
                yield from _items(path, stream, counter, "item")
                streamed = True
            elif key == "result" and nxt == "{":
                inner = yield from _object(path, stream, counter)
                streamed = streamed or inner
            else:
                rest[key] = stream.value()
            if stream.expect(",}") == "}":
                break
    if not streamed and rest:
        # a package (package_show, a bare package) — or something else, which validation then rejects
        counter.items += 1
        yield RawRecord(path, f"item {counter.items}", rest)
        return True
    return streamed


# --- CSV ----------------------------------------------------------------------------------------

def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-16`` with its BOM, ``utf-8`` when the sample is (mostly) UTF-8,
    else Thai Windows ``cp874`` (a superset of TIS-620).

    "Mostly": a UTF-8 file with a few broken bytes stays UTF-8 so that only the broken rows are
    rejected; cp874 Thai text is almost never valid UTF-8, so it shows as many broken bytes.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = sample.decode("utf-8", "replace")
    thai = sum(1 for ch in text if "\u0e00" <= ch <= "\u0e7f")
    broken = text.count("\ufffd")
    return "utf-8" if thai >= 4 * broken else "cp874"


def read_csv(path: str) -> Iterator[RawRecord]:
    """Rows of a CSV file with a header row; row numbers count the header as row 1."""
    with _open_binary(path) as binary:
        encoding = detect_encoding(binary.read(SNIFF_BYTES))
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise SourceError(path, f"อ่านหัวตาราง CSV ไม่ได้ ({exc})",
                              f"cannot read the CSV header ({exc})") from exc
        if header is None:
            return
        if any(_has_undecodable(h) for h in header):
            raise SourceError(path, f"หัวตารางไม่ใช่ข้อความ {encoding}", f"the header is not {encoding} text")
        header = [h.strip() for h in header]
        yield from _csv_rows(path, reader, header, encoding)


def _csv_rows(path: str, reader: Any, header: list[str], encoding: str) -> Iterator[RawRecord]:
    """Rows numbered as a spreadsheet shows them (header = row 1), also when a cell spans lines."""
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRecord(path, f"row {number}", None, f"CSV เสีย ({exc}) / broken CSV ({exc})")
            continue
        locator = f"row {number}"
        if not any(cell.strip() for cell in row):
            continue
        bad = [cell for cell in row if _has_undecodable(cell)]
        if bad:
            text = ",".join(cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                            for cell in row)
            yield RawRecord(path, locator, None,
                            f"มีไบต์ที่ไม่ใช่ {encoding} / bytes that are not {encoding}", text)
            continue
        if len(row) > len(header):
            yield RawRecord(path, locator, None,
                            f"มี {len(row)} ช่อง แต่หัวตารางมี {len(header)} / {len(row)} cells "
                            f"but the header has {len(header)}", ",".join(row))
            continue
        yield RawRecord(path, locator, dict(zip(header, row + [""] * (len(header) - len(row)))))


def _has_undecodable(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


# --- XLSX: the national bulk-import template ---------------------------------------------------

TEMPLATE_SHEETS = {
    "Temp2_Meta_Record": "ข้อมูลระเบียน",
    "Temp2_Meta_Stat": "ข้อมูลสถิติ",
    "Temp2_Meta_GIS": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "Temp2_Meta_Multi": "ข้อมูลหลากหลายประเภท",
    "Temp2_Meta_Other": "ข้อมูลประเภทอื่นๆ",
}
TEMPLATE_HEADER_ROW = 4
# The template's row 5 explains each column; records start on row 6 (as the national importer reads it).
TEMPLATE_FIRST_ROW = 6


# Column orders of the national importer (ckanext-thai_gdc), which reads these sheets by position. The
# 2.2.x templates added data_classification after data_category; the 2.1 ones lack it. The layout is
# chosen by the width of the header row; a sheet of another width is read by its header labels.
# ``d_type`` is the template's own type column, which the importer ignores: the sheet gives the type.
_COMMON = ("title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
           "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
           "data_category", "data_classification", "license_id", "accessible_condition")
_RECORD_TAIL = ("created_date", "last_updated_date", "url", "data_support", "data_collect", "data_language",
                "high_value_dataset", "reference_data")
TEMPLATE_COLUMNS = {
    "Temp2_Meta_Record": ("name", "d_type") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Multi": ("name", "d_type") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Other": ("name", "data_type_other") + _COMMON + _RECORD_TAIL,
    "Temp2_Meta_Stat": ("name", "d_type") + _COMMON + (
        "first_year_of_data", "last_year_of_data", "data_release_calendar", "last_updated_date",
        "disaggregate", "unit_of_measure", "unit_of_multiplier", "calculation_method", "standard", "url",
        "data_language", "official_statistics"),
    "Temp2_Meta_GIS": ("name", "d_type") + _COMMON + (
        "geographic_data_set", "equivalent_scale", "west_bound_longitude", "east_bound_longitude",
        "north_bound_longitude", "south_bound_longitude", "positional_accuracy", "reference_period",
        "last_updated_date", "data_release_calendar", "data_release_date", "url", "data_language"),
}


def template_layout(sheet_name: str, header: tuple[Any, ...]) -> tuple[str, ...] | None:
    """The column order of a template sheet, chosen by its header width (2.2.x or 2.1), or None."""
    columns = TEMPLATE_COLUMNS.get(sheet_name)
    if columns is None:
        return None
    width = max((i + 1 for i, cell in enumerate(header) if cell not in (None, "")), default=0)
    for layout in (columns, tuple(c for c in columns if c != "data_classification")):
        if width == len(layout):
            return layout
    return None


RESOURCE_SHEET_PREFIX = "Temp3_Resource"
RESOURCE_COLUMNS = ("dataset_name", "name", "url", "description", "resource_accessible_condition",
                    "resource_last_updated_date", "format", "resource_created_date", "resource_data_collect",
                    "resource_cdp")


def read_xlsx(path: str) -> Iterator[RawRecord]:
    """Records of the template's metadata sheets (with their resources), or of a plain first sheet."""
    import openpyxl
    from zipfile import BadZipFile

    with _open_binary(path):
        pass
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(path, f"ไม่ใช่ไฟล์ XLSX ที่อ่านได้ ({exc})",
                          f"not a readable XLSX workbook ({exc})") from exc
    try:
        template = [name for name in book.sheetnames if name in TEMPLATE_SHEETS]
        if not template:
            sheet = book[book.sheetnames[0]]
            yield from _sheet_records(path, sheet, 1, 2, "", None, {})
            return
        resources = _template_resources(book)
        for name in template:
            yield from _sheet_records(path, book[name], TEMPLATE_HEADER_ROW, TEMPLATE_FIRST_ROW,
                                      name, TEMPLATE_SHEETS[name], resources)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _sheet_records(path: str, sheet: Any, header_row: int, first_row: int, template: str,
                   data_type: str | None, resources: dict[str, list[dict[str, Any]]]) -> Iterator[RawRecord]:
    from indexer.schemas.shapes import header_map

    mapping = header_map()
    keys: list[str] | None = None
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == header_row:
            keys = _row_keys(row, template_layout(template, row), mapping)
        if number < first_row or keys is None:
            continue
        values = [_cell(v) for v in row]
        if not any(v not in (None, "") for v in values):
            continue
        data: dict[str, Any] = {}
        for key, value in zip(keys, values):
            if key and (key not in data or data[key] in (None, "")):
                data[key] = value
        if data_type and not data.get("data_type"):
            data["data_type"] = data_type
        attached = resources.get(str(data.get("name") or "").strip())
        if attached:
            data["resources"] = attached
        yield RawRecord(path, f"sheet {sheet.title} row {number}", data)


def _row_keys(row: tuple[Any, ...], positional: tuple[str, ...] | None, mapping: dict[str, str]) -> list[str]:
    from indexer.codelists import normalise_key

    keys = []
    for index, header in enumerate(row):
        text = "" if header is None else str(header).strip()
        if positional and index < len(positional):
            keys.append(positional[index])  # the national importer reads these sheets by position
            continue
        field_name = mapping.get(normalise_key(text)) if text else None
        keys.append(field_name or text)
    return keys


def _template_resources(book: Any) -> dict[str, list[dict[str, Any]]]:
    """Resources of every ``Temp3_Resource*`` sheet, by the dataset name in their first column."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name in book.sheetnames:
        if not name.startswith(RESOURCE_SHEET_PREFIX):
            continue
        for number, row in enumerate(book[name].iter_rows(values_only=True), start=1):
            if number < TEMPLATE_FIRST_ROW:
                continue
            resource = {k: _cell(v) for k, v in zip(RESOURCE_COLUMNS, row) if v not in (None, "")}
            owner = str(resource.pop("dataset_name", "") or "").strip()
            if owner and resource:
                found.setdefault(owner, []).append(resource)
    return found
