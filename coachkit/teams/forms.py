"""Team forms: the choices of people are filled in by the view."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from coachkit.teams.models import Position

POSITION_CHOICES = [
    SelectChoice(Position.MEMBER.value, "Member"),
    SelectChoice(Position.MANAGER.value, "Manager"),
]


class TeamForm(FlaskForm):
    name = StringField(
        "Team name",
        validators=[DataRequired(message="Enter a name for the team."), Length(max=120)],
    )
    description = TextAreaField("What the team does (optional)", validators=[Length(max=500)])


class NewTeamForm(TeamForm):
    manager = SelectField(
        "Manager",
        coerce=int,
        validators=[InputRequired(message="Choose the team's manager.")],
        invalid_choice_message="Choose one of the listed managers.",
        description="Add more managers and the members on the team's page.",
    )


class AddMemberForm(FlaskForm):
    user = SelectField(
        "Person",
        coerce=int,
        validators=[InputRequired(message="Choose a person to add.")],
        invalid_choice_message="Choose one of the listed people.",
    )
    position = SelectField(
        "As",
        choices=POSITION_CHOICES,
        default=Position.MEMBER.value,
        validators=[DataRequired()],
        invalid_choice_message="Choose member or manager.",
    )
