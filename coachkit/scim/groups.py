"""Teams as SCIM Groups. A group is a team's members; a group whose name ends with
SCIM_MANAGER_GROUP_SUFFIX (" managers": "Care managers") is the managers of the team
named by the rest ("Care"). A team a group names that does not exist yet is created.

Members are set under the team rules: a member is an employee or a manager, a team
manager a manager or an admin; an employee put in a managers group becomes a manager.
Someone who manages a team stays its manager when also put in its members group. Each
change is audited in its transaction (the view commits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app
from scim2_models import InvalidValueException, Meta, UniquenessException
from sqlalchemy import ColumnElement, delete, func, select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.scim import audit, payloads, users
from coachkit.scim.models import ScimGroup, ScimToken
from coachkit.scim.resources import Group, Member
from coachkit.teams.models import ELIGIBLE_ROLES, Membership, Position, Team


def resource(group: ScimGroup, base: str) -> Group:
    member_ids = db.session.scalars(
        select(Membership.user_id)
        .where(Membership.team_id == group.team_id, Membership.position == group.position)
        .order_by(Membership.id)
    )
    return Group(
        id=str(group.id),
        external_id=group.external_id,
        display_name=group.display_name,
        members=[
            Member.model_validate(
                {"value": str(user_id), "$ref": f"{base}/Users/{user_id}", "type": "User"}
            )
            for user_id in member_ids
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}/Groups/{group.id}",
        ),
    )


def find(group_id: int) -> ScimGroup | None:
    return db.session.get(ScimGroup, group_id)


def placement(display_name: str) -> tuple[str, Position]:
    """The team a group's name stands for, and whether the group is its members or its
    managers."""
    suffix = current_app.config["SCIM_MANAGER_GROUP_SUFFIX"]
    if suffix and display_name.lower().endswith(suffix.lower()) and len(display_name) > len(suffix):
        return display_name[: -len(suffix)].strip(), Position.MANAGER
    return display_name.strip(), Position.MEMBER


def create(payload: Any, token: ScimToken) -> ScimGroup:
    wanted = payloads.resource(Group, payload, replacing=False)
    name = _unique_name(wanted.display_name or "", None)
    team_name, position = placement(name)
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == team_name.lower()))
    if team is None:
        team = Team(name=team_name)
        db.session.add(team)
        db.session.flush()
        audit.record(token, "created", "Team", team.id, f"team {team_name}")
    elif db.session.scalar(
        select(ScimGroup.id).where(ScimGroup.team_id == team.id, ScimGroup.position == position)
    ):
        raise UniquenessException(
            detail=f"Another group already holds the {position.value}s of {team.name}."
        )
    group = ScimGroup(display_name=name, team_id=team.id, position=position)
    db.session.add(group)
    db.session.flush()
    audit.record(
        token, "created", "Group", group.id, f"{name}: the {position.value}s of {team.name}"
    )
    write(group, wanted, token)
    return group


def remove(group: ScimGroup, token: ScimToken) -> None:
    """The group goes, and with it its people's places in the team (the team stays)."""
    db.session.execute(
        delete(Membership).where(
            Membership.team_id == group.team_id, Membership.position == group.position
        )
    )
    audit.record(
        token, "deleted", "Group", group.id, f"{group.display_name}: its people left the team"
    )
    db.session.delete(group)


def _unique_name(name: str, group: ScimGroup | None) -> str:
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidValueException(detail="displayName must have 1 to 120 characters.")
    clash = select(ScimGroup.id).where(func.lower(ScimGroup.display_name) == name.lower())
    if group is not None:
        clash = clash.where(ScimGroup.id != group.id)
    if db.session.scalar(clash) is not None:
        raise UniquenessException(detail=f"There is already a group called {name}.")
    return name


def write(group: ScimGroup, wanted: Group, token: ScimToken) -> None:
    name = _unique_name(wanted.display_name or "", group)
    if name != group.display_name:
        _rename(group, name, token)
    external_id = str(wanted.external_id)[:255] if wanted.external_id else None
    if external_id != group.external_id:
        group.external_id = external_id
    _set_members(group, [member.value or "" for member in wanted.members or []], token)
    db.session.flush()


def _rename(group: ScimGroup, name: str, token: ScimToken) -> None:
    """A members group's new name renames its team; a managers group keeps its team."""
    old, group.display_name = group.display_name, name
    if group.position is Position.MEMBER:
        team = group.team
        clash = select(Team.id).where(func.lower(Team.name) == name.lower(), Team.id != team.id)
        if db.session.scalar(clash) is not None:
            raise UniquenessException(detail=f"Another team is called {name}.")
        team.name = name
    audit.record(token, "renamed", "Group", group.id, f"{old} → {name}")


def _set_members(group: ScimGroup, values: Sequence[str], token: ScimToken) -> None:
    wanted = _people(values)
    places = {
        membership.user_id: membership
        for membership in db.session.scalars(
            select(Membership).where(Membership.team_id == group.team_id)
        )
    }
    for user_id, membership in places.items():
        if membership.position is group.position and user_id not in wanted:
            db.session.delete(membership)
            audit.record(
                token, "left", "Group", group.id, f"user {user_id} left {group.display_name}"
            )
    for user in wanted.values():
        held = places.get(user.id)
        if held is not None and (
            held.position is group.position or held.position is Position.MANAGER
        ):
            continue
        _eligible(user, group.position, token)
        if held is None:
            db.session.add(
                Membership(team_id=group.team_id, user_id=user.id, position=group.position)
            )
        else:
            held.position = group.position
        audit.record(
            token, "joined", "Group", group.id, f"{user.email} joined {group.display_name}"
        )


def _people(values: Sequence[str]) -> dict[int, User]:
    ids = []
    for value in values:
        if not value.isdigit() or len(value) > 9:
            raise InvalidValueException(detail=f"No user has the id {value[:40]}.")
        ids.append(int(value))
    found = {
        user.id: user for user in db.session.scalars(users.provisioned().where(User.id.in_(ids)))
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidValueException(detail=f"No user has the id {', '.join(missing[:5])}.")
    return {user_id: found[user_id] for user_id in dict.fromkeys(ids)}


def _eligible(user: User, position: Position, token: ScimToken) -> None:
    if user.role in ELIGIBLE_ROLES[position]:
        return
    if position is Position.MANAGER and user.role is Role.EMPLOYEE:
        user.role = Role.MANAGER
        audit.record(token, "updated", "User", user.id, f"{user.email}: role employee → manager")
        return
    allowed = " or ".join(role.value for role in ELIGIBLE_ROLES[position])
    raise InvalidValueException(
        detail=f"{user.email} is {user.role.value}: a team {position.value} must be {allowed}."
    )


def listed(
    condition: ColumnElement[bool] | None, start: int, count: int
) -> tuple[int, Sequence[ScimGroup]]:
    statement = select(ScimGroup)
    if condition is not None:
        statement = statement.where(condition)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = db.session.scalars(statement.order_by(ScimGroup.id).offset(start - 1).limit(count)).all()
    return total, page
