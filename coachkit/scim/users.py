"""Accounts as SCIM Users: read, created, replaced, patched and deleted by an identity
provider, each change audited in its transaction (the view commits).

`userName` is any unique string: an account made in coachkit answers to its e-mail
address until a provider links it (creating a user with its address or userName).
Deactivating an account (`active` false, or DELETE) signs the person out everywhere
and cancels their set-password links; a DELETE also takes the account out of SCIM (it
stays in coachkit, deactivated, with its records), and creating the same userName
again brings it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from email_validator import EmailNotValidError, validate_email
from scim2_models import InvalidValueException, Meta, UniquenessException
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from coachkit.auth import password_links, sessions
from coachkit.auth.forms import email_key
from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.scim import audit, payloads
from coachkit.scim.models import ScimToken
from coachkit.scim.resources import EmailAddress
from coachkit.scim.resources import User as ScimUser


def resource(user: User, base: str) -> ScimUser:
    return ScimUser(
        id=str(user.id),
        external_id=user.scim_external_id,
        user_name=user.scim_user_name or user.email,
        display_name=user.name,
        emails=[EmailAddress(value=user.email)],
        active=user.active,
        meta=Meta(
            resource_type="User", created=user.created_at, location=f"{base}/Users/{user.id}"
        ),
    )


def provisioned() -> Select[tuple[User]]:
    """The accounts SCIM sees: all but those a provider deleted."""
    return select(User).where(User.scim_deleted_at.is_(None))


def find(user_id: int) -> User | None:
    return db.session.scalar(provisioned().where(User.id == user_id))


def by_user_name(name: str) -> ColumnElement[bool]:
    """The condition for accounts answering to `name` (userName is not case-sensitive)."""
    lowered = name.lower()
    return or_(
        func.lower(User.scim_user_name) == lowered,
        and_(User.scim_user_name.is_(None), User.email == lowered),
    )


def create(payload: Any, token: ScimToken) -> User:
    """A new account (an employee) from a POST body; an account with the same e-mail
    address that no provider manages yet, or one a provider deleted with the same
    userName, is taken over instead."""
    wanted = payloads.resource(ScimUser, payload, replacing=False)
    name = wanted.user_name or ""
    email = _email(wanted)
    user = db.session.scalar(select(User).where(by_user_name(name)))
    if user is not None and user.scim_user_name is not None and user.scim_deleted_at is None:
        raise UniquenessException(detail=f"The userName {name} is taken.")
    if user is None:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.scim_user_name is not None:
            raise UniquenessException(detail=f"Another account uses {email}.")
    if user is None:
        user = User(email=email, name=wanted.display_name or name, role=Role.EMPLOYEE, active=True)
        db.session.add(user)
        db.session.flush()
        audit.record(token, "created", "User", user.id, f"{name}: new employee {email}")
    else:
        user.scim_deleted_at = None
        audit.record(token, "linked", "User", user.id, f"{name}: the account of {email}")
    write(user, wanted, token)
    return user


def remove(user: User, token: ScimToken) -> None:
    _set_active(user, False, token)
    user.scim_deleted_at = utcnow()
    audit.record(token, "deleted", "User", user.id, f"{user.email}: out of SCIM, deactivated")


def _email(wanted: ScimUser) -> str:
    addresses = [e.value for e in wanted.emails or [] if e.value]
    if not addresses:
        raise InvalidValueException(detail="coachkit needs an e-mail address (emails).")
    try:
        validate_email(str(addresses[0]), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidValueException(detail=f"emails: {error}") from None
    return email_key(str(addresses[0]))


def write(user: User, wanted: ScimUser, token: ScimToken) -> None:
    """Make `user` what `wanted` says, refusing a userName or e-mail address another
    account holds; every change is audited."""
    name, email = wanted.user_name or "", _email(wanted)
    clash = select(User.id).where(User.id != user.id)
    if len(name) > 255 or db.session.scalar(clash.where(by_user_name(name))) is not None:
        raise UniquenessException(detail=f"The userName {name[:255]} is taken.")
    if db.session.scalar(clash.where(User.email == email)) is not None:
        raise UniquenessException(detail=f"Another account uses {email}.")
    display = (wanted.display_name or name).strip()[:120] or email
    changes = _changes(
        user,
        scim_user_name=name,
        email=email,
        name=display,
        scim_external_id=(wanted.external_id or None) and str(wanted.external_id)[:255],
    )
    if changes:
        audit.record(token, "updated", "User", user.id, f"{user.email}: " + ", ".join(changes))
    if wanted.active is not None and wanted.active != user.active:
        _set_active(user, wanted.active, token)
    db.session.flush()


def _changes(user: User, **values: Any) -> list[str]:
    changed = []
    for attribute, value in values.items():
        if getattr(user, attribute) != value:
            setattr(user, attribute, value)
            changed.append(attribute.removeprefix("scim_"))
    return changed


def _set_active(user: User, active: bool, token: ScimToken) -> None:
    if user.active == active:
        return
    user.active = active
    if not active:
        sessions.end_sessions(user, keep_current=False)
        password_links.revoke_unused(user)
    what = "activated" if active else "deactivated and signed out everywhere"
    audit.record(
        token, "activated" if active else "deactivated", "User", user.id, f"{user.email}: {what}"
    )


def listed(
    condition: ColumnElement[bool] | None, start: int, count: int
) -> tuple[int, Sequence[User]]:
    """Accounts matching `condition`, a page of them from `start` (1-based), by id."""
    statement = provisioned()
    if condition is not None:
        statement = statement.where(condition)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = db.session.scalars(statement.order_by(User.id).offset(start - 1).limit(count)).all()
    return total, page
