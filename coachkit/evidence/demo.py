"""Demo data that makes the evidence reports say something on first run: a year's
intake of help-line hires, handed over from the customer care opening (their candidate
records long since purged, as the retention rule does), with monthly coaching since
they started, a module most of them took part-way through (and some played twice),
and early practice.

Screening scores sit in the narrow range of people who were hired, and each hire's
later ratings follow their screening with noise, so the correlations are moderate and
the range-restriction correction has something to correct. Seeded: the same every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.coaching.models import CoachingSession, Rating, Revision
from coachkit.content.library import library
from coachkit.content.modules import Module
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Handover
from coachkit.teams.models import Team

TEAM = "Help Line"
TEAM_DESCRIPTION = "Last year's intake of phone advisers, hired through the care opening."
HIRES = (
    "Ama Mensah", "Ben Carter", "Chloe Dubois", "Dev Sharma", "Eva Lindqvist",
    "Felix Wagner", "Grace Kim", "Hugo Martins", "Isla Murphy", "Jonas Berg",
    "Kira Ivanova", "Leo Fischer", "Mina Haddad", "Nico Romano", "Olivia Grant",
    "Pablo Ortiz",
)  # fmt: skip
OPENING_TITLE = "Customer care adviser"
EXERCISE = "an-afternoon-on-the-help-line"
TRAINED = "boiler-on-a-cold-morning"  # taken part-way through by most hires
EARLY = "the-site-went-down"  # practised in the first weeks
RATED = ("active-listening", "empathy", "fix-the-customer-first", "ownership")
NOT_TRAINED = 5  # the last hires did not take TRAINED: the comparison group
RETRIED = 7  # the first hires played TRAINED twice

# Plays `picks` through a module as a person, dated `moment` (coachkit.demo's player).
Practise = Callable[[User, Module, tuple[int, ...], datetime], None]


def create(
    manager: User, hires: list[User], team: Team, recruiter: User, practise: Practise
) -> None:
    """Hand-overs, coaching and practice for `hires`, once (a second run adds nothing)."""
    exercise = library().exercises.get(EXERCISE)
    trained, early = library().modules.get(TRAINED), library().modules.get(EARLY)
    if exercise is None or trained is None or early is None or not hires:
        return
    if db.session.scalar(select(Handover.id).where(Handover.email == hires[0].email)):
        return
    rng = random.Random(20261206)  # noqa: S311 - demo data, not security
    today = utcnow().date()
    for index, hire in enumerate(hires):
        started = today - timedelta(days=420 - 9 * index)
        screening = {skill: round(rng.uniform(2.9, 4.7), 1) for skill in exercise.skills}
        _handover(hire, team, recruiter, screening, started)
        ability = {s: 0.6 + 0.75 * screening.get(s, 3.5) + rng.gauss(0, 0.35) for s in RATED}
        skill = min(0.95, max(0.1, (sum(screening.values()) / len(screening) - 2.9) / 1.8))
        practise(hire, early, _picks(early, skill, rng), _moment(started + timedelta(days=30)))
        completed = None
        if index < len(hires) - NOT_TRAINED:
            completed = today - timedelta(days=150 - 6 * index)
            practise(hire, trained, _picks(trained, skill * 0.6, rng), _moment(completed))
            if index < RETRIED:  # better the second time, having seen where it went
                again = _picks(trained, min(0.95, skill + 0.3), rng)
                practise(hire, trained, again, _moment(completed + timedelta(days=7)))
        _coaching(hire, manager, started, today, ability, completed, trained, rng)
    db.session.flush()


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=UTC)


def _picks(module: Module, skill: float, rng: random.Random) -> tuple[int, ...]:
    """A way through `module`: at each step the reply that scores most with a chance
    growing with `skill` (0-1), otherwise another."""
    picks: list[int] = []
    node = module.nodes[module.start]
    while node.kind != "end" and len(picks) < 50:
        if not node.choices:
            node = module.nodes[node.next]
            continue
        ranked = sorted(
            range(len(node.choices)),
            key=lambda i: -sum(change.delta for change in node.choices[i].scores),
        )
        index = ranked[0] if rng.random() < skill else rng.choice(ranked[1:] or ranked)
        picks.append(index)
        node = module.nodes[node.choices[index].target]
    return tuple(picks)


def _handover(
    hire: User, team: Team, recruiter: User, screening: dict[str, float], started: date
) -> None:
    db.session.add(
        Handover(
            team=team,
            candidate_id=None,  # purged after the retention period; the copy stays
            user_id=hire.id,
            name=hire.name,
            email=hire.email,
            opening_title=OPENING_TITLE,
            exercise_slug=EXERCISE,
            skills=screening,
            note="Good on the phone; wants to learn the billing system.",
            handed_over_by_id=recruiter.id,
            created_at=_moment(started),
        )
    )


def _coaching(
    hire: User,
    manager: User,
    started: date,
    today: date,
    ability: dict[str, float],
    completed: date | None,
    trained: Module,
    rng: random.Random,
) -> None:
    """A one-to-one about every four weeks since starting, long since acknowledged; a
    trained skill rates higher once the module is completed. Written as plain rows (as
    `coaching.record.create` writes them, without its notifications, which were read
    and cleared long ago)."""
    held_on = started + timedelta(days=14)
    while held_on < today - timedelta(days=7):
        moment = _moment(held_on)
        session = CoachingSession(
            employee_id=hire.id,
            coach_id=manager.id,
            held_on=held_on,
            kind="One-to-one",
            went_well="Calm with an upset caller; played the problem back before fixing it.",
            to_improve="Say what happens next and when, before ending the call.",
            goal="Every call ends with a clear next step.",
            way_forward="Listen to two of your own calls and mark the next step.",
            private_fields=[],
            created_at=moment,
            updated_at=moment,
            acknowledged_at=moment + timedelta(days=1),
        )
        for skill, level in ability.items():
            boost = 1.0 if completed and held_on >= completed and skill in trained.skills else 0
            rating = max(1, min(5, round(level + boost + rng.gauss(0, 0.4))))
            session.ratings.append(
                Rating(employee_id=hire.id, held_on=held_on, skill=skill, rating=rating)
            )
        db.session.add(session)
        db.session.flush()
        db.session.add(
            Revision(session_id=session.id, editor_id=manager.id, changes=[], saved_at=moment)
        )
        held_on += timedelta(days=28)
