"""The hand-over form: the team a hired candidate joins, and a note for it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length


class HandoverForm(FlaskForm):
    team = SelectField(
        "Team they join",
        coerce=int,
        validators=[InputRequired("Choose the team.")],
        invalid_choice_message="Choose one of the listed teams.",
    )
    note = TextAreaField(
        "Note for the team (optional)",
        validators=[Length(max=2000, message="Keep the note under 2,000 characters.")],
        description="For example what stood out in the interview, or a start date.",
        render_kw={"rows": 4},
    )
