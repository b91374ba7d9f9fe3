"""Training: module versions, a year of attempts at the content library's modules with
every answer stored as a step, skill-score rollups of completed attempts, and
assignments.

Each attempt follows one of a pool of random walks through its module's graph, scored
by the module's own rules (`Choice.score_changes`), so steps, totals, flags, endings
and rollups agree with what the player would have stored. A learner's latest attempt
at a module is sometimes left unfinished part-way; older attempts played the module's
previous version (same text, an older snapshot), as after a content edit.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from bench.generate import World, spread
from bench.texts import REFLECTIONS
from coachkit.content.modules import Module
from coachkit.training.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    AttemptStep,
    ChoiceTally,
    ModuleVersion,
    PracticeRecord,
    SkillScore,
    SkillTotal,
)
from coachkit.training.practice import ENDING_SCORES, RESULTS
from coachkit.training.scale import rating_tenths

PATHS_PER_MODULE = 64
STEP = timedelta(seconds=45)
STEPS = [STEP * (n + 1) for n in range(200)]
PREVIOUS_VERSION_DAYS = 200
UNFINISHED_SHARE = 0.1
YEAR = timedelta(days=365)
ASSIGNMENTS_PER_EMPLOYEE = (0, 1, 2, 2, 3, 4)


@dataclass(frozen=True)
class Walk:
    """One way through a module, with everything an attempt along it stores."""

    steps: tuple[tuple[str, int | None, str, int, str | None], ...]
    # before each step: (current node, flags JSON, scores JSON)
    states: tuple[tuple[str, str, str], ...]
    ending: str
    outcome: str
    flags: str
    scores: str
    # Every skill of the module, zero included: (skill, points, rating in tenths or None).
    points: tuple[tuple[str, int, int | None], ...]


@dataclass(frozen=True)
class Played:
    slug: str
    current_id: int
    previous_id: int
    walks: tuple[Walk, ...]


def walk(module: Module, rng: random.Random, dumps) -> Walk:
    node = module.nodes[module.start]
    flags: frozenset[str] = frozenset()
    scores: dict[str, int] = {}
    steps, states = [], []
    while node.kind != "end":
        if len(steps) > 100:  # a loop in the graph: start again
            return walk(module, rng, dumps)
        states.append((node.id, dumps(sorted(flags)), dumps(scores)))
        if node.kind == "reflect":
            steps.append((node.id, None, dumps({}), 0, rng.choice(REFLECTIONS)))
            node = module.nodes[node.next]
            continue
        index = rng.randrange(len(node.choices))
        choice = node.choices[index]
        changes = choice.score_changes(flags)
        steps.append((node.id, index, dumps(changes), sum(changes.values()), None))
        for skill, delta in changes.items():
            scores[skill] = scores.get(skill, 0) + delta
        flags = flags | set(choice.sets)
        node = module.nodes[choice.target]
    return Walk(
        tuple(steps),
        tuple(states),
        node.id,
        node.outcome,
        dumps(sorted(flags)),
        dumps(scores),
        tuple(
            (skill, scores.get(skill, 0), rating_tenths(module, skill, scores.get(skill, 0)))
            for skill in module.skills
        ),
    )


def _versions(world: World) -> list[Played]:
    w = world.writer
    sink = w.sink(
        ModuleVersion.__table__, ("id", "slug", "version", "title", "source", "created_at")
    )
    played = []
    for number, module in enumerate(world.library.modules.values()):
        source = module.path.read_text(encoding="utf-8")
        previous = hashlib.sha256(f"{module.version} before".encode()).hexdigest()[:12]
        current_id, previous_id = 2 * number + 1, 2 * number + 2
        sink.add(
            (
                previous_id,
                module.slug,
                previous,
                module.title,
                source,
                w.stamp(world.now - 2 * YEAR),
            )
        )
        sink.add(
            (
                current_id,
                module.slug,
                module.version,
                module.title,
                source,
                w.stamp(world.now - YEAR / 2),
            )
        )
        walks = tuple(walk(module, world.rng, w.json) for _ in range(PATHS_PER_MODULE))
        played.append(Played(module.slug, current_id, previous_id, walks))
    sink.close()
    return played


def generate(world: World) -> None:
    played = _versions(world)
    rng = world.rng
    learners = world.employees + world.managers
    weights = [rng.uniform(0.3, 1.7) for _ in world.employees]
    weights += [rng.uniform(0.1, 0.5) for _ in world.managers]
    counts = spread(world.size.attempts, weights)
    _attempts(world, played, learners, counts)
    _assignments(world, played)


def _attempts(world: World, played: list[Played], learners: list[int], counts: list[int]) -> None:
    w, rng, stamp = world.writer, world.rng, world.writer.stamp
    attempts = w.sink(
        Attempt.__table__,
        ("id", "user_id", "module_slug", "module_version_id", "status", "current_node")
        + ("step_count", "flags", "scores", "ending", "outcome", "started_at", "completed_at"),
    )
    steps = w.sink(
        AttemptStep.__table__,
        ("id", "attempt_id", "module_slug", "position", "node_id", "choice_index")
        + ("score_changes", "outcome", "reflection", "created_at"),
    )
    scores = w.sink(
        SkillScore.__table__,
        ("id", "attempt_id", "user_id", "module_slug", "skill", "points")
        + ("rating_tenths", "completed_at"),
    )
    first_start = world.now - YEAR
    span = (YEAR - timedelta(hours=1)).total_seconds()
    previous_before = world.now - timedelta(days=PREVIOUS_VERSION_DAYS)
    completed, unfinished = AttemptStatus.COMPLETED.value, AttemptStatus.IN_PROGRESS.value
    attempt_id = step_id = score_id = 0
    tallies: defaultdict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0, 0])
    skill_totals: defaultdict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    # (learner, module) -> [first completion, results in the order started]
    practice: dict[tuple[int, str], list] = {}
    for learner, count in zip(learners, counts, strict=True):
        w.checkpoint()
        world.attempts[learner] = (attempt_id + 1, count)
        picks = [rng.randrange(len(played)) for _ in range(count)]
        latest = {module: index for index, module in enumerate(picks)}
        open_ones = {i for i in latest.values() if rng.random() < UNFINISHED_SHARE}
        for index, start_at in enumerate(sorted(rng.random() for _ in range(count))):
            attempt_id += 1
            module = played[picks[index]]
            slug, path = module.slug, rng.choice(module.walks)
            started = first_start + timedelta(seconds=start_at * span)
            version = module.previous_id if started < previous_before else module.current_id
            if index in open_ones:
                done = rng.randrange(len(path.steps))
                node, flags, totals = path.states[done]
                attempts.add(
                    (attempt_id, learner, slug, version, unfinished, node, done, flags, totals)
                    + (None, None, stamp(started), None)
                )
            else:
                done = len(path.steps)
                finished = stamp(started + STEPS[done])
                attempts.add(
                    (attempt_id, learner, slug, version, completed, path.ending, done, path.flags)
                    + (path.scores, path.ending, path.outcome, stamp(started), finished)
                )
                record = practice.setdefault((learner, slug), [started + STEPS[done], []])
                record[0] = min(record[0], started + STEPS[done])  # as training.practice
                record[1].append(ENDING_SCORES[path.outcome])
                world.completed[learner] = (attempt_id, slug)
                for skill, points, rating in path.points:
                    score_id += 1
                    scores.add(
                        (score_id, attempt_id, learner, slug, skill, points, rating, finished)
                    )
                    total = skill_totals[learner, skill]  # as player keeps skill totals
                    total[0] += points
                    total[1] += 1
                    total[2] += rating or 0
                    total[3] += rating is not None
            for position in range(done):
                step_id += 1
                node_id, choice, changes, outcome, reflection = path.steps[position]
                steps.add(
                    (step_id, attempt_id, slug, position, node_id, choice, changes, outcome)
                    + (reflection, stamp(started + STEPS[position]))
                )
                if choice is not None:  # as player.answer keeps the running tallies
                    tally = tallies[version, node_id, choice]
                    tally[0] += 1
                    tally[1] += outcome
    for sink in (attempts, steps, scores):
        sink.close()
    sink = w.sink(
        ChoiceTally.__table__,
        ("module_version_id", "node_id", "choice_index", "taken", "outcome_total"),
    )
    for key, (taken, outcome_total) in sorted(tallies.items()):
        sink.add((*key, taken, outcome_total))
    sink.close()
    sink = w.sink(
        SkillTotal.__table__, ("user_id", "skill", "points", "attempts", "rating_tenths", "rated")
    )
    for (learner, skill), total in sorted(skill_totals.items()):
        sink.add((learner, skill, *total))
    sink.close()
    _practice_records(world, practice)


def _practice_records(world: World, practice: dict[tuple[int, str], list]) -> None:
    sink = world.writer.sink(
        PracticeRecord.__table__, ("user_id", "module_slug", "first_completed_on", *RESULTS)
    )
    for (learner, slug), (first, results) in sorted(practice.items()):
        kept = (results + [None] * len(RESULTS))[: len(RESULTS)]
        sink.add((learner, slug, world.writer.day(first.date()), *kept))
    sink.close()


def _assignments(world: World, played: list[Played]) -> None:
    w, rng = world.writer, world.rng
    sink = w.sink(
        Assignment.__table__,
        ("id", "user_id", "module_slug", "due_on", "assigned_by_id", "created_at"),
    )
    slugs = [module.slug for module in played]
    assignment_id = 0
    for employee in world.employees:
        w.checkpoint()
        manager = world.team_of[employee].managers[0]
        for slug in rng.sample(slugs, rng.choice(ASSIGNMENTS_PER_EMPLOYEE)):
            assignment_id += 1
            assigned = world.now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
            due = assigned.date() + timedelta(days=rng.randint(14, 28))
            sink.add((assignment_id, employee, slug, w.day(due), manager, w.stamp(assigned)))
    sink.close()
