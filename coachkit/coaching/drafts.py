"""Drafts of a new session: the form's fields as typed, kept per author and employee
until the session is saved. Read only by their author; nothing else reads the table."""

from __future__ import annotations

import re
from uuid import uuid4

from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from coachkit.coaching.forms import MAX_NOTE, SessionForm
from coachkit.coaching.models import Draft

__all__ = ["Draft", "DraftTooLarge", "as_formdata", "discard", "find", "save"]
from coachkit.database import utcnow
from coachkit.extensions import db

# A field of the session form: a top-level name, or a row's ("ratings-3-rating").
FIELD_NAME = re.compile(r"^(?P<name>[a-z_]+)(-\d{1,2}-[a-z_]+)?$")
NOT_KEPT = {"csrf_token", "submission", "version"}
MAX_VALUES = 300
KEPT = frozenset(
    name
    for name in dir(SessionForm)
    if isinstance(getattr(SessionForm, name), UnboundField) and name not in NOT_KEPT
)


class DraftTooLarge(ValueError):
    """More, or longer, fields than the session form can hold."""


def fields_of(posted: MultiDict[str, str]) -> dict[str, list[str]]:
    """The session form's own fields from a post; refuses what no form could hold."""
    kept = {
        key: posted.getlist(key)
        for key in posted
        if (match := FIELD_NAME.match(key)) and match["name"] in KEPT
    }
    values = [value for value_list in kept.values() for value in value_list]
    if len(values) > MAX_VALUES or any(len(value) > MAX_NOTE for value in values):
        raise DraftTooLarge("a draft holds the session form's fields, each at most 5000 characters")
    return kept


def find(author_id: int, employee_id: int) -> Draft | None:
    return db.session.scalar(
        select(Draft).where(Draft.author_id == author_id, Draft.employee_id == employee_id)
    )


def save(author_id: int, employee_id: int, posted: MultiDict[str, str]) -> Draft:
    """Keep the posted form as the author's draft for this employee (replacing theirs)."""
    fields = fields_of(posted)
    draft = find(author_id, employee_id)
    if draft is None:
        draft = Draft(author_id=author_id, employee_id=employee_id)
        db.session.add(draft)
    draft.fields, draft.updated_at = fields, utcnow()
    db.session.flush()
    return draft


def discard(author_id: int, employee_id: int) -> None:
    db.session.execute(
        delete(Draft).where(Draft.author_id == author_id, Draft.employee_id == employee_id)
    )


def as_formdata(draft: Draft, submission: str) -> MultiDict[str, str]:
    """The draft as a posted form, with a fresh one-time key for the new form."""
    data: MultiDict[str, str] = MultiDict()
    for key, values in draft.fields.items():
        for value in values:
            data.add(key, value)
    data["submission"] = submission
    return data


def new_session_form(
    author_id: int, employee_id: int, method: str
) -> tuple[SessionForm, Draft | None]:
    """The new-session form: as posted; else the author's draft of it, if any; else
    blank, dated today. Each shown form carries a fresh one-time submission key."""
    if method == "POST":
        return SessionForm(), None
    draft = find(author_id, employee_id)
    if draft is not None:
        return SessionForm(formdata=as_formdata(draft, uuid4().hex)), draft
    return SessionForm(data={"held_on": utcnow().date(), "submission": uuid4().hex}), None
