"""What a candidate's page shows: their attempt, invite link (again, while a link shown
to a recruiter still works), scores per skill in the exercise's order, their answers
once rating is complete, notes and decisions, and the forms that act on them."""

from __future__ import annotations

from typing import Any

from coachkit.auth.forms import ActionForm
from coachkit.content.library import library
from coachkit.hiring import invitations, sealed_links, versions
from coachkit.hiring.candidates import answers, notes
from coachkit.hiring.candidates.forms import DecisionForm, DeleteCandidateForm, NoteForm
from coachkit.hiring.models import DECISIONS, Candidate, Opening


def candidate_page(
    opening: Opening,
    candidate: Candidate,
    delete_form: DeleteCandidateForm | None = None,
    note_form: NoteForm | None = None,
    decision_form: DecisionForm | None = None,
) -> dict[str, Any]:
    """The values of the candidate's page, with a posted form in place of an empty one."""
    invitation, exercise = candidate.invitation, versions.exercise_or_none(opening)
    results = {result.skill: result.score for result in candidate.skill_results}
    order = [skill for skill in exercise.skills if skill in results] if exercise else []
    state = invitations.state(invitation) if invitation else None
    usable = state == invitations.LinkState.USABLE
    return {
        "scores": [(skill, results[skill]) for skill in order + sorted(set(results) - set(order))],
        "opening": opening,
        "candidate": candidate,
        "exercise": exercise,
        "skills": library().skills,
        "link_state": state,
        "shown_link": sealed_links.unseal(invitation) if invitation and usable else None,
        "review": answers.review(candidate, exercise),
        "duration": answers.duration,
        "notes": notes.of(candidate),
        "action_form": ActionForm(),
        "decisions": DECISIONS,
        "decision_form": decision_form or DecisionForm(formdata=None),
        "note_form": note_form or NoteForm(formdata=None),
        "delete_form": delete_form or DeleteCandidateForm(formdata=None),
    }
