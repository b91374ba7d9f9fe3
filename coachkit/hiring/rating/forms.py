"""The rating form: one required 1-5 choice per rubric skill of the item rated."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from coachkit.content.exercises import RATINGS, Item
from coachkit.content.library import library


def field_name(skill: str) -> str:
    return f"rate-{skill}"


def rating_form(item: Item, saved: dict[str, int] | None = None) -> FlaskForm:
    """A form with one required 1-5 choice per rubric skill of `item`."""

    class RatingForm(FlaskForm):
        pass

    skills = library().skills
    for skill in item.rubric:
        name = skills[skill].name if skill in skills else skill
        setattr(
            RatingForm,
            field_name(skill),
            RadioField(
                name,
                choices=[SelectChoice(str(r), str(r)) for r in RATINGS],
                validators=[InputRequired(f"Choose a rating from 1 to 5 for {name}.")],
                invalid_choice_message=f"Choose a rating from 1 to 5 for {name}.",
            ),
        )
    data = {field_name(skill): str(rating) for skill, rating in (saved or {}).items()}
    return RatingForm(data=data)
