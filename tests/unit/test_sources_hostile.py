"""Hostile indexer inputs: each is a clear rejection in bounded memory, and nothing else is lost.

Deeply nested JSON, a 1 GB file that is one endless line or value, a CSV of 10,000 columns, corrupt
ZIP/XLSX files. The huge files are sparse (created with ``truncate``), so the test costs no disk;
reading them still costs a pass over 1 GB of zeros, bounded by the readers' record-size limit.
"""
from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from indexer.pipeline import validate
from indexer.sources import read_sources
from indexer.sources import SourceError
from indexer.sources.base import MAX_RECORD_BYTES
from tests.support import dataset

GIB = 1 << 30
PACKAGE = json.dumps(dataset("after-the-storm", title="ชุดข้อมูลหลังไฟล์เสีย"), ensure_ascii=False)


def _outcomes(path: Path) -> list:
    return list(validate(read_sources([str(path)]), None))


def _peak_mib(action) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_deeply_nested_json_is_one_clear_reject(tmp_path, suffix):
    path = tmp_path / f"nested{suffix}"
    nested = '{"title": ' + "[" * 200_000 + "]" * 200_000 + "}"
    if suffix == ".jsonl":
        path.write_text(nested + "\n" + PACKAGE + "\n", encoding="utf-8")
    else:
        path.write_text("[" + nested + ", " + PACKAGE + "]", encoding="utf-8")
    outcomes = _outcomes(path)
    rejected = [o for o in outcomes if not o.accepted]
    assert len(rejected) == 1
    message = " ".join(str(f) for f in rejected[0].errors)
    assert "nested too deeply" in message and "ซ้อนลึกเกินไป" in message
    if suffix == ".jsonl":  # a line is a record: the next one is still read
        assert [o.record["id"] for o in outcomes if o.accepted] == ["after-the-storm"]


def _sparse(path: Path, head: bytes, size: int, tail: bytes = b"") -> Path:
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)
        out.seek(size)
        out.write(tail)
    return path


def test_a_1_gb_line_is_rejected_in_bounded_memory_and_the_next_line_is_kept(tmp_path):
    path = _sparse(tmp_path / "huge.jsonl", b'{"title": "', GIB, b'"}\n' + PACKAGE.encode() + b"\n")
    outcomes: list = []
    peak = _peak_mib(lambda: outcomes.extend(_outcomes(path)))
    assert peak < 6 * MAX_RECORD_BYTES / 2**20, f"peak {peak:.0f} MiB"
    rejected = [o for o in outcomes if not o.accepted]
    assert [o.raw.locator for o in rejected] == ["line 1"]
    assert "larger than" in " ".join(str(f) for f in rejected[0].errors)
    assert [o.record["id"] for o in outcomes if o.accepted] == ["after-the-storm"]


def test_a_1_gb_json_value_is_rejected_in_bounded_memory(tmp_path):
    path = _sparse(tmp_path / "huge.json", b"[" + PACKAGE.encode() + b', {"title": "', GIB, b'"}]')
    outcomes: list = []
    peak = _peak_mib(lambda: outcomes.extend(_outcomes(path)))
    assert peak < 6 * MAX_RECORD_BYTES / 2**20, f"peak {peak:.0f} MiB"
    assert [o.record["id"] for o in outcomes if o.accepted] == ["after-the-storm"]
    rejected = [o for o in outcomes if not o.accepted]
    assert len(rejected) == 1 and "larger than" in " ".join(str(f) for f in rejected[0].errors)


def test_a_csv_of_10000_columns_is_refused_by_name(tmp_path):
    path = tmp_path / "wide.csv"
    header = ["title", "name"] + [f"c{i}" for i in range(9_998)]
    path.write_text(",".join(header) + "\n" + ",".join(["ชื่อ", "n"] + ["x"] * 9_998) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        _outcomes(path)
    assert "10000 columns" in str(caught.value) and "10000 คอลัมน์" in str(caught.value)


def test_a_csv_cell_larger_than_the_limit_is_one_rejected_row(tmp_path):
    path = tmp_path / "bigcell.csv"
    path.write_text("title,name\n\"" + "ก" * 200_000 + "\",big\nชื่อ,small\n", encoding="utf-8")
    outcomes = _outcomes(path)
    unread = [o.raw.locator for o in outcomes if o.raw.data is None]
    assert unread == ["row 2"]
    assert [o.raw.data for o in outcomes if o.raw.locator == "row 3"] == [{"title": "ชื่อ", "name": "small"}]


@pytest.mark.parametrize("make", ["truncated", "not-a-zip", "zip-without-workbook", "bomb"])
def test_corrupt_zip_or_xlsx_is_a_clear_fatal_error(tmp_path, make):
    path = tmp_path / "book.xlsx"
    if make == "truncated":
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("[Content_Types].xml", "<Types/>" * 1000)
            book.writestr("xl/workbook.xml", "<workbook/>" * 1000)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif make == "not-a-zip":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    elif make == "zip-without-workbook":
        with zipfile.ZipFile(path, "w") as book:
            book.writestr("hello.txt", "not a workbook")
    else:  # a sheet that inflates to 1 GB of nothing
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
            book.writestr("[Content_Types].xml", "<Types/>")
            with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
                for _ in range(64):
                    sheet.write(b" " * (16 << 20))
    peak = _peak_mib(lambda: pytest.raises(SourceError, _outcomes, path))
    assert peak < 64, f"peak {peak:.0f} MiB"
    with pytest.raises(SourceError) as caught:
        _outcomes(path)
    assert "xlsx" in str(caught.value).lower() or "workbook" in str(caught.value).lower()
