"""CSV files: UTF-8 (with or without BOM), UTF-16 with BOM, or Thai Windows cp874/TIS-620, detected."""
from __future__ import annotations

import codecs
import csv
import io
from typing import Any, Iterator

from .base import RawRecord, SourceError, open_binary

SNIFF_BYTES = 1 << 16


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


# The metadata standard has well under a hundred fields; a table far wider is not metadata.
MAX_COLUMNS = 1000


def read_csv(path: str) -> Iterator[RawRecord]:
    """Rows of a CSV file with a header row; row numbers count the header as row 1."""
    with open_binary(path) as binary:
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
        if len(header) > MAX_COLUMNS:
            raise SourceError(path, f"มี {len(header)} คอลัมน์ เกิน {MAX_COLUMNS} คอลัมน์",
                              f"{len(header)} columns, more than the {MAX_COLUMNS} a metadata table can have")
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


