"""What a candidate's page shows: their attempt, invite link, scores per skill in the
exercise's order, and the forms that act on them."""

from __future__ import annotations

from typing import Any

from coachkit.auth.forms import ActionForm
from coachkit.content.library import library
from coachkit.hiring import invitations, versions
from coachkit.hiring.candidates.forms import DeleteCandidateForm
from coachkit.hiring.models import DECISIONS, Candidate, Opening


def candidate_page(
    opening: Opening, candidate: Candidate, delete_form: DeleteCandidateForm | None = None
) -> dict[str, Any]:
    """The values of the candidate's page, with a posted delete form in place of an
    empty one."""
    invitation, exercise = candidate.invitation, versions.exercise_or_none(opening)
    results = {result.skill: result.score for result in candidate.skill_results}
    order = [skill for skill in exercise.skills if skill in results] if exercise else []
    return {
        "scores": [(skill, results[skill]) for skill in order + sorted(set(results) - set(order))],
        "opening": opening,
        "candidate": candidate,
        "exercise": exercise,
        "skills": library().skills,
        "link_state": invitations.state(invitation) if invitation else None,
        "action_form": ActionForm(),
        "decisions": DECISIONS,
        "delete_form": delete_form or DeleteCandidateForm(formdata=None),
    }
