"""Comparing an opening's candidates: one row per candidate with their score on each
skill of the exercise, overall score, time taken and status.

Sorting happens in SQL (a skill column joins that skill's result), so a page of 50
costs the same few queries whether the opening has 50 candidates or 50,000. Unknown
sort keys, directions or statuses fall back to the defaults: a hand-edited URL never
becomes an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, select
from sqlalchemy.orm import QueryableAttribute, aliased, selectinload

from coachkit.auth.models import User
from coachkit.content.skills import Skill
from coachkit.database import plain_rows
from coachkit.hiring import versions
from coachkit.hiring.models import (
    Candidate,
    CandidateStatus,
    Opening,
    SkillResult,
    visible_candidates,
)

PER_PAGE = 50
FIXED_SORTS = ("overall", "time", "status", "code")
DEFAULT_SORT = "overall"
# Statuses in the order a candidate moves through them.
STATUS_ORDER = case(
    {status: position for position, status in enumerate(CandidateStatus)},
    value=Candidate.status,
)


@dataclass(frozen=True)
class View:
    """How the comparison is sorted and filtered, and whether names are shown (by
    default: blindness is for raters, whose pages never show names)."""

    sort: str = DEFAULT_SORT
    direction: str = "desc"
    status: CandidateStatus | None = None
    names: bool = True

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments for a link to this view with `changes` applied."""
        view = replace(self, **changes)
        args: dict[str, Any] = {"sort": view.sort, "dir": view.direction}
        if view.status is not None:
            args["status"] = view.status.value
        if not view.names:
            args["names"] = 0
        return args

    def sorted_by(self, key: str) -> dict[str, Any]:
        """Arguments for a column heading's link: sort by `key`, or flip the direction
        when the view is sorted by it already."""
        if key == self.sort:
            return self.args(direction="asc" if self.direction == "desc" else "desc")
        return self.args(sort=key, direction=default_direction(key))

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "ascending" if self.direction == "asc" else "descending"


def default_direction(key: str) -> str:
    """Scores read best first; time, status, codes and names in their natural order."""
    return "asc" if key in ("time", "status", "code", "name") else "desc"


def parse(args: Mapping[str, str], skills: Sequence[str], *, names_allowed: bool) -> View:
    """The view a request asks for; anything unknown falls back to the default."""
    names = names_allowed and args.get("names") != "0"
    sort = args.get("sort", DEFAULT_SORT)
    known = (*FIXED_SORTS, *skills, *(("name",) if names else ()))
    if sort not in known:
        sort = DEFAULT_SORT
    direction = args.get("dir", "")
    if direction not in ("asc", "desc"):
        direction = default_direction(sort)
    status = args.get("status", "")
    chosen = CandidateStatus(status) if status in CandidateStatus._value2member_map_ else None
    return View(sort=sort, direction=direction, status=chosen, names=names)


def statement(candidates: Select[tuple[Candidate]], view: View) -> Select[tuple[Candidate]]:
    """`candidates` (already scoped to one opening) filtered and sorted as `view` says,
    with their skill results loaded alongside."""
    if view.status is not None:
        candidates = candidates.where(Candidate.status == view.status)
    column: ColumnElement[Any] | QueryableAttribute[Any]
    nullable = True
    if view.sort == "overall":
        column = Candidate.overall
    elif view.sort == "time":
        column = Candidate.seconds_taken
    elif view.sort == "status":
        column, nullable = STATUS_ORDER, False
    elif view.sort in ("code", "name"):
        column, nullable = getattr(Candidate, view.sort), False
    else:
        result = aliased(SkillResult)
        candidates = candidates.outerjoin(
            result, and_(result.candidate_id == Candidate.id, result.skill == view.sort)
        )
        column = result.score
    ordered = column.desc() if view.direction == "desc" else column.asc()
    # Unscored last either way (NULLS LAST, which an index can serve on both engines).
    order = [ordered.nulls_last() if nullable else ordered]
    return candidates.order_by(*order, Candidate.code, Candidate.id)


def listing(candidates: Select[tuple[Candidate]], view: View) -> Select[tuple[Candidate]]:
    """`candidates` for the candidates list: of the status `view` asks for, by name when
    it shows names (else by code), with their invitations loaded alongside."""
    if view.status is not None:
        candidates = candidates.where(Candidate.status == view.status)
    order = Candidate.name if view.names else Candidate.code
    return candidates.options(selectinload(Candidate.invitation)).order_by(order, Candidate.id)


def requested(
    opening: Opening, args: Mapping[str, str], user: User
) -> tuple[View, tuple[str, ...], Select[tuple[Candidate]]]:
    """The comparison `args` ask `user` for: its view, the skill columns, the query."""
    exercise = versions.exercise_or_none(opening)
    skills = exercise.skills if exercise else ()
    view = parse(args, skills, names_allowed=True)
    return view, skills, statement(visible_candidates(user, opening.id), view)


@dataclass(frozen=True)
class Row:
    candidate: Candidate
    scores: dict[str, float]  # skill id -> 1-5
    time_taken: str


def rows(candidates: Iterable[Candidate]) -> list[Row]:
    """The candidates with their scores per skill, read in one query as plain values
    (no objects to build for each score)."""
    listed = list(candidates)
    scores: dict[int, dict[str, float]] = {candidate.id: {} for candidate in listed}
    if listed:
        for candidate_id, skill, score in plain_rows(
            select(SkillResult.candidate_id, SkillResult.skill, SkillResult.score).where(
                SkillResult.candidate_id.in_(list(scores))
            )
        ):
            scores[candidate_id][skill] = score
    return [Row(candidate, scores[candidate.id], time_taken(candidate)) for candidate in listed]


def time_taken(candidate: Candidate) -> str:
    """How long the candidate took, for people: "11 min 40 s", "timed out"."""
    seconds = candidate.seconds_taken
    if seconds is None:
        return "timed out" if candidate.timed_out else ""
    if seconds >= 3600:
        text = f"{seconds // 3600} h {seconds % 3600 // 60} min"
    elif seconds >= 60:
        text = f"{seconds // 60} min {seconds % 60} s"
    else:
        text = f"{seconds} s"
    return f"{text}, timed out" if candidate.timed_out else text


def score_text(score: float | None) -> str:
    return "" if score is None else f"{score:.1f}"


def csv_header(skills: Sequence[str], catalogue: Mapping[str, Skill], names: bool) -> list[str]:
    return [
        "Code",
        *(["Name"] if names else []),
        "Status",
        *(catalogue[skill].name if skill in catalogue else skill for skill in skills),
        "Overall",
        "Provisional",
        "Seconds taken",
        "Timed out",
    ]


def csv_rows(table: Iterable[Row], skills: Sequence[str], names: bool) -> Iterable[list[object]]:
    for row in table:
        candidate = row.candidate
        yield [
            candidate.code,
            *([candidate.name] if names else []),
            candidate.status.label,
            *(score_text(row.scores.get(skill)) for skill in skills),
            score_text(candidate.overall),
            "yes" if candidate.answered and not candidate.fully_rated else "no",
            "" if candidate.seconds_taken is None else candidate.seconds_taken,
            "yes" if candidate.timed_out else "no",
        ]
