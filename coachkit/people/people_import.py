"""The people import: what each row of a people file would do (the preview), and doing
it for every good row in one transaction.

A row adds a person or updates one found by e-mail address (name, role, a team they
join as a member, teams they manage); it never removes anyone from a team. A row that
would change nothing is "unchanged", so importing the same file again changes nothing.
Teams the file names that do not exist yet are created.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from coachkit.auth.forms import email_key
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.people import accounts
from coachkit.people.roster_file import Line
from coachkit.teams import roster
from coachkit.teams.models import ELIGIBLE_ROLES, Membership, Position, Team

SEPARATORS = re.compile(r"[;|]")
ROLE_NAMES = ", ".join(role.value for role in Role)


class Outcome(enum.StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass
class Row:
    """What one line of the file does, or why it cannot."""

    line: int
    name: str
    email: str
    outcome: Outcome = Outcome.UNCHANGED
    changes: list[str] = field(default_factory=list)
    problem: str | None = None
    role: Role = Role.EMPLOYEE
    member_of: str = ""
    manages: tuple[str, ...] = ()


@dataclass
class Plan:
    rows: list[Row]
    new_teams: list[str]

    def count(self, outcome: Outcome | str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def changing(self) -> int:
        return self.count(Outcome.ADD) + self.count(Outcome.UPDATE)


class _Known:
    """The accounts and teams the file names, loaded once for the whole file."""

    def __init__(self, lines: list[Line]) -> None:
        emails = {email_key(line.email) for line in lines}
        self.users = {
            user.email: user
            for user in db.session.scalars(select(User).where(User.email.in_(emails)))
        }
        self.places: dict[int, dict[int, Position]] = {}
        for user_id, team_id, position in db.session.execute(
            select(Membership.user_id, Membership.team_id, Membership.position).where(
                Membership.user_id.in_([user.id for user in self.users.values()])
            )
        ):
            self.places.setdefault(user_id, {})[team_id] = position
        self.teams = {team.name.lower(): team for team in db.session.scalars(select(Team))}
        self.seen: dict[str, int] = {}


def plan(lines: list[Line]) -> Plan:
    """What importing `lines` would do, row by row; changes nothing."""
    known = _Known(lines)
    rows = [_plan_row(line, known) for line in lines]
    new_teams: dict[str, str] = {}
    for row in rows:
        if row.outcome in (Outcome.ADD, Outcome.UPDATE):
            for name in (row.member_of, *row.manages):
                if name and name.lower() not in known.teams:
                    new_teams.setdefault(name.lower(), name)
    return Plan(rows, sorted(new_teams.values(), key=str.lower))


def _plan_row(line: Line, known: _Known) -> Row:
    row = Row(line.number, line.name, email_key(line.email))
    try:
        _check_cells(row, line, known)
        user = known.users.get(row.email)
        row.role = _role(line.role, user)
        row.member_of, row.manages = line.team, _team_names(line.manager_of)
        _check_places(row)
        if user is None:
            row.outcome, row.changes = Outcome.ADD, _new_person(row, known)
        else:
            row.changes = _changes(row, user, known)
            row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED
    except _Refused as refusal:
        row.outcome, row.problem = Outcome.REFUSED, str(refusal)
    return row


class _Refused(ValueError):
    """Why a row cannot be imported."""


def _check_cells(row: Row, line: Line, known: _Known) -> None:
    if not line.email:
        raise _Refused("No e-mail address.")
    try:
        validate_email(line.email, check_deliverability=False)
    except EmailNotValidError:
        raise _Refused(f"“{line.email}” is not a valid e-mail address.") from None
    if len(row.email) > 254:
        raise _Refused("The e-mail address is longer than 254 characters.")
    if row.email in known.seen:
        raise _Refused(f"The file lists {row.email} already, on line {known.seen[row.email]}.")
    known.seen[row.email] = row.line
    if not line.name:
        raise _Refused("No name.")
    if len(line.name) > 120:
        raise _Refused("The name is longer than 120 characters.")


def _role(cell: str, user: User | None) -> Role:
    if not cell:
        return user.role if user is not None else Role.EMPLOYEE
    try:
        return Role(cell.strip().lower())
    except ValueError:
        raise _Refused(f"Unknown role “{cell}”: use one of {ROLE_NAMES}.") from None


def _team_names(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for name in SEPARATORS.split(cell) if name.strip()))


def _check_places(row: Row) -> None:
    for name in (row.member_of, *row.manages):
        if len(name) > 120:
            raise _Refused("A team name is longer than 120 characters.")
    if row.member_of.lower() in {name.lower() for name in row.manages}:
        raise _Refused(f"They cannot be both a member and a manager of {row.member_of}.")
    if row.member_of and row.role not in ELIGIBLE_ROLES[Position.MEMBER]:
        raise _Refused(f"A team member must be an employee or a manager, not {row.role.value}.")
    if row.manages and row.role not in ELIGIBLE_ROLES[Position.MANAGER]:
        raise _Refused(f"A team manager must be a manager or an admin, not {row.role.value}.")


def _new_person(row: Row, known: _Known) -> list[str]:
    changes = [f"New {row.role.value}"]
    if row.member_of:
        changes.append(f"joins {_team_label(row.member_of, known)} as a member")
    changes += [f"manages {_team_label(name, known)}" for name in row.manages]
    return changes


def _team_label(name: str, known: _Known) -> str:
    return name if name.lower() in known.teams else f"{name} (a new team)"


def _changes(row: Row, user: User, known: _Known) -> list[str]:
    if not user.active:
        raise _Refused(f"{user.name}'s account is deactivated: reactivate it on their page first.")
    changes = []
    if row.name != user.name:
        changes.append(f"name: {user.name} → {row.name}")
    if row.role != user.role:
        changes.append(f"role: {user.role.value} → {row.role.value}")
    places = dict(known.places.get(user.id, {}))
    wanted = [(row.member_of, Position.MEMBER)] if row.member_of else []
    wanted += [(name, Position.MANAGER) for name in row.manages]
    for name, position in wanted:
        team = known.teams.get(name.lower())
        held = places.get(team.id) if team else None
        if held is position:
            continue
        if held is Position.MANAGER:
            raise _Refused(f"They manage {name}: change their place on the team's page.")
        label = _team_label(name, known)
        if position is Position.MEMBER:
            changes.append(f"joins {label} as a member")
        else:
            changes.append(f"manages {label}" + (" (was a member)" if held else ""))
        if team is not None:
            places[team.id] = position
    if any(row.role not in ELIGIBLE_ROLES[position] for position in places.values()):
        raise _Refused(
            f"As {row.role.value} they could not keep their place in a team: change the team first."
        )
    return changes


def apply(import_plan: Plan) -> list[User]:
    """Make every good row's changes (the caller commits, once); the people added."""
    teams = {team.name.lower(): team for team in db.session.scalars(select(Team))}
    for name in import_plan.new_teams:
        teams[name.lower()] = Team(name=name)
        db.session.add(teams[name.lower()])
    added = []
    for row in import_plan.rows:
        if row.outcome is Outcome.ADD:
            user = accounts.add_person(
                email=row.email, name=row.name, role=row.role, position=Position.MEMBER
            )
            added.append(user)
        elif row.outcome is Outcome.UPDATE:
            user = db.session.scalars(select(User).where(User.email == row.email)).one()
            user.name, user.role = row.name, row.role
        else:
            continue
        _place(user, row, teams)
    db.session.flush()
    return added


def _place(user: User, row: Row, teams: dict[str, Team]) -> None:
    wanted = [(row.member_of, Position.MEMBER)] if row.member_of else []
    wanted += [(name, Position.MANAGER) for name in row.manages]
    for name, position in wanted:
        team = teams[name.lower()]
        held = next((m for m in team.memberships if m.user_id == user.id), None)
        if held is None:
            roster.add(team, user, position)
        else:
            held.position = position
