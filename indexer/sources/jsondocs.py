"""JSON Lines, and JSON documents (``package_show`` / ``package_search`` answers, lists of packages)
read value by value, so a file of any size is read in constant memory."""
from __future__ import annotations

import codecs
import io
import json
from typing import IO, Any, Iterator

from .base import MAX_RECORD_BYTES, MAX_RECORD_TEXT, NOT_AN_OBJECT, RawRecord, open_binary

CHUNK = 1 << 16
TOO_DEEP = "JSON ซ้อนลึกเกินไป / JSON nested too deeply"
TOO_LARGE = f"ระเบียนใหญ่เกิน {MAX_RECORD_TEXT} ไม่ได้อ่าน / the record is larger than {MAX_RECORD_TEXT}: not read"
_ENVELOPE = {"help", "success", "result"}


def read_jsonl(path: str) -> Iterator[RawRecord]:
    """One package or mirror record per line; blank lines are skipped, bad lines are error records."""
    with open_binary(path) as handle:
        for number, line in _bounded_lines(handle):
            if line is None:
                yield RawRecord(path, f"line {number}", None, TOO_LARGE)
                continue
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            yield from _unwrapped(_jsonl_record(path, number, line))


def _bounded_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; a line longer than ``MAX_RECORD_BYTES`` is skipped unread (``None``)."""
    number = 0
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        number += 1
        if len(line) <= MAX_RECORD_BYTES:
            yield number, line
            continue
        while not line.endswith(b"\n") and (line := handle.readline(CHUNK * 16)):
            pass
        yield number, None


def _unwrapped(raw: RawRecord) -> Iterator[RawRecord]:
    """A line holding a whole API answer (saved ``package_search``/``package_show``) gives its packages."""
    data = raw.data
    result = data.get("result") if isinstance(data, dict) and set(data) <= _ENVELOPE else None
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        result = result["results"]
    if isinstance(result, list):
        for index, item in enumerate(result, start=1):
            locator = f"{raw.locator} item {index}"
            if isinstance(item, dict):
                yield RawRecord(raw.source, locator, item)
            else:
                yield RawRecord(raw.source, locator, None, NOT_AN_OBJECT, json.dumps(item, ensure_ascii=False))
    elif isinstance(result, dict):
        yield RawRecord(raw.source, raw.locator, result)
    else:
        yield raw


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
    except RecursionError:
        return RawRecord(path, locator, None, TOO_DEEP)
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
        # Read as much again as is buffered: a long value costs a few reads, not thousands.
        chunk = self.handle.read(max(CHUNK, len(self.buf) - self.pos))
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
            except RecursionError:
                raise ValueError(TOO_DEEP) from None
            except json.JSONDecodeError:
                if len(self.buf) - self.pos > MAX_RECORD_BYTES:
                    raise ValueError(TOO_LARGE) from None
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
    with open_binary(path) as binary:
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


