"""A candidate's answers under parallel writes: autosaves racing "Save and continue" on
the same item and on different items, and a (double-clicked) hand-in racing autosaves.
Whatever a request reported as saved is stored, the last save of each item wins, there
is one row per item, and the results are computed from exactly the stored answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.models import Answer, Candidate, CandidateStatus, SkillResult
from tests.concurrency.conftest import WRITERS, Reply, race, reply
from tests.hiring.screening.test_screening import COUNT, OPEN, exercise_item, form_for

ROUNDS = 4


@pytest.fixture
def token(app, make_opening, make_candidate, invite) -> str:
    """An invite link whose candidate has started the exercise."""
    token = invite(make_candidate(make_opening()))
    assert app.test_client().post(f"/screening/{token}", data={"consent": "y"}).status_code == 302
    return token


def candidate_id(app: Flask, token: str) -> int:
    from coachkit.hiring import invitations

    with app.app_context():
        return invitations.find(token).candidate_id


def stored_answers(app: Flask, candidate: int) -> dict[str, dict[str, Any]]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.candidate_id == candidate))
        return {row.item_id: row.value for row in rows}


def value_of(position: int, form: dict[str, str]) -> dict[str, Any]:
    """The stored value a complete form for the item at `position` becomes."""
    item = exercise_item(position)
    if not item.keyed:
        return {"text": form["text"]}
    if item.answer == "best-worst":
        return {"best": int(form["best"]), "worst": int(form["worst"])}
    return {"ratings": [int(form[f"rating_{i}"]) for i in range(len(form))]}


def variant(position: int, round_: int, writer: int = 0) -> dict[str, str]:
    """A complete answer to the item at `position` that differs from round to round."""
    item = exercise_item(position)
    if not item.keyed:
        return form_for(item, text=f"Writer {writer}, draft {round_}: I will call you back.")
    return form_for(item, quality=float(round_ % 2))


def writer(
    client: FlaskClient, token: str, position: int, forms: list[dict[str, str]], autosave: bool
) -> Callable[[], list[Reply]]:
    """Save `forms` one after the other, by autosave or by "Save and continue"."""
    suffix = "/autosave" if autosave else ""
    path = f"/screening/{token}/items/{position}{suffix}"
    return lambda: [reply(client.post(path, data=form)) for form in forms]


def hand_in(client: FlaskClient, path: str) -> Callable[[], list[Reply]]:
    return lambda: [reply(client.post(path))]


def test_saves_of_one_answer_at_once_keep_the_last_of_them(app, token):
    """Autosaves and "Save and continue" of the same written answer from several tabs:
    one row, holding the final save of one of the writers (never an earlier one, so no
    save overtakes a later save of the same writer)."""
    forms = [[variant(OPEN, r, w) for r in range(ROUNDS)] for w in range(WRITERS)]
    replies = race(
        [
            writer(app.test_client(), token, OPEN, forms[w], autosave=w % 2 == 0)
            for w in range(WRITERS)
        ]
    )
    for w, sequence in enumerate(replies):
        assert [r.status for r in sequence] == [204 if w % 2 == 0 else 302] * ROUNDS
    stored = stored_answers(app, candidate_id(app, token))
    assert stored == {exercise_item(OPEN).id: stored[exercise_item(OPEN).id]}  # one item
    assert stored[exercise_item(OPEN).id] in [value_of(OPEN, f[-1]) for f in forms]


def test_saves_of_different_answers_at_once_are_all_kept(app, token):
    """Every item saved at the same moment from two tabs (one autosaving, one using
    "Save and continue"), each sending the same few drafts: every item is stored once,
    with its last draft."""
    positions = range(1, COUNT + 1)
    drafts = {position: [variant(position, r) for r in range(ROUNDS)] for position in positions}
    writers = [(position, autosave) for position in positions for autosave in (True, False)]
    replies = race(
        [
            writer(app.test_client(), token, position, drafts[position], autosave)
            for position, autosave in writers
        ]
    )
    for (_, autosave), sequence in zip(writers, replies, strict=True):
        assert [r.status for r in sequence] == [204 if autosave else 302] * ROUNDS
    stored = stored_answers(app, candidate_id(app, token))
    assert stored == {
        exercise_item(position).id: value_of(position, drafts[position][-1])
        for position in positions
    }


def test_hand_in_racing_autosaves_keeps_every_saved_answer_and_hands_in_once(app, token):
    """A double-clicked "Hand in" while autosaves of every item are still arriving: the
    attempt is handed in once; each autosave either saved (204, before the hand-in) or
    was refused (410, after it), never saved after the results were computed; and the
    results are the ones the stored answers give."""
    client = app.test_client()
    for position in range(1, COUNT + 1):
        response = client.post(f"/screening/{token}/items/{position}", data=variant(position, 0))
        assert response.status_code == 302
    forms = {p: [variant(p, r, p) for r in range(1, ROUNDS + 1)] for p in range(1, COUNT + 1)}
    savers = [writer(app.test_client(), token, p, forms[p], autosave=True) for p in forms]
    submit = f"/screening/{token}/submit"
    hand_ins = [hand_in(app.test_client(), submit) for _ in range(2)]
    replies = race(savers + hand_ins)
    assert [r[0].status for r in replies[len(savers) :]] == [302, 302]
    assert all(r[0].location.endswith(f"/screening/{token}/done") for r in replies[len(savers) :])
    candidate = candidate_id(app, token)
    stored = stored_answers(app, candidate)
    for position, sequence in zip(forms, replies, strict=False):
        statuses = [r.status for r in sequence]
        saved = statuses.count(204)
        assert statuses == [204] * saved + [410] * (ROUNDS - saved), statuses
        last = forms[position][saved - 1] if saved else variant(position, 0)
        assert stored[exercise_item(position).id] == value_of(position, last)
    with app.app_context():
        row = db.session.get(Candidate, candidate)
        assert row.status == CandidateStatus.SUBMITTED and row.submitted_at is not None
        assert db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.candidate_id == candidate)
        ) == len(forms)
        handed_in = dict(
            db.session.execute(
                select(SkillResult.skill, SkillResult.score).where(
                    SkillResult.candidate_id == candidate
                )
            ).all()
        )
        recomputed = results.refresh(row, versions.exercise_of(row.opening))
        db.session.rollback()
    assert handed_in and handed_in == pytest.approx(recomputed)
