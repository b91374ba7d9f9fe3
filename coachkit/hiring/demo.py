"""Demo hiring: an opening with candidates at every stage, answers, two raters' scores,
decisions, self-identification and a hand-over, so the comparison and the statistics
show something on first run (the candidates and their replies: `demo_candidates`).

Candidates' answers follow a hidden ability (better candidates pick better responses
more often), and the two raters score written replies close to, but not exactly at,
each reply's intended quality, so agreement is high without being perfect.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.content.exercises import Exercise, Item, score_best_worst, score_ratings
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, results, versions
from coachkit.hiring.candidates.roster import codes_in_use, new_code
from coachkit.hiring.demo_candidates import (
    CANDIDATES,
    REPLIES,
    SECOND_CANDIDATES,
    TRY_IT,
    DemoCandidate,
)
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateNote,
    CandidateStatus,
    Handover,
    Opening,
    RaterScore,
    SelfIdentification,
    SkillResult,
)
from coachkit.teams.models import Team

OPENING = "Customer care adviser"
# The reasons the demo's recruiter gave with each decision (shown in the notes).
DECISION_REASONS = {
    CandidateStatus.SHORTLISTED: "Strong written replies; took ownership of the fault.",
    CandidateStatus.REJECTED: "Written replies promised what the team cannot deliver.",
    CandidateStatus.HIRED: "Best overall; the interview confirmed the written replies.",
}
EXERCISE = "an-afternoon-on-the-help-line"
SECOND_OPENING = "Weekend sales assistant"
SECOND_EXERCISE = "saturday-on-the-shop-floor"


DECISIONS = {
    "hired": CandidateStatus.HIRED,
    "shortlisted": CandidateStatus.SHORTLISTED,
    "rejected": CandidateStatus.REJECTED,
}


def create(recruiters: list[User], team: Team | None) -> None:
    """Create the demo openings and their candidates, once."""
    exercise = library().exercises.get(EXERCISE)
    if exercise is None or not recruiters:
        return
    if db.session.scalar(select(Opening.id).where(Opening.title == OPENING)) is not None:
        return
    opening = _opening(OPENING, exercise, recruiters[0], team, time_limit=30)
    rng = random.Random(20261128)  # noqa: S311 - demo data, not security
    for number, spec in enumerate(CANDIDATES):
        _candidate(opening, exercise, spec, number, recruiters, rng, team)
    second = library().exercises.get(SECOND_EXERCISE)
    if second is not None:
        extra = _opening(SECOND_OPENING, second, recruiters[-1], None, time_limit=None)
        for number, spec in enumerate(SECOND_CANDIDATES):
            _candidate(extra, second, spec, number, recruiters, rng, None)


def try_it_token() -> str | None:
    """A fresh invite token for the demo candidate left for you to play (the old link
    stops working), or None once that candidate has handed in."""
    candidate = db.session.scalar(
        select(Candidate).join(Opening).where(Opening.title == OPENING, Candidate.name == TRY_IT)
    )
    if candidate is None or candidate.submitted_at is not None:
        return None
    return invitations.new_token(candidate)


def _opening(
    title: str, exercise: Exercise, contact: User, team: Team | None, time_limit: int | None
) -> Opening:
    opening = Opening(
        title=title,
        description="Phone and chat support for home broadband customers."
        if team
        else "Saturday and Sunday shifts on the shop floor.",
        team=team,
        time_limit_minutes=time_limit,
        invite_days=14,
        raters_required=2,
        contact_name=contact.name,
        contact_email=contact.email,
        created_by_id=contact.id,
    )
    versions.pin(opening, exercise)
    db.session.add(opening)
    db.session.flush()
    return opening


def _candidate(
    opening: Opening,
    exercise: Exercise,
    spec: DemoCandidate,
    number: int,
    raters: list[User],
    rng: random.Random,
    team: Team | None,
) -> None:
    email = spec.name.lower().replace(" ", ".") + "@candidates.example"
    days_ago = 20 - number
    candidate = Candidate(
        opening=opening,
        code=new_code(codes_in_use(opening.id)),
        name=spec.name,
        email=email,
        created_at=utcnow() - timedelta(days=days_ago + 2),
    )
    db.session.add(candidate)
    db.session.flush()
    if spec.stage == "new":
        return
    invitations.new_token(candidate)
    if spec.stage == "invited":
        return
    started = utcnow() - timedelta(days=days_ago, minutes=rng.randint(8, 14))
    if spec.stage == "started":  # answering right now, well within the time limit
        started = utcnow() - timedelta(minutes=6)
    if candidate.invitation is not None:  # sent the day before they started
        candidate.invitation.issued_at = started - timedelta(days=1)
        candidate.invitation.expires_at = started + timedelta(days=opening.invite_days - 1)
    candidate.consented_at = candidate.started_at = started
    if opening.time_limit_minutes:
        candidate.deadline_at = started + timedelta(minutes=opening.time_limit_minutes)
    candidate.status = CandidateStatus.STARTED
    items = exercise.items if spec.stage != "started" else exercise.items[:2]
    for item in items:
        _answer(candidate, item, spec, rng)
    candidate.last_position = len(items)
    if spec.stage == "started":
        db.session.flush()
        return
    candidate.submitted_at = started + timedelta(seconds=rng.randint(8 * 60, 14 * 60))
    candidate.seconds_taken = int((candidate.submitted_at - started).total_seconds())
    _saved_through(candidate, started)
    candidate.status = CandidateStatus.SUBMITTED
    if any(spec.about):
        sex, ethnicity, age = spec.about
        db.session.add(
            SelfIdentification(
                candidate_id=candidate.id,
                opening_id=opening.id,
                sex=sex,
                ethnicity=ethnicity,
                age_band=age,
            )
        )
    db.session.flush()
    rating_raters = {"submitted": [], "rated-once": raters[:1]}.get(spec.stage, raters)
    for rater in rating_raters:
        _rate(candidate, exercise, spec, rater, rng)
    results.refresh(candidate, exercise)
    if spec.stage in DECISIONS:
        candidate.status = DECISIONS[spec.stage]
        candidate.decided_at = candidate.submitted_at + timedelta(days=2)
        candidate.decision_reason = DECISION_REASONS[candidate.status]
        db.session.add(
            CandidateNote(
                candidate_id=candidate.id,
                author_id=raters[0].id,
                text=candidate.decision_reason,
                decision=candidate.status,
                created_at=candidate.decided_at,
            )
        )
    if spec.stage == "hired" and team is not None:
        _handover(candidate, team, raters[0])
    db.session.flush()


def _saved_through(candidate: Candidate, started: datetime) -> None:
    """Spread the answers' last saves over the attempt, in the exercise's order, as a
    candidate going from item to item leaves them (the time per item shows these)."""
    answers = db.session.scalars(
        select(Answer).where(Answer.candidate_id == candidate.id).order_by(Answer.id)
    ).all()
    seconds = candidate.seconds_taken or 0
    for at, answer in enumerate(answers, start=1):
        answer.updated_at = started + timedelta(seconds=seconds * at // (len(answers) or 1))


def _answer(candidate: Candidate, item: Item, spec: DemoCandidate, rng: random.Random) -> None:
    if not item.keyed:
        first = spec.name.split()[0]
        text = REPLIES[spec.reply].text.replace("{first}", first)
        db.session.add(Answer(candidate_id=candidate.id, item_id=item.id, value={"text": text}))
        return
    keys = [response.key for response in item.responses]
    order = sorted(range(len(keys)), key=lambda i: keys[i])  # worst .. best
    strong = rng.random() < spec.ability
    value: dict[str, object]
    if item.answer == "best-worst":
        best = order[-1] if strong else rng.choice(order[: len(order) - 1])
        worst = order[0] if rng.random() < spec.ability else rng.choice(order[1:3])
        if best == worst:
            worst = order[0] if best != order[0] else order[1]
        value, credit = {"best": best, "worst": worst}, score_best_worst(item, best, worst)
    else:
        spread = 0 if strong else 1 if spec.ability >= 0.5 else 3
        ratings = [max(1, min(5, key + rng.randint(-spread, spread))) for key in keys]
        value, credit = {"ratings": ratings}, score_ratings(item, ratings)
    db.session.add(Answer(candidate_id=candidate.id, item_id=item.id, value=value, credit=credit))


def _rate(
    candidate: Candidate,
    exercise: Exercise,
    spec: DemoCandidate,
    rater: User,
    rng: random.Random,
) -> None:
    for item in exercise.items:
        if item.keyed:
            continue
        for skill in item.rubric:
            deserved = REPLIES[spec.reply].quality.get(skill, 3)
            nudge = rng.choice((0, 0, 0, 1, -1))
            db.session.add(
                RaterScore(
                    candidate_id=candidate.id,
                    opening_id=candidate.opening_id,
                    item_id=item.id,
                    skill=skill,
                    rater_id=rater.id,
                    rating=max(1, min(5, deserved + nudge)),
                )
            )
    db.session.flush()


def _handover(candidate: Candidate, team: Team, recruiter: User) -> None:
    db.session.add(
        Handover(
            team=team,
            candidate_id=candidate.id,
            name=candidate.name,
            email=candidate.email,
            opening_title=candidate.opening.title,
            exercise_slug=candidate.opening.exercise_slug,
            skills={
                result.skill: round(result.score, 2)
                for result in db.session.scalars(
                    select(SkillResult).where(SkillResult.candidate_id == candidate.id)
                )
            },
            note="Strong on listening; keen to learn our systems. Starts on the 1st.",
            handed_over_by_id=recruiter.id,
        )
    )
