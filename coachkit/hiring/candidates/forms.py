"""A candidate's forms: the decision about them (with its reason), a note, and the
confirmation that deletes them.

(The forms that add candidates are on the opening's page: `openings.forms`.)
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from coachkit.hiring.models import DECISIONS, MAX_NOTE

MAX_REASON = 2000


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision",
        choices=[SelectChoice(status.value, status.label) for status in DECISIONS],
        validators=[InputRequired("Choose a decision.")],
        invalid_choice_message="Choose shortlist, reject or hire.",
    )
    reason = TextAreaField(
        "Reason (optional)",
        validators=[
            Length(max=MAX_REASON, message=f"Keep the reason under {MAX_REASON + 1:,} characters.")
        ],
        description="Kept with the decision and in the notes; raters never see it.",
        render_kw={"rows": 2},
    )
    # Where to go back to: the comparison posts its own page (checked to stay on-site).
    next = HiddenField()


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Note",
        validators=[
            DataRequired("Write the note first."),
            Length(max=MAX_NOTE, message=f"Keep the note under {MAX_NOTE + 1:,} characters."),
        ],
        description="Seen by recruiters and admins on this page, with your name and the time; "
        "never on the rating pages.",
        render_kw={"rows": 3},
    )


class DeleteCandidateForm(FlaskForm):
    confirm = BooleanField(
        "Yes, delete this candidate and everything recorded about them",
        validators=[DataRequired("Tick the box to confirm: deleting cannot be undone.")],
    )
