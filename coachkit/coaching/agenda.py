"""The shared agenda of someone's next 1:1: talking points both sides add before it.

A point is open until a session marks it discussed, so what was not reached carries
over. Who sees an open point: the employee sees their own and every shared point of
their coaches; coaches see every point but the employee's private ones. So a coach's
private point is never shown to the employee, and the employee's private point never
to anyone else.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.orm import joinedload

from coachkit.coaching.models import AgendaPoint
from coachkit.extensions import db

MAX_POINT = 500


def _open(employee_id: int) -> Select[tuple[AgendaPoint]]:
    return (
        select(AgendaPoint)
        .where(AgendaPoint.employee_id == employee_id, AgendaPoint.discussed_in_id.is_(None))
        .options(joinedload(AgendaPoint.author))
        .order_by(AgendaPoint.id)
    )


def for_employee(employee_id: int) -> list[AgendaPoint]:
    """The open points the employee may see: their own, and their coaches' shared ones."""
    statement = _open(employee_id).where(
        or_(AgendaPoint.author_id == employee_id, AgendaPoint.private.is_(False))
    )
    return list(db.session.scalars(statement))


def for_coaches(employee_id: int) -> list[AgendaPoint]:
    """The open points a coach of the employee may see: all but the employee's private."""
    statement = _open(employee_id).where(
        ~and_(AgendaPoint.author_id == employee_id, AgendaPoint.private.is_(True))
    )
    return list(db.session.scalars(statement))


def add(employee_id: int, author_id: int, text: str, private: bool) -> AgendaPoint:
    point = AgendaPoint(
        employee_id=employee_id, author_id=author_id, text=text.strip(), private=private
    )
    db.session.add(point)
    db.session.flush()
    return point


def mark_discussed(employee_id: int, point_ids: list[int], session_id: int) -> None:
    """Close the points a coach ticked in the session form: only open ones of this
    employee that coaches may see (an id from elsewhere changes nothing)."""
    if not point_ids:
        return
    db.session.execute(
        update(AgendaPoint)
        .where(
            AgendaPoint.id.in_(point_ids),
            AgendaPoint.employee_id == employee_id,
            AgendaPoint.discussed_in_id.is_(None),
            ~and_(AgendaPoint.author_id == employee_id, AgendaPoint.private.is_(True)),
        )
        .values(discussed_in_id=session_id)
    )
