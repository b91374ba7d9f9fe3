"""Candidates of an opening: adding them one by one or from a CSV file, their neutral
codes, invitations in bulk, decisions, deletion and the retention purge.

Deleting a candidate row removes their invite, answers, raters' scores, skill results
and self-identification through ON DELETE CASCADE; a hand-over made on hire keeps its
copy of the profile (its link to the candidate is set to NULL).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import selectinload

from coachkit.auth.forms import email_key
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, results
from coachkit.hiring.models import DECISIONS, Candidate, CandidateStatus, Handover, Opening

# Codes such as "KFM-473": no letters or digits that are easily mistaken for each other
# (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read out over the phone arrives intact.
CODE_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
CODE_DIGITS = "34679"
CODE_ATTEMPTS = 50
MAX_NAME = 120
MAX_EMAIL = 254
# Invitations sent by one "Invite all": enough for a busy day, few enough to e-mail well
# within a request (over one SMTP connection) and to show on one page when not e-mailed.
INVITE_BATCH = 100


class AlreadyCandidate(ValueError):
    """The e-mail address is already a candidate's in this opening."""


class NotAnswered(ValueError):
    """A decision about a candidate who has not handed in their answers."""


def new_code(taken: set[str]) -> str:
    """A random neutral code not in `taken` (which it is added to)."""
    for _ in range(CODE_ATTEMPTS):
        letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(3))
        digits = "".join(secrets.choice(CODE_DIGITS) for _ in range(3))
        code = f"{letters}-{digits}"
        if code not in taken:
            taken.add(code)
            return code
    raise RuntimeError("no free candidate code found")  # 1M codes: practically unreachable


def codes_in_use(opening_id: int) -> set[str]:
    return set(db.session.scalars(select(Candidate.code).where(Candidate.opening_id == opening_id)))


def emails_in_use(opening_id: int) -> set[str]:
    return set(
        db.session.scalars(select(Candidate.email).where(Candidate.opening_id == opening_id))
    )


def email_problem(address: str) -> str | None:
    """Why `address` (already normalised) is not a usable e-mail address, or None."""
    if not address:
        return "The e-mail address is missing"
    if len(address) > MAX_EMAIL:
        return f"The e-mail address is longer than {MAX_EMAIL} characters"
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return f"“{address}” is not a valid e-mail address"
    return None


def add(opening: Opening, name: str, email: str) -> Candidate:
    """Add a candidate with a fresh neutral code; AlreadyCandidate for a known e-mail."""
    email = email_key(email)
    if email in emails_in_use(opening.id):
        raise AlreadyCandidate(email)
    candidate = Candidate(
        opening=opening, name=name.strip(), email=email, code=new_code(codes_in_use(opening.id))
    )
    db.session.add(candidate)
    db.session.flush()
    return candidate


def delete_candidate(candidate: Candidate) -> None:
    """Delete the candidate and, by cascade, everything recorded about them."""
    db.session.delete(candidate)
    db.session.flush()


def decide(candidate: Candidate, decision: CandidateStatus) -> bool:
    """Shortlist, reject or hire a candidate who has handed in their answers; True when
    this withdrew the hand-over of a hire who is no longer hired."""
    if decision not in DECISIONS:
        raise ValueError(f"{decision} is not a decision")
    results.lock(candidate)
    if not candidate.answered:
        raise NotAnswered(candidate.code)
    withdrawn = False
    if candidate.status == CandidateStatus.HIRED and decision != CandidateStatus.HIRED:
        # No longer a new starter: the team's copy of their profile goes too.
        result = db.session.execute(delete(Handover).where(Handover.candidate_id == candidate.id))
        withdrawn = bool(cast(CursorResult, result).rowcount)
    candidate.status = decision
    candidate.decided_at = candidate.last_activity_at = utcnow()
    db.session.flush()
    return withdrawn


@dataclass(frozen=True)
class Invited:
    """Links issued by `invite_new`, and how many new candidates still wait for one."""

    issued: list[tuple[Candidate, str]]
    remaining: int


def invite_new(opening: Opening, limit: int = INVITE_BATCH) -> Invited:
    """Issue links for up to `limit` candidates of `opening` still waiting for one,
    oldest first; return each candidate with their link (the token is not stored, so
    this is the only copy) and how many are left for the next batch."""
    waiting = select(Candidate).where(
        Candidate.opening_id == opening.id, Candidate.status == CandidateStatus.NEW
    )
    batch = db.session.scalars(
        waiting.options(selectinload(Candidate.invitation))
        .order_by(Candidate.created_at, Candidate.id)
        .limit(limit)
    ).all()
    issued = [(candidate, invitations.issue(candidate)) for candidate in batch]
    remaining = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    return Invited(issued, remaining or 0)


def purge(days: int, now: datetime | None = None) -> int:
    """Delete candidates nobody has done anything with for `days` days; return how many.
    Hand-overs stay: they are the new starter's records now."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        delete(Candidate)
        .where(Candidate.last_activity_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return cast(CursorResult, result).rowcount


def time_taken(candidate: Candidate) -> str:
    """How long the candidate took, for people: "11 min 40 s", "timed out"."""
    seconds = candidate.seconds_taken
    if seconds is None:
        return "timed out" if candidate.timed_out else ""
    if seconds >= 3600:
        text = f"{seconds // 3600} h {seconds % 3600 // 60} min"
    elif seconds >= 60:
        text = f"{seconds // 60} min {seconds % 60} s"
    else:
        text = f"{seconds} s"
    return f"{text}, timed out" if candidate.timed_out else text


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    added: list[Candidate] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def import_rows(opening: Opening, rows: Iterable[tuple[int, str, str]]) -> ImportReport:
    """Add a candidate for every good (line, name, e-mail) row; report the others."""
    report = ImportReport()
    known, codes = emails_in_use(opening.id), codes_in_use(opening.id)
    seen: dict[str, int] = {}
    for line, raw_name, raw_email in rows:
        name, email = " ".join(raw_name.split()), email_key(raw_email)
        if reason := _row_problem(name, email, seen, known):
            report.problems.append(RowProblem(line, reason))
            continue
        seen[email] = line
        candidate = Candidate(opening=opening, name=name, email=email, code=new_code(codes))
        report.added.append(candidate)
    db.session.add_all(report.added)
    db.session.flush()
    return report


def _row_problem(name: str, email: str, seen: dict[str, int], known: set[str]) -> str | None:
    if not name:
        return "The name is missing"
    if len(name) > MAX_NAME:
        return f"The name is longer than {MAX_NAME} characters"
    if problem := email_problem(email):
        return problem
    if email in seen:
        return f"{email} is already on line {seen[email]} of this file"
    if email in known:
        return f"{email} is already a candidate for this opening"
    return None


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
            f"The file is not valid CSV (line {start + reader.line_num}: {error})."
        ) from None
    if columns is None:
        raise UnreadableFile("The file is empty.")
    return rows


def _text(data: bytes) -> str:
    if data.startswith(WORKBOOK_SIGNATURES):
        raise UnreadableFile(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_CSV}")
    # UTF-16 with its byte-order mark is what Excel's “Unicode Text” writes.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The file is not UTF-8 text, so letters such as é or ø would come out wrong. "
            + SAVE_AS_CSV
        ) from None
    if "\x00" in text:
        raise UnreadableFile("The file holds binary data: upload a CSV file (text).")
    return text


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
