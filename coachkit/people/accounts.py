"""Adding people: one account, optionally placed on a team, under the team rules.

The people pages and the CSV import add people through here; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.teams import roster
from coachkit.teams.models import Position, Team

EMAIL_TAKEN = "Another account already uses this e-mail address."


class AccountError(ValueError):
    """A person who cannot be added as asked; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def email_taken(email: str, *, other_than: int | None = None) -> bool:
    statement = select(User.id).where(User.email == email)
    if other_than is not None:
        statement = statement.where(User.id != other_than)
    return db.session.scalar(statement) is not None


def add_person(
    *, email: str, name: str, role: Role, team: Team | None = None, position: Position
) -> User:
    """A new active account (no password yet), on `team` in `position` when given."""
    if email_taken(email):
        raise AccountError("email", EMAIL_TAKEN)
    user = User(email=email, name=name, role=role, active=True)
    if team is not None:
        try:
            roster.add(team, user, position)
        except roster.RosterError as error:
            raise AccountError("team", str(error)) from None
    db.session.add(user)
    db.session.flush()
    return user
