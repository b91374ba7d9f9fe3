"""Coaching: a year of sessions per employee, held by their team's manager about once a
month, with skill ratings that drift upwards, action items (earlier ones mostly done,
the latest open and sometimes overdue), a linked training attempt now and then, and
the first-save revision every session has. The latest session is often still waiting
for the employee's acknowledgement; some people have not been coached for months."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bench.generate import World, spread
from bench.texts import ACTIONS, COMMENTS, MANAGER_ACTIONS, NOTES
from coachkit.calibration.models import CalibrationRating, CalibrationRound, CalibrationSeat
from coachkit.coaching.models import (
    ActionItem,
    CoachingSession,
    CoachSkillTotal,
    Evidence,
    Owner,
    Rating,
    Revision,
)
from coachkit.config import COACHING_KINDS

CORE_SKILLS = ("active-listening", "fix-the-customer-first")
SESSION_FIELDS = ("id", "employee_id", "coach_id", "held_on", "kind", "went_well", "to_improve")
SESSION_FIELDS += ("goal", "reality", "options", "way_forward", "private_fields")
SESSION_FIELDS += ("next_session_on", "acknowledged_at", "employee_comment", "submission_key")
SESSION_FIELDS += ("version", "created_at", "updated_at")


class Sinks:
    def __init__(self, world: World) -> None:
        w = world.writer
        self.sessions = w.sink(CoachingSession.__table__, SESSION_FIELDS)
        self.ratings = w.sink(
            Rating.__table__,
            ("id", "session_id", "employee_id", "held_on", "coach_id", "skill")
            + ("rating", "private"),
        )
        self.actions = w.sink(
            ActionItem.__table__,
            ("id", "session_id", "employee_id", "text", "owner", "due_on")
            + ("private", "done_at", "created_at"),
        )
        self.evidence = w.sink(Evidence.__table__, ("id", "session_id", "attempt_id"))
        self.revisions = w.sink(
            Revision.__table__, ("id", "session_id", "editor_id", "saved_at", "version", "changes")
        )
        self.ids = {"session": 0, "rating": 0, "action": 0, "evidence": 0}
        # The coaches' rollup (COACH_SKILL_TOTALS), from the same ratings as written.
        self.totals: dict[tuple[int, str], list[int]] = {}
        self._totals = w.sink(
            CoachSkillTotal.__table__, ("coach_id", "skill", "ratings", "total", "squares")
        )

    def rated(self, coach: int, skill: str, rating: int) -> None:
        total = self.totals.setdefault((coach, skill), [0, 0, 0])
        total[0], total[1], total[2] = total[0] + 1, total[1] + rating, total[2] + rating**2

    def next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def close(self) -> None:
        for (coach, skill), (count, total, squares) in sorted(self.totals.items()):
            self._totals.add((coach, skill, count, total, squares))
        sinks = (self.sessions, self.ratings, self.actions, self.evidence, self.revisions)
        for sink in (*sinks, self._totals):
            sink.close()


def generate(world: World) -> None:
    rng = world.rng
    employees = world.employees
    counts = spread(world.size.sessions, [rng.uniform(0.5, 1.5) for _ in employees])
    skills = [s for s in world.library.skills if s not in CORE_SKILLS]
    sinks = Sinks(world)
    today = world.now.date()
    for employee, count in zip(employees, counts, strict=True):
        world.writer.checkpoint()
        if count == 0:
            continue
        coach = world.team_of[employee].managers[0]
        # Most are coached up to last month; some stopped months ago.
        last = rng.randint(3, 40) if rng.random() > 0.1 else rng.randint(60, 150)
        gap = (365 - last) / count
        level = rng.uniform(1.5, 3.5)
        for index in range(count):
            days_ago = last + gap * (count - 1 - index) + rng.uniform(0, gap / 3)
            held_on = today - timedelta(days=int(days_ago))
            context = (employee, coach, held_on, index == count - 1, level + index / count)
            _session(world, sinks, context, rng.sample(skills, rng.randint(0, 2)))
    sinks.close()
    _calibration(world)


def _calibration(world: World) -> None:
    """One handed-in calibration round, set up by an admin on the latest completed
    attempt of a member of the largest team with two managers, rated by those managers
    on every skill of its module (no random draws: the data after it stays the same)."""
    w = world.writer
    team = max((t for t in world.teams if len(t.managers) > 1), key=lambda t: len(t.members))
    learner = next(m for m in reversed(team.members) if m in world.completed)
    attempt_id, slug = world.completed[learner]
    skills = list(world.library.modules[slug].skills)
    created = world.now - timedelta(days=10)
    sink = w.sink(
        CalibrationRound.__table__,
        ("id", "title", "attempt_id", "module_slug", "skills", "created_by_id")
        + ("created_at", "closed_at"),
    )
    closed = w.stamp(created + timedelta(days=7))
    title = "Calibration: a practice call"
    sink.add(
        (1, title, attempt_id, slug, w.json(skills), world.admins[0], w.stamp(created), closed)
    )
    sink.close()
    seats = w.sink(CalibrationSeat.__table__, ("id", "round_id", "user_id", "submitted_at", "note"))
    ratings = w.sink(CalibrationRating.__table__, ("id", "seat_id", "skill", "rating"))
    rating_id = 0
    for seat_id, manager in enumerate(team.managers, start=1):
        submitted = w.stamp(created + timedelta(days=seat_id))
        seats.add((seat_id, 1, manager, submitted, "Rated from the transcript."))
        for index, skill in enumerate(skills):
            rating_id += 1
            ratings.add((rating_id, seat_id, skill, 2 + (index + seat_id) % 3))
    seats.close()
    ratings.close()


def _session(world: World, sinks: Sinks, context: tuple, extra_skills: list[str]) -> None:
    w, rng = world.writer, world.rng
    employee, coach, held_on, latest, level = context
    session_id = sinks.next("session")
    saved = datetime.combine(held_on, time(15, 0), tzinfo=UTC).replace(tzinfo=None)
    private = ["reality"] if rng.random() < 0.7 else []
    if rng.random() < 0.1:
        private.append("ratings")
    acknowledged = None if latest and rng.random() < 0.6 else saved + timedelta(days=1)
    notes = tuple(rng.choice(NOTES[key]) for key in NOTES)
    sinks.sessions.add(
        (session_id, employee, coach, w.day(held_on), rng.choice(COACHING_KINDS), *notes)
        + (w.json(private), w.day(held_on + timedelta(days=28)) if latest else None)
        + (
            w.stamp(acknowledged) if acknowledged else None,
            rng.choice(COMMENTS) if acknowledged else "",
            None,
        )
        + (1, w.stamp(saved), w.stamp(saved))
    )
    for skill in (*CORE_SKILLS, *extra_skills):
        rating = max(1, min(5, round(level + rng.uniform(-1, 1))))
        sinks.ratings.add(
            (sinks.next("rating"), session_id, employee, w.day(held_on), coach, skill, rating)
            + (w.flag("ratings" in private),)
        )
        sinks.rated(coach, skill, rating)
    _actions(world, sinks, session_id, employee, held_on, saved)
    if rng.random() < 0.3:
        _link_attempt(world, sinks, session_id, employee, held_on)
    sinks.revisions.add((session_id, session_id, coach, w.stamp(saved), 1, w.json([])))


def _actions(
    world: World, sinks: Sinks, session_id: int, employee: int, held_on: date, saved: datetime
) -> None:
    w, rng, today = world.writer, world.rng, world.now.date()
    due = held_on + timedelta(days=14)
    done = saved + timedelta(days=10) if due < today - timedelta(days=20) else None
    if done and rng.random() < 0.1:
        done = None  # forgotten: shows as overdue
    rows = [(rng.choice(ACTIONS), Owner.EMPLOYEE, due, False, done)]
    if rng.random() < 0.3:
        rows.append((rng.choice(MANAGER_ACTIONS), Owner.MANAGER, None, True, done))
    for text, owner, due_on, private, done_at in rows:
        sinks.actions.add(
            (sinks.next("action"), session_id, employee, text, owner.value)
            + (w.day(due_on) if due_on else None, w.flag(private))
            + (w.stamp(done_at) if done_at else None, w.stamp(saved))
        )


def _link_attempt(
    world: World, sinks: Sinks, session_id: int, employee: int, held_on: date
) -> None:
    """Point to one of the employee's attempts from before the session (attempts are
    spread over the same year, in id order)."""
    first, count = world.attempts.get(employee, (0, 0))
    elapsed = 1 - (world.now.date() - held_on).days / 365
    index = int(elapsed * count) - 1
    if count and index >= 0:
        sinks.evidence.add((sinks.next("evidence"), session_id, first + index))
