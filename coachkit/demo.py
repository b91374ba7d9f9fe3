"""The demo organisation `flask demo` creates: people, roles and teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.calibration import demo as calibration_demo
from coachkit.coaching import demo as coaching_demo
from coachkit.content.library import library
from coachkit.content.modules import Module
from coachkit.content.paths import weakest_route
from coachkit.database import utcnow
from coachkit.evidence import demo as evidence_demo
from coachkit.extensions import db
from coachkit.hiring import demo as hiring_demo
from coachkit.notifications import demo as notifications_demo
from coachkit.organisation import demo as organisation_demo
from coachkit.teams import roster
from coachkit.teams.models import Position, Team
from coachkit.training import assignments, player
from coachkit.training.models import Attempt, AttemptStatus, SkillScore
from coachkit.training.results import strongest_path

DEFAULT_PASSWORD = "practise-listening-first"  # noqa: S105 - printed for demo sign-in
DOMAIN = "demo.coachkit.example"
DEMO_MODULE = "charged-twice"


@dataclass(frozen=True)
class DemoTeam:
    name: str
    description: str
    manager: str
    members: tuple[str, ...]


ADMIN = "Alex Morgan"
RECRUITER = "Riley Chen"
SECOND_RECRUITER = "Noor Haddad"
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
    recruiters = [
        _person(name, Role.RECRUITER, password_hash) for name in (RECRUITER, SECOND_RECRUITER)
    ]
    people += recruiters
    db.session.flush()
    notifications_demo.choose(people)
    _training(people)
    _practice_history(people)
    by_name = {person.name: person for person in people}
    coaching_demo.create(
        [(by_name[spec.manager], [by_name[name] for name in spec.members]) for spec in TEAMS]
    )
    hiring_demo.create(
        recruiters, db.session.scalar(select(Team).where(Team.name == TEAMS[0].name))
    )
    _evidence(password_hash, by_name[TEAMS[0].manager], recruiters[0])
    calibration_demo.create(
        by_name[TEAMS[0].manager],
        [by_name[TEAMS[1].manager], people[0]],
        by_name[PRACTICE[0][0]],
    )
    notifications_demo.create(people)
    organisation_demo.create()
    return people


def _evidence(password_hash: str, manager: User, recruiter: User) -> None:
    """Last year's hires in a second team of the first manager, for the evidence
    reports (`evidence.demo`); they are not among the printed logins."""
    spec = DemoTeam(
        evidence_demo.TEAM, evidence_demo.TEAM_DESCRIPTION, manager.name, evidence_demo.HIRES
    )
    hires = [_person(name, Role.EMPLOYEE, password_hash) for name in spec.members]
    db.session.flush()
    team = _team(spec, manager, hires)
    evidence_demo.create(manager, hires, team, recruiter, _practise_on)


def _practise_on(member: User, module: Module, picks: tuple[int, ...], moment: datetime) -> None:
    _practise(member, module, picks, finished=True)
    _backdate(member, moment)


# (member name, picks through the demo module or None to leave unplayed, finished?)
PRACTICE = [
    ("Sam Patel", (0, 1, 0), True),
    ("Jordan Reyes", (1, 0, 2), True),
    ("Priya Nair", (0,), False),
    ("Aisha Rahman", (0, 2, 1, 0), True),  # via the hand-off, then "I can do it myself"
    ("Chris Novak", (2, 0), False),
    ("Elena Rossi", (2, 1), True),
]
OVERDUE = ("Tom Becker", "Marcus Lee")


def _training(people: list[User]) -> None:
    """Assignments of the first module to both teams and attempts at various stages."""
    module = library().modules.get(DEMO_MODULE)
    if module is None:
        return
    by_name = {person.name: person for person in people}
    today = utcnow().date()
    for spec in TEAMS:
        manager = by_name[spec.manager]
        members = [by_name[name] for name in spec.members if name not in OVERDUE]
        assignments.assign(module.slug, members, today + timedelta(days=10), manager)
        late = [by_name[name] for name in spec.members if name in OVERDUE]
        assignments.assign(module.slug, late, today - timedelta(days=2), manager)
    db.session.flush()
    for name, picks, finished in PRACTICE:
        user = by_name[name]
        if db.session.scalar(select(Attempt.id).where(Attempt.user_id == user.id)) is None:
            _practise(user, module, picks, finished=finished)


def _practise(user: User, module: Module, picks: tuple[int, ...], *, finished: bool) -> None:
    """Play `picks` as `user`, writing any reflection on the way (and at the end)."""
    attempt = player.start(user, module)
    for pick in (*picks, None):
        if attempt.status != AttemptStatus.IN_PROGRESS:
            break
        if module.nodes[attempt.current_node].kind == "reflect":
            if pick is None and not finished:
                break
            player.answer(
                attempt,
                module,
                position=attempt.step_count,
                choice=None,
                reflection="She needed to know her rent was safe first.",
            )
        if pick is not None and attempt.status == AttemptStatus.IN_PROGRESS:
            player.answer(
                attempt, module, position=attempt.step_count, choice=pick, reflection=None
            )
    db.session.flush()


HISTORY_MONTHS = 5


def _practice_history(people: list[User]) -> None:
    """One module a month for the last few months, weaker replies early and the
    strongest path later, so the skill trends have something to show."""
    # Not the assigned demo module: its attempts in progress must stay in progress.
    modules = [m for m in library().modules.values() if m.slug != DEMO_MODULE]
    members = [p for p in people if p.role == Role.EMPLOYEE and p.name not in OVERDUE]
    cutoff = utcnow() - timedelta(days=25)
    for offset, member in enumerate(members):
        if db.session.scalar(
            select(Attempt.id).where(Attempt.user_id == member.id, Attempt.started_at < cutoff)
        ):
            continue
        for month in range(HISTORY_MONTHS, 0, -1):
            module = modules[(month + offset) % len(modules)]
            route = strongest_path(module) if month <= 2 else weakest_route(module)
            picks = tuple(
                node.choices.index(choice) for node, choice in route.steps if choice is not None
            )
            _practise(member, module, picks, finished=True)
            _backdate(member, utcnow() - timedelta(days=30 * month + offset))


def _backdate(member: User, moment: datetime) -> None:
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.user_id == member.id).order_by(Attempt.id.desc()).limit(1)
    )
    if attempt is None:
        return
    attempt.started_at = moment - timedelta(minutes=12)
    attempt.completed_at = moment if attempt.completed_at else None
    for score in db.session.scalars(select(SkillScore).where(SkillScore.attempt_id == attempt.id)):
        score.completed_at = moment
    db.session.flush()
