"""Accounts and teams: a few admins, about 1% recruiters, teams of 7-15 employees each
with its manager; every tenth team shares the previous team's manager as co-manager."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher

from bench.generate import Team, World, spread
from bench.texts import FIRST_NAMES, LAST_NAMES, TEAM_AREAS
from coachkit.auth.models import Role, User
from coachkit.teams.models import Membership, Position
from coachkit.teams.models import Team as TeamModel

TEAM_SIZE = 11  # members per team, on average
INACTIVE_SHARE = 0.03  # employees who left: their records stay


def generate(world: World) -> None:
    size = world.size
    admins = max(2, size.users // 2000)
    recruiters = max(5, size.users // 100)
    teams = round((size.users - admins - recruiters) / (TEAM_SIZE + 1))
    roles = (
        [Role.ADMIN] * admins
        + [Role.RECRUITER] * recruiters
        + [Role.MANAGER] * teams
        + [Role.EMPLOYEE] * (size.users - admins - recruiters - teams)
    )
    _users(world, roles)
    _teams(world, teams)


def _users(world: World, roles: list[Role]) -> None:
    w, rng, now = world.writer, world.rng, world.now
    # One real argon2 hash shared by everyone: the column holds what it would in use.
    password_hash = PasswordHasher().hash("bench password, never used to sign in")
    sink = w.sink(
        User.__table__,
        ("id", "email", "name", "role", "active", "password_hash", "password_changed_at")
        + ("created_at",),
    )
    by_role = {
        Role.ADMIN: world.admins,
        Role.RECRUITER: world.recruiters,
        Role.MANAGER: world.managers,
        Role.EMPLOYEE: world.employees,
    }
    for user_id, role in enumerate(roles, start=1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        joined = now - timedelta(days=rng.randint(400, 2000), seconds=rng.randint(0, 86_399))
        active = role != Role.EMPLOYEE or rng.random() > INACTIVE_SHARE
        sink.add(
            (
                user_id,
                f"{first}.{last}.{user_id}@example.com".lower(),
                f"{first} {last}",
                role.value,
                w.flag(active),
                password_hash,
                w.stamp(joined + timedelta(days=1)),
                w.stamp(joined),
            )
        )
        by_role[role].append(user_id)
    sink.close()


def _teams(world: World, count: int) -> None:
    w, rng, now = world.writer, world.rng, world.now
    teams = w.sink(TeamModel.__table__, ("id", "name", "description", "created_at"))
    memberships = w.sink(
        Membership.__table__, ("id", "team_id", "user_id", "position", "created_at")
    )
    employees = list(world.employees)
    rng.shuffle(employees)
    sizes = spread(len(employees), [rng.uniform(7, 15) for _ in range(count)])
    membership_id, start = 0, 0
    for index in range(count):
        w.checkpoint()
        team = Team(index + 1, [world.managers[index]])
        if index % 10 == 9:
            team.managers.append(world.managers[index - 1])
        team.members = sorted(employees[start : start + sizes[index]])
        start += sizes[index]
        area = TEAM_AREAS[index % len(TEAM_AREAS)]
        formed = now - timedelta(days=rng.randint(380, 900))
        teams.add(
            (team.id, f"{area} {index // len(TEAM_AREAS) + 1}", f"{area} team", w.stamp(formed))
        )
        for position, people in (
            (Position.MANAGER, team.managers),
            (Position.MEMBER, team.members),
        ):
            for user_id in people:
                membership_id += 1
                joined = w.stamp(formed + timedelta(days=rng.randint(0, 360)))
                memberships.add((membership_id, team.id, user_id, position.value, joined))
        for member in team.members:
            world.team_of[member] = team
        world.teams.append(team)
    teams.close()
    memberships.close()
