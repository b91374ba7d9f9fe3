"""The load test's database: the demo organisation (`flask db upgrade`, `flask demo`, as
`make run` does), then enough extra people, through the app's own code, for every
simulated person to be someone different: employees in teams with their managers (and
the demo's coaching history, so there are sessions to acknowledge), recruiters, and
invited candidates for the demo's customer care opening."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bench.journeys import PASSWORD, Person
from bench.load import WORKERS
from bench.store import ROOT, app_config
from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.coaching import demo as coaching_demo
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.candidates import roster as candidates
from coachkit.hiring.demo import OPENING
from coachkit.hiring.models import Opening
from coachkit.teams import roster
from coachkit.teams.models import Membership, Position, Team

# How the simulated people divide between the roles (the rest are candidates).
SHARES = {"employee": 0.48, "manager": 0.12, "recruiter": 0.12}
DOMAIN = "loadtest.coachkit.example"


@dataclass(frozen=True)
class Population:
    url: str
    people: list[Person]
    tokens: list[str]  # candidates' invite links, one per candidate journey
    workers: int = WORKERS


def mix(users: int) -> dict[str, int]:
    """How many of `users` take each role: at least one of each from four people up."""
    counts = {role: max(1, round(users * share)) for role, share in SHARES.items()}
    counts["candidate"] = max(1, users - sum(counts.values()))
    return counts


def flask(*arguments: str, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("FLASK_DEBUG", None)
    command = [sys.executable, "-m", "flask", "--app", "coachkit", *arguments]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")


def populate(directory: Path, users: int, seconds: float) -> Population:
    """A fresh database in `directory` for `users` people loading it for `seconds`."""
    url = f"sqlite:///{directory / 'loadtest.sqlite'}"
    flask("db", "upgrade", url=url)
    flask("demo", "--force", "--password", PASSWORD, url=url)
    counts = mix(users)
    # A candidate journey takes 10-20 s; never run out of fresh invites.
    invites = counts["candidate"] * (math.ceil(seconds / 10) + 2)
    app = create_app(app_config(url))
    with app.app_context():
        people = _staff(counts)
        opening_id, tokens = _candidates(invites)
        db.session.commit()
        db.engine.dispose()
    people = [
        Person(p.role, p.email, p.team_id, opening_id if p.role == "recruiter" else None)
        for p in people
    ]
    people += [Person("candidate") for _ in range(counts["candidate"])]
    return Population(url, _interleave(people), tokens)


def _interleave(people: list[Person]) -> list[Person]:
    """Roles mixed in the arrival order, so every role is under load from the start."""
    by_role: dict[str, list[Person]] = {}
    for person in people:
        by_role.setdefault(person.role, []).append(person)
    longest = max(len(group) for group in by_role.values())
    return [group[i] for i in range(longest) for group in by_role.values() if i < len(group)]


def _staff(counts: dict[str, int]) -> list[Person]:
    """The demo's staff and enough new ones: employees, managers, recruiters."""
    password_hash = hash_password(PASSWORD)

    def existing(role: Role) -> list[User]:
        return list(db.session.scalars(select(User).where(User.role == role).order_by(User.id)))

    def new(role: Role, count: int) -> list[User]:
        users = [
            User(
                email=f"load.{role.value}.{n}@{DOMAIN}",
                name=f"Load {role.value.title()} {n}",
                role=role,
                password_hash=password_hash,
            )
            for n in range(count)
        ]
        db.session.add_all(users)
        return users

    managers = new(Role.MANAGER, counts["manager"] - len(existing(Role.MANAGER)))
    # Enough employees for the simulation, and at least one on each new team.
    wanted = max(counts["employee"] - len(existing(Role.EMPLOYEE)), len(managers))
    members = new(Role.EMPLOYEE, wanted)
    new(Role.RECRUITER, counts["recruiter"] - len(existing(Role.RECRUITER)))
    db.session.flush()
    _teams(managers, members)
    manages = select(Membership.user_id, Membership.team_id).where(
        Membership.position == Position.MANAGER
    )
    team_of = dict(db.session.execute(manages).tuples().all())
    return [
        Person(role, user.email, team_of.get(user.id) if role == "manager" else None)
        for role in ("employee", "manager", "recruiter")
        for user in existing(Role(role))[: counts[role]]
    ]


def _teams(managers: list[User], members: list[User]) -> None:
    """A team for each new manager with the new employees shared out, and the demo's
    coaching history for them (its latest session waits for acknowledgement)."""
    if not managers:  # no new teams: new employees join the first demo team
        first = db.session.scalars(select(Team).order_by(Team.id).limit(1)).one()
        for member in members:
            roster.add(first, member, Position.MEMBER)
        return
    teams = []
    for number, manager in enumerate(managers):
        team = Team(name=f"Load test team {number + 1}", description="For the load test.")
        db.session.add(team)
        share = members[number :: len(managers)]
        roster.add(team, manager, Position.MANAGER)
        for member in share:
            roster.add(team, member, Position.MEMBER)
        teams.append((manager, share))
    db.session.flush()
    coaching_demo.create(teams)


def _candidates(count: int) -> tuple[int, list[str]]:
    """`count` new candidates invited to the demo opening: its id and their tokens."""
    opening = db.session.scalars(select(Opening).where(Opening.title == OPENING)).one()
    tokens = []
    for number in range(count):
        name = f"Load Candidate {number + 1}"
        candidate = candidates.add(opening, name, f"load.candidate.{number + 1}@{DOMAIN}")
        tokens.append(invitations.new_token(candidate))
    return opening.id, tokens
