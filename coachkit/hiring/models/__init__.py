"""Hiring records: openings, candidates with their invite link and results, their
answers with raters' scores, deciders' notes, voluntary self-identification and hand-overs on hire.

Import them from here (`from coachkit.hiring.models import Candidate`): importing
any of them imports every module below, and with it the flush events that keep the
rollups of these tables (status counts, answers' written flag and rater count,
openings' scores revision), so whatever imports the models keeps them
(`coachkit.rollups` has the rules). The modules import one way: openings, then
candidates, then answers; hand-overs stand alone.

A hand-over is a copy made for the hiring team and outlives the candidate record on
purpose.
"""

from coachkit.hiring.models.answers import (
    Answer,
    RaterScore,
    SelfIdentification,
    answers_rated,
    holds_writing,
    rater_count,
)
from coachkit.hiring.models.candidates import (
    ANSWERED,
    DECISIONS,
    STATUS_COUNTS,
    Candidate,
    CandidateStatus,
    Invitation,
    SkillResult,
    StatusCount,
    candidates_deleted,
    visible_candidates,
)
from coachkit.hiring.models.handovers import Handover
from coachkit.hiring.models.notes import MAX_NOTE, CandidateNote
from coachkit.hiring.models.openings import (
    HIRERS,
    ExerciseVersion,
    Opening,
    scores_changed,
    visible_openings,
)
from coachkit.hiring.models.replaced_links import ReplacedLink

__all__ = [
    "ANSWERED",
    "DECISIONS",
    "HIRERS",
    "MAX_NOTE",
    "STATUS_COUNTS",
    "Answer",
    "Candidate",
    "CandidateNote",
    "CandidateStatus",
    "ExerciseVersion",
    "Handover",
    "Invitation",
    "Opening",
    "RaterScore",
    "ReplacedLink",
    "SelfIdentification",
    "SkillResult",
    "StatusCount",
    "answers_rated",
    "candidates_deleted",
    "holds_writing",
    "rater_count",
    "scores_changed",
    "visible_candidates",
    "visible_openings",
]
