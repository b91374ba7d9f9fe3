"""An opening's candidates: adding them one by one or from the rows of a CSV file,
each with a neutral code that raters see instead of their name."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from coachkit.auth.forms import email_key
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Opening

# Codes such as "KFM-473": no letters or digits that are easily mistaken for each other
# (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read out over the phone arrives intact.
CODE_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
CODE_DIGITS = "34679"
CODE_ATTEMPTS = 50
MAX_NAME = 120
MAX_EMAIL = 254


class AlreadyCandidate(ValueError):
    """The e-mail address is already a candidate's in this opening."""


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


class RowsRefused(ValueError):
    """Rows of the bulk form that cannot be added: row index -> reason."""

    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


def add_rows(opening: Opening, rows: Iterable[tuple[int, str, str]]) -> list[Candidate]:
    """Add a candidate for each (row, name, e-mail), all of them or, when any row
    repeats an address (in the form or of a candidate already), none: RowsRefused."""
    known, codes = emails_in_use(opening.id), codes_in_use(opening.id)
    seen: dict[str, int] = {}
    problems: dict[int, str] = {}
    wanted = []
    for at, raw_name, raw_email in rows:
        name, email = " ".join(raw_name.split()), email_key(raw_email)
        if email in seen:
            problems[at] = f"{email} is already in row {seen[email] + 1} of this form"
        elif email in known:
            problems[at] = f"{email} is already a candidate for this opening"
        seen.setdefault(email, at)
        wanted.append((name, email))
    if problems:
        raise RowsRefused(problems)
    added = [
        Candidate(opening=opening, name=name, email=email, code=new_code(codes))
        for name, email in wanted
    ]
    db.session.add_all(added)
    db.session.flush()
    return added
