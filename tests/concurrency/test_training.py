"""The training player under parallel writers: a step sent many times at once is one
answer, learners playing the same module at once keep their own answers and scores,
and starting a module twice at once opens one attempt."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.training import player
from coachkit.training.models import (
    Attempt,
    AttemptStatus,
    AttemptStep,
    ModuleVersion,
    SkillScore,
    SkillTotal,
)
from tests.concurrency.conftest import WRITERS, post, race, same_browser
from tests.conftest import page, signed_in

SLUG = "charged-twice"
REFLECTION = "She needed the rent covered, not a refund."
Pick = int | str  # a choice's index, or a reflection's text


def start(client: FlaskClient) -> int:
    response = client.post(f"/training/{SLUG}/start")
    assert response.status_code == 302
    return attempt_in(response.headers["Location"])


def attempt_in(location: str) -> int:
    return int(re.search(r"/training/attempts/(\d+)", location).group(1))


def next_step(client: FlaskClient, attempt_id: int, choice: int) -> dict[str, str] | None:
    """The form data answering the attempt's current step (None once it is finished):
    choice number `choice` (wrapped to the step's replies), or the reflection."""
    response = client.get(f"/training/attempts/{attempt_id}")
    if response.status_code == 302:
        return None  # completed: the player sends the learner to the results
    body = page(response)
    data = {
        "position": re.search(r'name="position" type="hidden" value="(\d+)"', body).group(1),
        "node": re.search(r'name="node" type="hidden" value="([^"]+)"', body).group(1),
    }
    choices = re.findall(r'<input[^>]*\bname="choice"', body)
    if choices:
        data["choice"] = str(choice % len(choices))
    else:
        data["reflection"] = REFLECTION
    return data


def pick_of(data: dict[str, str]) -> Pick:
    return int(data["choice"]) if "choice" in data else data["reflection"]


def replayed(played: Attempt, picks: list[Pick]) -> dict[str, Any]:
    """What the player makes of these answers played one after the other, undisturbed,
    on a fresh attempt like `played` (in a transaction that is rolled back)."""
    module = library().modules[SLUG]
    attempt = Attempt(
        user_id=played.user_id,
        module_slug=SLUG,
        module_version_id=played.module_version_id,
        status=AttemptStatus.IN_PROGRESS,
        current_node=module.start,
        flags=[],
        scores={},
        step_count=0,
    )
    with db.session.no_autoflush:
        for position, pick in enumerate(picks):
            choice, text = (pick, None) if isinstance(pick, int) else (None, pick)
            player.answer(attempt, module, position=position, choice=choice, reflection=text)
        expected = stored(attempt)
    db.session.rollback()
    return expected


def stored(attempt: Attempt) -> dict[str, Any]:
    return {
        "status": attempt.status,
        "ending": attempt.ending,
        "scores": attempt.scores,
        "flags": attempt.flags,
        "step_count": attempt.step_count,
        "picks": [
            step.choice_index if step.reflection is None else step.reflection
            for step in attempt.steps
        ],
    }


def attempt_state(app: Flask, attempt_id: int) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(the stored attempt, the player's replay of its answers, its skill-score rows)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        state = stored(attempt)
        expected = replayed(attempt, state["picks"])
        skill_rows = db.session.scalar(
            select(func.count()).select_from(SkillScore).where(SkillScore.attempt_id == attempt_id)
        )
        return state, expected, skill_rows


def totals_match_scores(app: Flask) -> bool:
    """The skill-totals rollup equals the sums of the skill scores, person by person."""
    with app.app_context():
        totals = db.session.execute(
            select(SkillTotal.user_id, SkillTotal.skill, SkillTotal.points, SkillTotal.attempts)
        ).all()
        sums = db.session.execute(
            select(
                SkillScore.user_id, SkillScore.skill, func.sum(SkillScore.points), func.count()
            ).group_by(SkillScore.user_id, SkillScore.skill)
        ).all()
    return sorted(map(tuple, totals)) == sorted(map(tuple, sums))


def skills_trained(app: Flask) -> int:
    with app.app_context():
        return len(library().modules[SLUG].skills)


def test_a_step_sent_many_times_at_once_is_one_answer(app, make_user):
    """A double (or eightfold) click on every step of a module records each step once,
    and the attempt ends exactly as if every answer had been sent once."""
    person = make_user(Role.EMPLOYEE)
    browser = signed_in(app, person)
    attempt_id = start(browser)
    clients = same_browser(app, browser, WRITERS)
    sent: list[Pick] = []
    while (data := next_step(browser, attempt_id, choice=0)) is not None:
        path = f"/training/attempts/{attempt_id}"
        replies = race([post(client, path, data) for client in clients])
        assert {r.status for r in replies} == {302}, [r.status for r in replies]
        sent.append(pick_of(data))
    state, expected, skill_rows = attempt_state(app, attempt_id)
    assert state["picks"] == sent  # one step per position, in order, none lost
    assert state == expected
    assert state["status"] == AttemptStatus.COMPLETED
    assert skill_rows == skills_trained(app)
    assert totals_match_scores(app)  # completed once, counted once
    with app.app_context():
        positions = db.session.execute(
            select(AttemptStep.position, func.count())
            .where(AttemptStep.attempt_id == attempt_id)
            .group_by(AttemptStep.position)
        ).all()
    assert all(count == 1 for _, count in positions)


def test_learners_playing_one_module_at_once_keep_their_own_answers(app, make_user):
    """Learners start the same module at the same moment (its version is stored once)
    and answer step by step in lockstep, each taking a different path: every answer
    that was accepted is stored on the right attempt, and every attempt's scores are
    what its own answers earn."""
    clients = [signed_in(app, make_user(Role.EMPLOYEE)) for _ in range(WRITERS)]
    starts = race([post(client, f"/training/{SLUG}/start") for client in clients])
    attempts = [attempt_in(r.location) for r in starts]
    assert len(set(attempts)) == WRITERS
    sent: list[list[Pick]] = [[] for _ in clients]
    while True:
        forms = [
            next_step(client, attempt_id, choice=number)
            for number, (client, attempt_id) in enumerate(zip(clients, attempts, strict=True))
        ]
        playing = [number for number, data in enumerate(forms) if data is not None]
        if not playing:
            break
        replies = race(
            [post(clients[n], f"/training/attempts/{attempts[n]}", forms[n]) for n in playing]
        )
        for number, answer in zip(playing, replies, strict=True):
            assert answer.status == 302, answer.text
            sent[number].append(pick_of(forms[number]))
    for number, attempt_id in enumerate(attempts):
        state, expected, skill_rows = attempt_state(app, attempt_id)
        assert state["picks"] == sent[number]
        assert state == expected
        assert skill_rows == skills_trained(app)
    assert totals_match_scores(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModuleVersion)) == 1
        assert db.session.scalar(select(func.count()).select_from(AttemptStep)) == sum(
            len(picks) for picks in sent
        )


def test_starting_a_module_twice_at_once_opens_one_attempt(app, make_user):
    """Start resumes the unfinished attempt: a double click on Start must not leave two
    unfinished attempts of the same module."""
    browser = signed_in(app, make_user(Role.EMPLOYEE))
    clients = same_browser(app, browser, WRITERS)
    replies = race([post(client, f"/training/{SLUG}/start") for client in clients])
    assert {r.status for r in replies} == {302}
    assert len({attempt_in(r.location) for r in replies}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
