"""Helpers for the candidates tests: the candidates an opening holds, as stored."""

from __future__ import annotations

import re

from sqlalchemy import select

from coachkit.extensions import db
from coachkit.hiring.candidates.roster import CODE_DIGITS, CODE_LETTERS
from coachkit.hiring.models import Candidate

CODE = re.compile(rf"^[{CODE_LETTERS}]{{3}}-[{CODE_DIGITS}]{{3}}$")


def stored(app, opening_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Candidate.name, Candidate.email, Candidate.code)
                .where(Candidate.opening_id == opening_id)
                .order_by(Candidate.id)
            )
        ]
