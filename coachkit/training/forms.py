"""The player's forms: one answer per page, tied to the step it answers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from coachkit.training.player import MAX_REFLECTION


class StepForm(FlaskForm):
    # The step number being answered: a repeated or stale submission is recognised.
    position = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    node = HiddenField(validators=[InputRequired()])


class ChoiceForm(StepForm):
    choice = RadioField(
        "Your reply",
        coerce=int,
        validators=[InputRequired(message="Choose one of the replies.")],
        invalid_choice_message="Choose one of the replies.",
    )


class ReflectionForm(StepForm):
    reflection = TextAreaField(
        "Your reflection",
        validators=[
            InputRequired(message="Write a few words before you continue."),
            Length(max=MAX_REFLECTION),
        ],
    )
