"""The demo organisation `flask demo` creates: people, roles and teams."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.extensions import db
from coachkit.teams import roster
from coachkit.teams.models import Position, Team

DEFAULT_PASSWORD = "practise-listening-first"  # noqa: S105 - printed for demo sign-in
DOMAIN = "demo.coachkit.example"


@dataclass(frozen=True)
class DemoTeam:
    name: str
    description: str
    manager: str
    members: tuple[str, ...]


ADMIN = "Alex Morgan"
RECRUITER = "Riley Chen"
TEAMS = (
    DemoTeam(
        "Customer Care",
        "Phone, chat and e-mail support for account holders.",
        "Maya Okafor",
        ("Sam Patel", "Jordan Reyes", "Priya Nair", "Tom Becker", "Lena Kowalski"),
    ),
    DemoTeam(
        "Store Floor",
        "In-store service, returns and repairs at the flagship shop.",
        "Daniel Brooks",
        ("Aisha Rahman", "Chris Novak", "Elena Rossi", "Marcus Lee"),
    ),
)


def email_for(name: str) -> str:
    return name.lower().replace(" ", ".") + "@" + DOMAIN


def _person(name: str, role: Role, password_hash: str) -> User:
    email = email_for(name)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role)
        db.session.add(user)
    user.role, user.active, user.password_hash = role, True, password_hash
    return user


def _team(spec: DemoTeam, manager: User, members: list[User]) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == spec.name))
    if team is None:
        team = Team(name=spec.name, description=spec.description)
        db.session.add(team)
        db.session.flush()
    present = {membership.user_id for membership in team.memberships}
    for person, position in [(manager, Position.MANAGER)] + [
        (member, Position.MEMBER) for member in members
    ]:
        if person.id not in present:
            roster.add(team, person, position)
    return team


def create(password: str = DEFAULT_PASSWORD) -> list[User]:
    """Create or refresh the demo organisation; return its people, admin first.

    Running it again changes nothing but the demo passwords, which it resets to
    `password` so the printed logins always work.
    """
    password_hash = hash_password(password)
    people = [_person(ADMIN, Role.ADMIN, password_hash)]
    for spec in TEAMS:
        manager = _person(spec.manager, Role.MANAGER, password_hash)
        members = [_person(name, Role.EMPLOYEE, password_hash) for name in spec.members]
        db.session.flush()
        _team(spec, manager, members)
        people += [manager, *members]
    people.append(_person(RECRUITER, Role.RECRUITER, password_hash))
    db.session.flush()
    return people
