"""How many of an opening's candidates are in each status, read from the rollup
`models.STATUS_COUNTS` keeps: one query of a few rows per opening, whatever the number
of candidates (the openings list, an opening's page, its candidates and comparison,
the recruiter's home page)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import String, bindparam, select, type_coerce

from coachkit.database import plain_rows
from coachkit.hiring.models import CandidateStatus, StatusCount


@dataclass(frozen=True)
class StatusCounts:
    """How many of an opening's candidates are in each status."""

    by_status: Counter[CandidateStatus]

    def __getitem__(self, status: CandidateStatus | str) -> int:
        return self.by_status[status]  # type: ignore[index]  # a StrEnum equals its value

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def in_order(self) -> list[tuple[CandidateStatus, int]]:
        """Every status in order with its count, zeros included."""
        return [(status, self.by_status.get(status, 0)) for status in CandidateStatus]


# Statuses read as their plain values (a StrEnum member finds its value's count),
# which spares converting every row to the enum.
_STATUS_COUNTS = select(
    StatusCount.opening_id, type_coerce(StatusCount.status, String), StatusCount.candidates
).where(StatusCount.opening_id.in_(bindparam("opening_ids", expanding=True)))


def status_counts(opening_ids: Collection[int]) -> dict[int, StatusCounts]:
    """Candidates per status for each opening, in one query of the rollup (a few rows
    per opening, however many candidates)."""
    counts: dict[int, Counter[CandidateStatus]] = {id_: Counter() for id_ in opening_ids}
    if opening_ids:
        for opening_id, status, count in plain_rows(
            _STATUS_COUNTS, {"opening_ids": list(opening_ids)}
        ):
            counts[opening_id][status] = count
    return {id_: StatusCounts(counter) for id_, counter in counts.items()}
