"""Demo hiring: an opening with candidates at every stage, answers, two raters' scores,
decisions, self-identification and a hand-over, so the comparison and the statistics
show something on first run.

Candidates' answers follow a hidden ability (better candidates pick better responses
more often), and the two raters score written replies close to, but not exactly at,
each reply's intended quality, so agreement is high without being perfect.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.content.exercises import Exercise, Item, score_best_worst, score_ratings
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, results, versions
from coachkit.hiring.candidates.roster import codes_in_use, new_code
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    Handover,
    Opening,
    RaterScore,
    SelfIdentification,
    SkillResult,
)
from coachkit.teams.models import Team

OPENING = "Customer care adviser"
EXERCISE = "an-afternoon-on-the-help-line"
SECOND_OPENING = "Weekend sales assistant"
SECOND_EXERCISE = "saturday-on-the-shop-floor"
TRY_IT = "Jamie Ortiz"  # the demo candidate whose fresh link `flask demo` prints


@dataclass(frozen=True)
class Reply:
    text: str
    quality: dict[str, int]  # the rubric rating each skill deserves


# Written replies to "evenings-keep-dropping", strongest first. "{first}" is the
# candidate's first name: raters see it blanked out.
REPLIES = (
    Reply(
        "Three drop-outs in a month is not good enough, and I'm sorry, especially with "
        "your daughter revising every evening before her exams. The test I've just run "
        "found a fault on the line to your house, so it's on our side. I've booked an "
        "engineer for Thursday morning, the first visit we have, and added £30 to your "
        "account. It may still drop before then, so if it does, your phone's hotspot "
        "will keep her revision going. I'll check in with you on Friday to make sure it "
        "is fixed. Six years matters to us, and I'd like to earn the next six.",
        {"active-listening": 5, "ownership": 5, "candid-communication": 4},
    ),
    Reply(
        "I completely understand how worrying this is with exams coming up. The test I "
        "ran shows a fault on your line, so it isn't your equipment. An engineer can "
        "come on Thursday: I'll book the earliest slot if that suits you, and I've put "
        "a £20 credit on your account. It might still drop before Thursday, so it could "
        "be worth saving revision material during the day. Thanks, {first}",
        {"active-listening": 4, "ownership": 4, "candid-communication": 5},
    ),
    Reply(
        "Sorry about this. I can see three drop-outs this month, all in the evening. "
        "Our line test shows a fault, so an engineer needs to fix it. The first visit is "
        "Thursday; shall I book it for you? I've also added a £15 credit. Good luck to "
        "your daughter with her exams.",
        {"active-listening": 3, "ownership": 4, "candid-communication": 4},
    ),
    Reply(
        "Don't worry, I've sorted it and it won't happen again! An engineer is coming on "
        "Thursday and I've added £30. We really value you after six years, so please "
        "don't leave.",
        {"active-listening": 3, "ownership": 4, "candid-communication": 1},
    ),
    Reply(
        "I'm sorry to hear about the problems with your connection. I have run a line "
        "test and there is a fault. An engineer can visit from Thursday, please let us "
        "know what time suits you best.",
        {"active-listening": 2, "ownership": 3, "candid-communication": 3},
    ),
    Reply(
        "Sorry for any inconvenience. Please restart your router and check that all the "
        "cables are connected. If the problem continues, please contact our technical "
        "team, who will be able to help you further.",
        {"active-listening": 1, "ownership": 1, "candid-communication": 2},
    ),
)


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    stage: str  # new, invited, started, submitted, rated-once, scored, or a decision
    ability: float = 0.5  # 0..1
    reply: int = 2  # index into REPLIES
    about: tuple[str | None, str | None, str | None] = (None, None, None)


CANDIDATES = (
    DemoCandidate(
        "Harriet Osei", "shortlisted", 0.95, 0, ("Woman", "Black, African or Caribbean", "Under 40")
    ),
    DemoCandidate("Tomasz Wojcik", "shortlisted", 0.85, 1, ("Man", "White", "40 or over")),
    DemoCandidate("Mei Lin Tan", "hired", 0.8, 1, ("Woman", "Asian or Asian British", "Under 40")),
    DemoCandidate("Callum Fraser", "rejected", 0.2, 5, ("Man", "White", "Under 40")),
    DemoCandidate(
        "Grace Adeyemi", "scored", 0.7, 2, ("Woman", "Black, African or Caribbean", "40 or over")
    ),
    DemoCandidate("Oliver Grant", "rejected", 0.3, 4, ("Man", "White", "40 or over")),
    DemoCandidate("Sofia Marin", "scored", 0.6, 3, ("Woman", "White", "Under 40")),
    DemoCandidate(
        "Ibrahim Khalil", "scored", 0.65, 2, ("Man", "Asian or Asian British", "Under 40")
    ),
    DemoCandidate("Ruth Bennett", "scored", 0.45, 4, ("Woman", "White", "40 or over")),
    DemoCandidate(
        "Kwame Mensah", "rated-once", 0.75, 1, ("Man", "Black, African or Caribbean", "Under 40")
    ),
    DemoCandidate("Leah Goldberg", "submitted", 0.55, 3, ("Prefer not to say", None, "Under 40")),
    DemoCandidate("Dev Sharma", "submitted", 0.4, 4),
    DemoCandidate("Nadia Petrova", "started", 0.6),
    DemoCandidate(TRY_IT, "invited"),
    DemoCandidate("Ben Whitaker", "new"),
    DemoCandidate("Amara Nwosu", "new"),
)
SECOND_CANDIDATES = (
    DemoCandidate("Lucy Evans", "invited"),
    DemoCandidate("Marco Bianchi", "new"),
    DemoCandidate("Zainab Hussain", "new"),
)
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
    if spec.stage == "hired" and team is not None:
        _handover(candidate, team, raters[0])
    db.session.flush()


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
