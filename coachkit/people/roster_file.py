"""Reading a people file (CSV, as an HR system exports it) into rows with their line.

Columns, by header, in any order: `name`, `email`, `role`, `team`, `manager-of` (also
written `manager_of` or `manager of`). UTF-8 (with or without a byte-order mark) or
UTF-16; comma, semicolon or tab separated; blank lines skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

MAX_PEOPLE = 2000
HEADERS = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "role": "role",
    "team": "team",
    "manager-of": "manager_of",
    "manager of": "manager_of",
}
REQUIRED = ("name", "email")


class BadFile(ValueError):
    """The file cannot be read at all; the message says why, for the admin."""


@dataclass(frozen=True)
class Line:
    """One person as the file gives them (cells stripped; missing columns empty)."""

    number: int
    name: str
    email: str
    role: str
    team: str
    manager_of: str


def read(data: bytes) -> list[Line]:
    """The people in a file, each with the line it starts on (counting from 1)."""
    text = _decode(data)
    if not text.strip():
        raise BadFile("The file is empty.")
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    columns: dict[str, int] | None = None
    people: list[Line] = []
    previous_end = 0
    try:
        for cells in reader:
            number, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                continue
            if len(people) == MAX_PEOPLE:
                raise BadFile(f"The file has more than {MAX_PEOPLE:,} people: split it.")
            people.append(_line(number, cells, columns))
    except csv.Error as error:
        raise BadFile(f"Line {reader.line_num}: the file is not valid CSV ({error}).") from None
    if not people:
        raise BadFile("The file has a header row but nobody under it.")
    return people


def _decode(data: bytes) -> str:
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile("The file is not UTF-8 text: save it as “CSV UTF-8”.") from None
    if "\x00" in text:  # a spreadsheet file, or a broken export: no name holds one
        raise BadFile("The file holds a NUL character: save it as “CSV UTF-8”.")
    return text


def _columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for at, cell in enumerate(cells):
        key = HEADERS.get(" ".join(cell.strip().lower().replace("_", " ").split()))
        if key and key not in found:
            found[key] = at
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise BadFile(
            "The first row must name the columns; missing: "
            + ", ".join(missing)
            + ". Expected: name, email, role, team, manager-of."
        )
    return found


def _line(number: int, cells: list[str], columns: dict[str, int]) -> Line:
    def cell(key: str) -> str:
        at = columns.get(key)
        return cells[at].strip() if at is not None and at < len(cells) else ""

    return Line(number, cell("name"), cell("email"), cell("role"), cell("team"), cell("manager_of"))
