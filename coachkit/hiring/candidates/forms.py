"""A candidate's forms: the decision about them and the confirmation that deletes them.

(The forms that add candidates are on the opening's page: `openings.forms`.)
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired

from coachkit.hiring.models import DECISIONS


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision",
        choices=[SelectChoice(status.value, status.label) for status in DECISIONS],
        validators=[InputRequired("Choose a decision.")],
        invalid_choice_message="Choose shortlist, reject or hire.",
    )


class DeleteCandidateForm(FlaskForm):
    confirm = BooleanField(
        "Yes, delete this candidate and everything recorded about them",
        validators=[DataRequired("Tick the box to confirm: deleting cannot be undone.")],
    )
