"""The player's forms: one answer per page, tied to the step it answers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput

from coachkit.database import utcnow
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


class AssignForm(FlaskForm):
    """Choices for module and people are filled in by the view, scoped to the manager."""

    module = SelectField(
        "Module",
        validators=[InputRequired(message="Choose a module.")],
        invalid_choice_message="Choose one of the listed modules.",
    )
    target = SelectField(
        "Assign to",
        validators=[InputRequired(message="Choose who.")],
        invalid_choice_message="Choose one of your teams or people.",
    )
    due_on = DateField("Due by", validators=[InputRequired(message="Enter a due date.")])

    def validate_due_on(self, field: DateField) -> None:
        if field.data and field.data < utcnow().date():
            raise ValidationError("The due date cannot be in the past.")


class LibraryFilterForm(FlaskForm):
    """The module list's filter (GET, so no CSRF): a skill and a setting, each optional;
    the view fills the choices from the library."""

    class Meta:
        csrf = False

    skill = SelectField("Skill", validate_choice=True)
    setting = SelectField("Setting", validate_choice=True)
