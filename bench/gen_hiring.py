"""Hiring: openings screened with the library's exercises, a few large and many small,
whose candidates are at every stage, with their invite links, answers (better
candidates pick better responses), two raters' scores of written answers, skill
results and overall scores as `results.refresh` would store them, voluntary
self-identification and hand-overs of hires to the opening's team."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from statistics import fmean

from bench.generate import World, spread
from bench.texts import FIRST_NAMES, LAST_NAMES, OPENING_TITLES, REPLIES
from coachkit.content.exercises import Exercise, score_best_worst, score_ratings, skill_scores
from coachkit.hiring.candidates.roster import CODE_DIGITS, CODE_LETTERS
from coachkit.hiring.models import (
    ANSWERED,
    Answer,
    Candidate,
    CandidateStatus,
    ExerciseVersion,
    Handover,
    Invitation,
    Opening,
    RaterScore,
    SelfIdentification,
    SkillResult,
    StatusCount,
)
from coachkit.hiring.self_identification import CATEGORIES, PREFER_NOT

CANDIDATES_PER_OPENING = 200  # on average; sizes fall off like 1/rank
S = CandidateStatus
STATUS_SHARES = {
    S.NEW: 0.08,
    S.INVITED: 0.12,
    S.STARTED: 0.03,
    S.SUBMITTED: 0.10,
    S.SCORED: 0.31,
    S.SHORTLISTED: 0.10,
    S.REJECTED: 0.23,
    S.HIRED: 0.03,
}
RATERS_REQUIRED = 2
CANDIDATE_FIELDS = ("id", "opening_id", "code", "name", "email", "status", "consented_at")
CANDIDATE_FIELDS += ("started_at", "deadline_at", "submitted_at", "timed_out", "seconds_taken")
CANDIDATE_FIELDS += ("last_position", "overall", "fully_rated", "decided_at", "created_at")
CANDIDATE_FIELDS += ("last_activity_at",)


class Sinks:
    def __init__(self, world: World) -> None:
        w = world.writer
        self.candidates = w.sink(Candidate.__table__, CANDIDATE_FIELDS)
        self.invitations = w.sink(
            Invitation.__table__,
            ("id", "candidate_id", "token_hash", "expires_at", "revoked_at", "issued_at")
            + ("times_sent", "emailed"),
        )
        self.answers = w.sink(
            Answer.__table__,
            ("id", "candidate_id", "item_id", "value", "credit", "updated_at", "written")
            + ("raters",),
        )
        self.scores = w.sink(
            RaterScore.__table__,
            ("id", "candidate_id", "opening_id", "item_id", "skill", "rater_id", "rating")
            + ("created_at", "updated_at"),
        )
        self.results = w.sink(SkillResult.__table__, ("candidate_id", "skill", "score"))
        self.about = w.sink(
            SelfIdentification.__table__,
            ("id", "candidate_id", "opening_id", "sex", "ethnicity", "age_band", "created_at"),
        )
        self.handovers = w.sink(
            Handover.__table__,
            ("id", "team_id", "candidate_id", "user_id", "name", "email", "opening_title")
            + ("exercise_slug", "skills", "note", "handed_over_by_id", "created_at"),
        )
        self.ids = {"answer": 0, "score": 0, "about": 0, "handover": 0}
        # Candidates per (opening, status), as `models.STATUS_COUNTS` keeps them.
        self.status_counts: Counter[tuple[int, str]] = Counter()

    def next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def close(self) -> None:
        for name in ("candidates", "invitations", "answers", "scores", "results", "about"):
            getattr(self, name).close()
        self.handovers.close()


def generate(world: World) -> None:
    w, rng = world.writer, world.rng
    exercises = list(world.library.exercises.values())
    versions = w.sink(
        ExerciseVersion.__table__, ("id", "slug", "version", "title", "source", "created_at")
    )
    for number, exercise in enumerate(exercises, start=1):
        source = exercise.path.read_text(encoding="utf-8")
        created = w.stamp(world.now - timedelta(days=400))
        versions.add((number, exercise.slug, exercise.version, exercise.title, source, created))
    versions.close()
    count = max(5, world.size.candidates // CANDIDATES_PER_OPENING)
    sizes = spread(world.size.candidates, [1 / (rank + 1) ** 0.9 for rank in range(count)])
    openings = w.sink(
        Opening.__table__,
        ("id", "title", "description", "team_id", "exercise_slug", "exercise_version")
        + ("time_limit_minutes", "invite_days", "raters_required", "contact_name")
        + ("contact_email", "closed_at", "created_by_id", "created_at", "version"),
    )
    sinks = Sinks(world)
    candidate_id = 0
    for opening_id, size in enumerate(sizes, start=1):
        exercise = exercises[opening_id % len(exercises)]
        title = f"{OPENING_TITLES[opening_id % len(OPENING_TITLES)]} ({opening_id})"
        team = rng.choice(world.teams) if rng.random() < 0.7 else None
        created = world.now - timedelta(days=rng.randint(20, 330))
        closed = created + timedelta(days=90) if created < world.now - timedelta(days=120) else None
        limit = rng.choice((None, 30, 45))
        owner = rng.choice(world.recruiters)
        openings.add(
            (opening_id, title, "Phone, chat and e-mail support.", team.id if team else None)
            + (exercise.slug, exercise.version, limit, 14, RATERS_REQUIRED, "Hiring desk")
            + ("hiring@example.com", w.stamp(closed) if closed else None, owner)
            + (w.stamp(created), 1)
        )
        opening = (opening_id, title, exercise, team, created, limit)
        raters = rng.sample(world.recruiters, 3)
        for number in range(size):
            candidate_id += 1
            _candidate(world, sinks, opening, raters, candidate_id, number)
            w.checkpoint()
    openings.close()
    sinks.close()
    counts = w.sink(StatusCount.__table__, ("opening_id", "status", "candidates"))
    for (opening_id, status), count in sorted(sinks.status_counts.items()):
        counts.add((opening_id, status, count))
    counts.close()


def _code(opening_id: int, number: int) -> str:
    """A neutral code unique within the opening (a bijection of the candidate number)."""
    n = (number * 7919 + opening_id * 31) % 1_000_000
    letters, digits = divmod(n, 125)
    return (
        "".join(CODE_LETTERS[(letters // 20**i) % 20] for i in range(3))
        + "-"
        + "".join(CODE_DIGITS[(digits // 5**i) % 5] for i in range(3))
    )


def _candidate(
    world: World, sinks: Sinks, opening: tuple, raters: list[int], cid: int, number: int
) -> None:
    w, rng, now = world.writer, world.rng, world.now
    opening_id, title, exercise, team, opened, limit = opening
    status = rng.choices(list(STATUS_SHARES), weights=list(STATUS_SHARES.values()))[0]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name, email = f"{first} {last}", f"{first}.{last}.{cid}@candidates.example".lower()
    latest = now - timedelta(minutes=30)
    created = min(opened + timedelta(hours=rng.randint(1, 60 * 24)), latest - timedelta(days=2))
    times: dict[str, datetime | None] = dict.fromkeys(
        ("consented", "started", "deadline", "submitted", "decided")
    )
    issued = created + timedelta(hours=rng.randint(1, 48))
    if status == S.STARTED:  # answering right now
        times["started"] = times["consented"] = now - timedelta(minutes=rng.randint(1, 20))
        issued = min(issued, times["started"] - timedelta(hours=1))
    elif status != S.NEW and status != S.INVITED:
        started = min(issued + timedelta(hours=rng.randint(1, 72)), latest - timedelta(days=1))
        times["started"] = times["consented"] = started
    started = times["started"]
    if started and limit:
        times["deadline"] = started + timedelta(minutes=limit)
    if status != S.NEW:
        sinks.invitations.add(
            (cid, cid, hashlib.sha256(f"bench-invite-{cid}".encode()).hexdigest())
            + (w.stamp(issued + timedelta(days=14)), None, w.stamp(issued), 1, w.flag(True))
        )
    ability = rng.random()
    answered = status in ANSWERED
    items = exercise.items if answered else exercise.items[:2] if started else ()
    rated_by = []
    if answered:
        rated_by = raters[:2] if status != S.SUBMITTED else raters[: rng.randint(0, 1)]
    answering = (items, ability, started, len(rated_by))
    credits, reply = _answers(world, sinks, cid, exercise, answering)
    overall, fully_rated, seconds, timed_out = None, False, None, False
    if answered:
        seconds = rng.randint(8 * 60, 14 * 60)
        if limit and rng.random() < 0.03:
            seconds, timed_out = limit * 60, True
        times["submitted"] = started + timedelta(seconds=seconds)
        rated_at = times["submitted"] + timedelta(days=rng.randint(1, 3))
        means = _rate(world, sinks, (cid, opening_id, exercise, rated_by, reply, rated_at))
        scores = skill_scores(exercise, credits, means)
        for skill, score in scores.items():
            sinks.results.add((cid, skill, score))
        overall, fully_rated = fmean(scores.values()), len(rated_by) >= RATERS_REQUIRED
        if status.decided:
            times["decided"] = min(rated_at + timedelta(days=rng.randint(1, 7)), latest)
        _about(world, sinks, cid, opening_id, times["submitted"])
        if status == S.HIRED and team is not None:
            handover = (team.id, cid, name, email, title, exercise.slug, scores, times["decided"])
            _handover(world, sinks, handover, raters[0])
    activity = max(t for t in (created, issued, *times.values()) if t is not None)
    last_position = len(exercise.items) if answered else 2 if started else 1
    sinks.status_counts[opening_id, status.value] += 1
    sinks.candidates.add(
        (cid, opening_id, _code(opening_id, number), name, email, status.value)
        + tuple(w.stamp(times[k]) if times[k] else None for k in ("consented", "started"))
        + tuple(w.stamp(times[k]) if times[k] else None for k in ("deadline", "submitted"))
        + (w.flag(timed_out), seconds, last_position, overall, w.flag(fully_rated))
        + (w.stamp(times["decided"]) if times["decided"] else None, w.stamp(created))
        + (w.stamp(min(activity, latest)),)
    )


def _answers(world, sinks, cid, exercise: Exercise, answering):
    """Store the answers (with how many raters scored the written ones); return the
    keyed items' credits and the written reply's index."""
    w, rng = world.writer, world.rng
    items, ability, started, rated = answering
    credits: dict[str, float] = {}
    reply = min(len(REPLIES) - 1, max(0, round((1 - ability) * 4 + rng.uniform(-1, 1))))
    for position, item in enumerate(items):
        moment = w.stamp(started + timedelta(minutes=2 * position + 1))
        credit = None
        if not item.keyed:
            value = {"text": REPLIES[reply][1]}
        elif item.answer == "best-worst":
            order = sorted(range(len(item.responses)), key=lambda i: item.responses[i].key)
            best = order[-1] if rng.random() < ability else rng.choice(order[:-1])
            worst = order[0] if rng.random() < ability else rng.choice(order[1:])
            if best == worst:
                worst = order[0] if best != order[0] else order[1]
            value, credit = {"best": best, "worst": worst}, score_best_worst(item, best, worst)
        else:
            spread_ = 0 if rng.random() < ability else 2
            ratings = [
                max(1, min(5, r.key + rng.randint(-spread_, spread_))) for r in item.responses
            ]
            value, credit = {"ratings": ratings}, score_ratings(item, ratings)
        if credit is not None:
            credits[item.id] = credit
        written = not item.keyed
        sinks.answers.add(
            (sinks.next("answer"), cid, item.id, w.json(value), credit, moment, w.flag(written))
            + (rated if written else 0,)
        )
    return credits, reply


def _rate(world, sinks, rating) -> dict[str, dict[str, float]]:
    """Each rater scores the written answer near its quality; return the raters' means."""
    w, rng = world.writer, world.rng
    cid, opening_id, exercise, raters, reply, rated_at = rating
    means: dict[str, dict[str, float]] = {}
    quality = REPLIES[reply][0]
    for item in exercise.items:
        if item.keyed or not raters:
            continue
        for skill in item.rubric:
            given = [max(1, min(5, quality + rng.choice((0, 0, 0, 1, -1)))) for _ in raters]
            for rater, value in zip(raters, given, strict=True):
                sinks.scores.add(
                    (sinks.next("score"), cid, opening_id, item.id, skill, rater, value)
                    + (w.stamp(rated_at), w.stamp(rated_at))
                )
            means.setdefault(item.id, {})[skill] = fmean(given)
    return means


def _about(world: World, sinks: Sinks, cid: int, opening_id: int, submitted: datetime) -> None:
    rng = world.rng
    if rng.random() > 0.6:
        return
    answers = [
        None if rng.random() < 0.1 else PREFER_NOT if rng.random() < 0.05 else rng.choice(c.choices)
        for c in CATEGORIES
    ]
    moment = world.writer.stamp(submitted + timedelta(minutes=1))
    sinks.about.add((sinks.next("about"), cid, opening_id, *answers, moment))


def _handover(world: World, sinks: Sinks, handover: tuple, recruiter: int) -> None:
    team_id, cid, name, email, title, slug, scores, decided = handover
    skills = {skill: round(score, 2) for skill, score in scores.items()}
    # The new starter's account: a member of the team, whose coaching and practice the
    # screening validity report then follows (the evidence pages).
    members = next((t.members for t in world.teams if t.id == team_id), [])
    account = members[cid % len(members)] if members else None
    sinks.handovers.add(
        (sinks.next("handover"), team_id, cid, account, name, email, title, slug)
        + (world.writer.json(skills), "Starts on the 1st.", recruiter)
        + (world.writer.stamp(decided),)
    )
