"""Reading a list of candidates from a CSV file as recruiters export it from Excel,
Google Sheets or an applicant tracking system: UTF-8 (with or without a byte-order
mark) or UTF-16 (with or without one), comma, semicolon or tab separated, Excel's
`sep=` line, blank lines, and the usual names for the name and e-mail columns. Every
row keeps its line number in the file, so problems can be reported where the recruiter
will look.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

MAX_ROWS = 1000
DELIMITERS = ",;\t"
SNIFF_LINES = 20  # the header and this many lines after it show the delimiter
# Header cells are compared lower-cased, with "_" as a space and spaces collapsed.
NAME_HEADERS = {"name", "full name", "fullname", "candidate name"}
FIRST_NAME_HEADERS = {"first name", "firstname", "given name", "forename"}
LAST_NAME_HEADERS = {"last name", "lastname", "family name", "surname"}
EMAIL_HEADERS = {"email", "e-mail", "email address", "e-mail address", "candidate email"}
# Excel writes "sep=;" as the first line to name the delimiter (and hides that line).
SEP_LINE = re.compile(r'"?sep=(\\t|[,;\t|])"?\s*', re.IGNORECASE)
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE)
SAVE_AS_CSV = (
    "In Excel, choose File › Save As › “CSV UTF-8 (Comma delimited)”; in Google Sheets, "
    "File › Download › “Comma-separated values”. Then upload the new file."
)


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported; the message says why, for people."""


@dataclass(frozen=True)
class Columns:
    """Where a file keeps the e-mail address and the name: one column, or first and
    last name columns (either may be missing) that are joined with a space."""

    email: int
    names: tuple[int, ...]

    def values(self, cells: list[str]) -> tuple[str, str]:
        name = " ".join(_cell(cells, at) for at in self.names)
        return name, _cell(cells, self.email)


def read_csv(data: bytes) -> list[tuple[int, str, str]]:
    """The (line, name, e-mail) rows of a candidates file with a header row naming its
    name and e-mail columns in any order, as Excel, Google Sheets and applicant-tracking
    systems export it: comma-, semicolon- or tab-separated, Excel's `sep=` line, blank
    lines anywhere (skipped). Lines are the file's own, counting every line from 1, so
    a reported line is the one the recruiter sees in the file."""
    lines = io.StringIO(_text(data), newline="").readlines()
    start = next((at for at, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise UnreadableFile("The file is empty.")
    if sep := SEP_LINE.fullmatch(lines[start].rstrip("\r\n")):
        delimiter, start = sep.group(1).replace("\\t", "\t"), start + 1
    else:
        delimiter = _delimiter([line for line in lines[start:] if line.strip()][:SNIFF_LINES])
    reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
    columns: Columns | None = None
    rows: list[tuple[int, str, str]] = []
    ended = 0  # the reader's line count after the previous row
    try:
        for cells in reader:
            line, ended = start + ended + 1, reader.line_num  # a quoted cell may span lines
            if _swallowed_rows(cells, delimiter):
                raise UnreadableFile(_unclosed_quote(line, start + ended))
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _columns(cells)
            elif len(rows) == MAX_ROWS:
                raise UnreadableFile(
                    f"The file has more than {MAX_ROWS:,} candidates. Split it into smaller "
                    "files and upload them one after another."
                )
            else:
                rows.append((line, *columns.values(cells)))
    except csv.Error as error:
        raise UnreadableFile(
            f"The file is not valid CSV (line {start + ended + 1}: {error}). "
            'Check that line for a quote (") that is not closed.'
        ) from None
    if columns is None:
        raise UnreadableFile("The file is empty.")
    if not rows:
        raise UnreadableFile(
            "No rows were found: the file has its header row but no candidates below it."
        )
    return rows


def _swallowed_rows(cells: list[str], delimiter: str) -> bool:
    """Whether a cell runs over several lines that look like rows of their own (they
    hold the delimiter): a quote left open, not a name written over two lines."""
    return any(delimiter in cell for cell in cells if "\n" in cell or "\r" in cell)


def _unclosed_quote(line: int, last: int) -> str:
    """A row that runs over several lines: names and addresses never hold a line
    break, so a quote opened on `line` was not closed and swallowed the lines after."""
    swallowed = f"line {last}" if last <= line + 1 else f"lines {line + 1} to {last}"
    return (
        f'The file is not valid CSV: the quote (") opened on line {line} is not closed, '
        f"so {swallowed} would be read as part of that row and not as candidates of their "
        "own. Close or remove the quote on that line and upload again."
    )


def _text(data: bytes) -> str:
    if data.startswith(WORKBOOK_SIGNATURES):
        raise UnreadableFile(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}")
    # UTF-16 with its byte-order mark is what Excel's “Unicode Text” writes; some
    # tools write it without one, which the zero bytes of its Latin letters show.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else _utf16_without_bom(data) or "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The file is not UTF-8 text, so letters such as é or ø would come out wrong. "
            + SAVE_AS_CSV
        ) from None
    if "\x00" in text:
        raise UnreadableFile("The file holds binary data: upload a CSV file (text).")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the start of `data` looks like UTF-16 without a
    byte-order mark: most of its even (or odd) bytes zero, as headers such as
    "name,email" give, and none of the others. None otherwise."""
    sample = data[:400]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= 0.6 * len(odd) and zeros_even == 0:
        return "utf-16-le"
    if zeros_even >= 0.6 * len(even) and zeros_odd == 0:
        return "utf-16-be"
    return None


def _delimiter(sample: list[str]) -> str:
    """The delimiter the sniffer finds in the header and first rows (comma when it finds
    none), unless only another one splits the header into name and e-mail columns."""
    try:
        sniffed = csv.Sniffer().sniff("".join(sample), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    for delimiter in dict.fromkeys(sniffed + DELIMITERS):
        header = next(csv.reader(sample[:1], delimiter=delimiter), [])
        if _find_columns(header) is not None:
            return delimiter
    return sniffed


def _cell(cells: list[str], at: int) -> str:
    return cells[at] if at < len(cells) else ""


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("_", " ").lower().split())


def _find_columns(header: list[str]) -> Columns | None:
    keys = [_header_key(cell) for cell in header]

    def first(names: set[str]) -> int | None:
        return next((at for at, key in enumerate(keys) if key in names), None)

    email, name = first(EMAIL_HEADERS), first(NAME_HEADERS)
    parts = tuple(
        at for at in (first(FIRST_NAME_HEADERS), first(LAST_NAME_HEADERS)) if at is not None
    )
    names = (name,) if name is not None else parts
    return Columns(email, names) if email is not None and names else None


def _columns(header: list[str]) -> Columns:
    if (columns := _find_columns(header)) is not None:
        return columns
    keys = {_header_key(cell) for cell in header}
    missing = [
        word
        for word, known in (
            ("name", NAME_HEADERS | FIRST_NAME_HEADERS | LAST_NAME_HEADERS),
            ("email", EMAIL_HEADERS),
        )
        if not keys & known
    ]
    raise UnreadableFile(
        f"The first row must name the columns: no {' and '.join(missing)} column found. "
        "Start the file with a header row such as: name,email "
        "(“first name” and “last name” columns work too)."
    )
