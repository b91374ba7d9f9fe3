"""Forms administrators use to manage accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from coachkit.auth.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class UserForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(message="Enter an e-mail address."),
            Length(max=254),
            Email(message="Enter a valid e-mail address, like name@example.com."),
        ],
    )
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


class EditUserForm(UserForm):
    active = BooleanField("Active (may sign in)")


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by name or e-mail", validators=[Length(max=120)])
    role = SelectField("Role", choices=[SelectChoice("", "All roles"), *ROLE_CHOICES])
