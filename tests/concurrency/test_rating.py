"""Raters scoring at the same moment: every rater's scores count once, a form sent
twice (or from two tabs) leaves one score per skill, and the candidate's results match
the stored scores once everyone is done."""

from __future__ import annotations

from statistics import fmean
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.models import Candidate, CandidateStatus, RaterScore, SkillResult
from tests.concurrency.conftest import WRITERS, post, race, same_browser
from tests.conftest import signed_in
from tests.hiring.conftest import OPEN_ITEM

SKILLS = ("active-listening", "ownership", "candid-communication")


def rate_url(opening_id: int, candidate_id: int) -> str:
    return f"/hiring/rating/openings/{opening_id}/candidates/{candidate_id}/items/{OPEN_ITEM}"


def ratings_of(number: int, candidate: int) -> dict[str, int]:
    """A different set of ratings for every rater and candidate."""
    return {skill: 1 + (number + candidate + i) % 5 for i, skill in enumerate(SKILLS)}


def form(ratings: dict[str, int]) -> dict[str, str]:
    return {f"rate-{skill}": str(rating) for skill, rating in ratings.items()}


def stored_scores(app: Flask, candidate_id: int) -> list[tuple[int, str, int]]:
    with app.app_context():
        return sorted(
            db.session.execute(
                select(RaterScore.rater_id, RaterScore.skill, RaterScore.rating).where(
                    RaterScore.candidate_id == candidate_id
                )
            ).all()
        )


def results_now_and_recomputed(app: Flask, candidate_id: int) -> tuple[dict[str, Any], ...]:
    """The candidate's stored results, and the same recomputed from the stored answers
    and scores (in a transaction that is rolled back)."""
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        skills = dict(
            db.session.execute(
                select(SkillResult.skill, SkillResult.score).where(
                    SkillResult.candidate_id == candidate_id
                )
            ).all()
        )
        now = {"skills": skills, "overall": candidate.overall, "status": candidate.status}
        now["fully_rated"] = candidate.fully_rated
        fresh = results.refresh(candidate, versions.exercise_of(candidate.opening))
        again = {"skills": fresh, "overall": candidate.overall, "status": candidate.status}
        again["fully_rated"] = candidate.fully_rated
        db.session.rollback()
        return now, again


def test_raters_scoring_at_once_each_count_once(
    app, make_user, make_opening, make_candidate, submitted
):
    """Raters score two candidates' answers at the same moment, and one of them sends
    the same form twice: one score per rater, candidate and skill, exactly as sent, and
    results that agree with those scores."""
    opening_id = make_opening(raters_required=WRITERS // 2)
    candidates = [make_candidate(opening_id) for _ in range(2)]
    for candidate_id in candidates:
        submitted(candidate_id)
    raters = [make_user(Role.RECRUITER) for _ in range(WRITERS)]
    browsers = [signed_in(app, rater) for rater in raters]
    writes = []
    for number, browser in enumerate(browsers):
        tabs = same_browser(app, browser, 3 if number == 0 else 2)  # rater 0 double-clicks
        for tab, candidate in zip(tabs, [0, 1, 0], strict=False):
            url = rate_url(opening_id, candidates[candidate])
            writes.append(post(tab, url, form(ratings_of(number, candidate))))
    replies = race(writes)
    assert {r.status for r in replies} == {302}, [r.status for r in replies]
    for candidate, candidate_id in enumerate(candidates):
        expected = sorted(
            (rater.id, skill, rating)
            for number, rater in enumerate(raters)
            for skill, rating in ratings_of(number, candidate).items()
        )
        assert stored_scores(app, candidate_id) == expected
        now, recomputed = results_now_and_recomputed(app, candidate_id)
        assert now["skills"] == pytest.approx(recomputed["skills"])
        assert now["overall"] == pytest.approx(fmean(now["skills"].values()))
        assert now == {**recomputed, "skills": now["skills"], "overall": now["overall"]}
        assert now["status"] == CandidateStatus.SCORED and now["fully_rated"]


def test_one_rater_changing_their_mind_in_two_tabs_keeps_one_whole_form(
    app, make_user, make_opening, make_candidate, submitted
):
    """Two tabs send different scores for the same answer at once: one score per
    skill, and all of them from one of the two forms, never a mix."""
    opening_id = make_opening(raters_required=1)
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    rater = make_user(Role.RECRUITER)
    tabs = same_browser(app, signed_in(app, rater), WRITERS)
    forms = [ratings_of(number, 0) for number in range(WRITERS)]
    url = rate_url(opening_id, candidate_id)
    replies = race([post(tab, url, form(f)) for tab, f in zip(tabs, forms, strict=True)])
    assert {r.status for r in replies} == {302}
    stored = stored_scores(app, candidate_id)
    assert len(stored) == len(SKILLS)
    assert {skill: rating for _, skill, rating in stored} in forms
    now, recomputed = results_now_and_recomputed(app, candidate_id)
    assert now["skills"] == pytest.approx(recomputed["skills"])
    assert now["status"] == CandidateStatus.SCORED
