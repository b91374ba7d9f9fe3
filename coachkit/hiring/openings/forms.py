"""The forms of an opening's pages: the opening itself, and on its page the two that
add candidates to it, one by one or from a CSV file (the candidates views take them).

The bulk form takes rows of a name and an e-mail address; the candidates views add
them all or, when any row is wrong, none.

The choices of the exercise and team lists come from the content library and the
database, so the view fills them in (`fill_choices`).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from coachkit.auth.forms import submission_key_field
from coachkit.content.exercises import Exercise
from coachkit.teams.models import Team

NO_TEAM = ""


def _stripped(value: str | None) -> str | None:
    """Spaces pasted around an address or a name are not part of it."""
    return value.strip() if isinstance(value, str) else value


EMAIL_VALIDATORS = [
    Length(max=254, message="Keep the e-mail address under 255 characters."),
    Email(message="Enter a valid e-mail address, like name@example.com."),
]


def _whole_number(
    label: str, low: int, high: int, *, required: bool, **kwargs: object
) -> IntegerField:
    message = f"Enter a whole number from {low} to {high}."
    return IntegerField(
        label,
        validators=[
            InputRequired(message) if required else Optional(),
            NumberRange(min=low, max=high, message=message),
        ],
        render_kw={"inputmode": "numeric", "min": low, "max": high},
        **kwargs,
    )


class OpeningForm(FlaskForm):
    # The opening's version when the form was opened (see Opening.version).
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # A new opening's one-time key (see Opening.submission_key).
    submission = submission_key_field()
    title = StringField(
        "Title of the role",
        validators=[
            DataRequired("Enter the title of the role."),
            Length(max=160, message="Keep the title under 161 characters."),
        ],
        description="Candidates see it in their invitation, e.g. “Customer care adviser”.",
    )
    description = TextAreaField(
        "Description (optional)",
        validators=[Length(max=5000, message="Keep the description under 5,001 characters.")],
        description="For your colleagues: what the role is, where, and anything raters "
        "should know. Candidates do not see it.",
        render_kw={"rows": 4},
    )
    exercise_slug = SelectField(
        "Exercise",
        validators=[InputRequired("Choose an exercise.")],
        invalid_choice_message="Choose one of the listed exercises.",
    )
    team_id = SelectField(
        "Team the hire joins (optional)",
        invalid_choice_message="Choose one of the listed teams.",
        description="Its managers receive the hired candidate's skill profile.",
    )
    time_limit_minutes = _whole_number(
        "Time limit in minutes (optional)",
        5,
        120,
        required=False,
        description="Leave empty for no limit. The clock starts when the candidate begins.",
    )
    invite_days = _whole_number(
        "Invite links stay valid for (days)",
        1,
        90,
        required=True,
        description="Resending a link starts this period again.",
    )
    remind_before_expiry = BooleanField(
        "Remind candidates who have not started, 3 days before their link expires",
        description="One e-mail with a fresh link that works until the same date.",
    )
    raters_required = _whole_number(
        "Raters per written answer",
        1,
        5,
        required=True,
        description="How many people score each written answer before a candidate counts "
        "as scored. Two or more make the scores fairer.",
    )
    contact_name = StringField(
        "Contact name",
        validators=[
            DataRequired("Enter whom candidates can contact."),
            Length(max=120, message="Keep the name under 121 characters."),
        ],
        description="Shown to candidates on every page of the exercise.",
    )
    contact_email = EmailField(
        "Contact e-mail",
        filters=[_stripped],
        validators=[DataRequired("Enter the contact's e-mail address."), *EMAIL_VALIDATORS],
    )

    def fill_choices(self, exercises: Iterable[Exercise], teams: Iterable[Team]) -> None:
        if "exercise_slug" in self:
            self.exercise_slug.choices = [
                SelectChoice(e.slug, f"{e.title} ({e.setting}, about {e.minutes} minutes)")
                for e in exercises
            ]
        self.team_id.choices = [
            SelectChoice(NO_TEAM, "No team yet"),
            *(SelectChoice(str(team.id), team.name) for team in teams),
        ]

    def values(self) -> dict[str, object]:
        """The validated fields, as the model stores them."""
        values: dict[str, object] = {
            "title": (self.title.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "team_id": int(self.team_id.data) if self.team_id.data else None,
            "time_limit_minutes": self.time_limit_minutes.data,
            "invite_days": self.invite_days.data,
            "remind_before_expiry": bool(self.remind_before_expiry.data),
            "raters_required": self.raters_required.data,
            "contact_name": (self.contact_name.data or "").strip(),
            "contact_email": (self.contact_email.data or "").strip().lower(),
        }
        if "exercise_slug" in self:
            values["exercise_slug"] = self.exercise_slug.data
        return values


class CandidateForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the candidate's name."),
            Length(max=120, message="Keep the name under 121 characters."),
        ],
    )
    email = EmailField(
        "E-mail",
        filters=[_stripped],
        validators=[DataRequired("Enter the candidate's e-mail address."), *EMAIL_VALIDATORS],
    )


class UploadForm(FlaskForm):
    file = FileField(
        "CSV file of candidates",
        validators=[FileRequired("Choose a CSV file to upload.")],
        description="A header row naming the columns name and email (in any order), then "
        "one candidate per row; up to 1,000 rows, saved as CSV UTF-8.",
        render_kw={"accept": ".csv,text/csv"},
    )


BULK_ROWS = 5  # empty rows the form opens with (the page's script adds more)
MAX_BULK_ROWS = 50  # beyond that, a CSV file is the quicker way


class CandidateRowForm(Form):
    """One row of the bulk form: both fields empty means the row is not used."""

    name = StringField(
        "Name",
        filters=[_stripped],
        validators=[Optional(), Length(max=120, message="Keep the name under 121 characters.")],
    )
    email = EmailField("E-mail", filters=[_stripped], validators=[Optional(), *EMAIL_VALIDATORS])


class BulkCandidatesForm(FlaskForm):
    rows = FieldList(FormField(CandidateRowForm), min_entries=BULK_ROWS, max_entries=MAX_BULK_ROWS)

    def validate(self, extra_validators: object = None) -> bool:
        """Each row's own checks, then: a used row needs both a name and an address,
        and at least one row is used."""
        valid = super().validate(extra_validators)
        used = 0
        for row in self.rows:
            name, email = row.form.name, row.form.email
            if not name.data and not email.data:
                continue
            used += 1
            if not name.data:
                name.errors = [*name.errors, "Enter the candidate's name."]
                valid = False
            if not email.data:
                email.errors = [*email.errors, "Enter the candidate's e-mail address."]
                valid = False
        if not used:
            first = self.rows[0].form.name
            first.errors = [*first.errors, "Enter at least one candidate: a name and an e-mail."]
            valid = False
        return valid

    def used_rows(self) -> list[tuple[int, str, str]]:
        """(row index, name, e-mail) of the rows filled in."""
        return [
            (at, row.form.name.data or "", row.form.email.data or "")
            for at, row in enumerate(self.rows)
            if row.form.name.data or row.form.email.data
        ]
