"""Coaching forms: the session a manager records, and the employee's acknowledgement.

Lists whose choices depend on who is asking (kinds, open actions, attempts) are filled
in by the view; the ratings list has one entry per catalogue skill, in catalogue order.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from coachkit.auth.forms import submission_key_field
from coachkit.coaching.models import Owner
from coachkit.database import utcnow

MAX_NOTE = 5000
MAX_ACTIONS = 20
BLANK_ACTION_ROWS = 3
RATING_CHOICES = [
    SelectChoice("", "Not rated"),
    *(SelectChoice(str(r), str(r)) for r in range(1, 6)),
]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RatingForm(Form):
    rating = RadioField(
        "Rating",
        choices=RATING_CHOICES,
        default="",
        invalid_choice_message="Choose a rating from 1 to 5, or Not rated.",
    )


class ActionRowForm(Form):
    # Which saved action the row edits (matched within the session; empty for new rows).
    action_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = StringField("Action", validators=[Length(max=500)])
    owner = SelectField(
        "Owner",
        choices=[
            SelectChoice(Owner.EMPLOYEE.value, "Employee"),
            SelectChoice(Owner.MANAGER.value, "Manager"),
        ],
        default=Owner.EMPLOYEE.value,
        invalid_choice_message="Choose the employee or the manager.",
    )
    due_on = DateField("Due", validators=[Optional()])
    private = BooleanField("Private")
    done = BooleanField("Done")

    def validate_text(self, field: StringField) -> None:
        if not (field.data or "").strip() and self.due_on.data:
            raise ValidationError("Describe the action, or clear its due date.")


def _web_link(form: Form, field: StringField) -> None:
    """Only an http or https address with a host: no javascript:, data: or file: links."""
    link = (field.data or "").strip()
    if link and (
        urlsplit(link).scheme.lower() not in ("http", "https") or not urlsplit(link).netloc
    ):
        raise ValidationError("Enter a web address starting with http:// or https://.")


def _note(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label, validators=[Length(max=MAX_NOTE)], description=description, render_kw={"rows": 4}
    )


class SessionForm(FlaskForm):
    held_on = DateField("Date of the session", validators=[InputRequired("Enter the date.")])
    kind = SelectField(
        "Kind of session",
        validators=[InputRequired("Choose the kind of session.")],
        invalid_choice_message="Choose one of the listed kinds.",
    )
    ratings = FieldList(FormField(RatingForm), max_entries=60)
    ratings_private = BooleanField("Private: hide the ratings from the employee")
    went_well = _note("What went well", "Specific moments to repeat. Markdown allowed.")
    went_well_private = BooleanField("Private: hide this from the employee")
    to_improve = _note("What to improve", "One or two things, with an example. Markdown allowed.")
    to_improve_private = BooleanField("Private: hide this from the employee")
    goal = _note("Goal", "What the employee wants to achieve.")
    goal_private = BooleanField("Private: hide this from the employee")
    reality = _note("Reality", "Where things stand now.")
    reality_private = BooleanField("Private: hide this from the employee")
    options = _note("Options", "Ways forward you explored together.")
    options_private = BooleanField("Private: hide this from the employee")
    way_forward = _note("Way forward", "What will happen next, and by when.")
    way_forward_private = BooleanField("Private: hide this from the employee")
    review_reference = StringField(
        "Ticket number or call id",
        validators=[Length(max=120)],
        description="For a call or ticket review: which conversation you reviewed.",
    )
    review_link = StringField(
        "Link to it (optional)",
        validators=[Length(max=500), _web_link],
        render_kw={"inputmode": "url"},
    )
    review_excerpt = _note("Excerpt (optional)", "The part of the conversation you discussed.")
    reviewed_private = BooleanField("Private: hide what was reviewed from the employee")
    actions = FieldList(FormField(ActionRowForm), max_entries=MAX_ACTIONS)
    # Choices: all the employee's earlier actions, so one the employee closed while
    # the form was open is accepted (it is simply done already).
    carried_done = CheckboxesField(
        "Mark done",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Only this person's own earlier actions can be marked done.",
    )
    evidence = CheckboxesField("Training attempts discussed", coerce=int, validate_choice=True)
    # The agenda points talked through (new sessions): ticked ones stop carrying over.
    # Any id is accepted: only this person's open points a coach may see are closed.
    agenda_done = CheckboxesField("Discussed", coerce=int, validate_choice=False)
    next_session_on = DateField("Next session", validators=[Optional()])
    # Set once per new-session form; the same key posted twice records one session.
    submission = submission_key_field()
    # The version the editor started from: a save over someone else's newer one is refused.
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def validate_held_on(self, field: DateField) -> None:
        if field.data and field.data > utcnow().date():
            raise ValidationError("A session cannot be recorded before it happens.")

    def validate_review_reference(self, field: StringField) -> None:
        if not (field.data or "").strip() and (
            (self.review_link.data or "").strip() or (self.review_excerpt.data or "").strip()
        ):
            raise ValidationError("Give the ticket number or call id the link or excerpt is from.")

    def validate_next_session_on(self, field: DateField) -> None:
        if field.data and self.held_on.data and field.data <= self.held_on.data:
            raise ValidationError("The next session must come after this one.")


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField(
        "Your comment (optional)",
        validators=[Length(max=2000)],
        description="Your manager sees this with your acknowledgement.",
        render_kw={"rows": 3},
    )


class SuggestedAssignForm(FlaskForm):
    module = SelectField(
        "Module",
        validators=[InputRequired("Choose a module.")],
        invalid_choice_message="Choose one of the suggested modules.",
    )
    due_on = DateField("Due by", validators=[InputRequired("Enter a due date.")])

    def validate_due_on(self, field: DateField) -> None:
        if field.data and field.data < utcnow().date():
            raise ValidationError("The due date cannot be in the past.")


class AgendaPointForm(FlaskForm):
    text = StringField(
        "Talking point",
        validators=[InputRequired("Write the point you want to raise."), Length(max=500)],
    )
    private = BooleanField("Private")
