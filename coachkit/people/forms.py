"""Forms administrators use to manage accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from coachkit.auth.models import Role
from coachkit.teams.models import Position

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


def email_field(missing: str, **render_kw: object) -> EmailField:
    """An e-mail address field that says `missing` when left empty."""
    return EmailField(
        "E-mail",
        validators=[
            DataRequired(message=missing),
            Length(max=254),
            Email(message="Enter a valid e-mail address, like name@example.com."),
        ],
        render_kw=render_kw or None,
    )


class UserForm(FlaskForm):
    email = email_field("Enter an e-mail address.")
    name = StringField(
        "Display name",
        validators=[DataRequired(message="Enter the person's name."), Length(max=120)],
    )
    role = SelectField(
        "Role",
        choices=ROLE_CHOICES,
        default=Role.EMPLOYEE.value,
        validators=[DataRequired()],
        invalid_choice_message="Choose one of the listed roles.",
    )
    is_author = BooleanField("Author (may preview training modules and exercises)")


def _choice_id(value: object) -> int:
    """A posted id as a number; anything else as -1, which no choice has, so the field
    says "choose one of the listed ..." rather than failing to convert."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 10 else -1


class NewUserForm(UserForm):
    """Add a person, optionally straight onto a team (the view fills `team`'s choices)."""

    team = SelectField(
        "Team",
        coerce=_choice_id,
        default=0,
        invalid_choice_message="Choose one of the listed teams.",
    )
    position = SelectField(
        "Place in the team",
        choices=[
            SelectChoice(Position.MEMBER.value, "Member"),
            SelectChoice(Position.MANAGER.value, "Manager"),
        ],
        default=Position.MEMBER.value,
        invalid_choice_message="Choose member or manager.",
    )


class EditUserForm(UserForm):
    active = BooleanField("Active (may sign in)")


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by name or e-mail", validators=[Length(max=120)])
    role = SelectField("Role", choices=[SelectChoice("", "All roles"), *ROLE_CHOICES])


class PasswordResetForm(FlaskForm):
    email = email_field(
        "Enter the e-mail address you sign in with.", autocomplete="username", autofocus=True
    )


class PeopleFileForm(FlaskForm):
    file = FileField(
        "People file (CSV)",
        validators=[FileRequired("Choose a CSV file to preview.")],
        description="Columns: name, email, role, team, manager-of.",
        render_kw={"accept": ".csv,text/csv"},
    )


class ApplyImportForm(FlaskForm):
    """The previewed file, carried back (base64) so applying it needs no second upload."""

    contents = HiddenField(validators=[DataRequired(), Length(max=400_000)])
