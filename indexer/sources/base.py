"""What every reader shares: the record as read, the fatal error for an unreadable source, and
opening a file."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any


# One record (a JSON Lines line, a JSON value) larger than this is rejected without being held in
# memory; real packages are a few kilobytes, the largest seen on data.go.th under 1 MiB.
MAX_RECORD_BYTES = 16 << 20
MAX_RECORD_TEXT = "16 MiB"


@dataclass(frozen=True)
class RawRecord:
    """One record as read, before validation.

    ``locator`` says where it is (``line 12``, ``row 7``, ``item 3``, ``page 3 item 4``); ``data`` is the
    record as the source holds it (None when it could not be parsed, then ``error`` says why and ``text``
    holds what was read).
    """

    source: str
    locator: str
    data: dict[str, Any] | None
    error: str | None = None
    text: str | None = None


# An item of a list of records (a JSON document, a catalogue page) that is not an object.
NOT_AN_OBJECT = "รายการนี้ไม่ใช่ออบเจกต์ JSON / the item is not a JSON object"


class SourceError(Exception):
    """A source that cannot be read at all; ``str()`` is Thai and English."""

    def __init__(self, path: str, message_th: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_th} / {message_en}")
        self.path = path
        self.message_th = message_th
        self.message_en = message_en


def open_binary(path: str) -> IO[bytes]:
    """The file opened for reading bytes, or :class:`SourceError` (missing, a directory, no permission)."""
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(path)
        return open(path, "rb")
    except OSError as exc:
        raise SourceError(path, f"เปิดไฟล์ไม่ได้ ({exc.strerror or exc})",
                          f"cannot open the file ({exc.strerror or exc})") from exc
