"""Forms: setting up a round, and a manager's ratings for it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from coachkit.coaching.forms import CheckboxesField
from coachkit.content.skills import RATINGS

MAX_RATERS = 30


def _id(value: object) -> int:
    """A posted id; anything else becomes 0, which no choice has, so the field's own
    "choose from the list" message answers rather than WTForms' "could not coerce"."""
    try:
        return int(str(value))
    except ValueError:
        return 0


class NewRoundForm(FlaskForm):
    title = StringField(
        "Title",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Give the round a title."),
            Length(max=120, message="Keep the title to 120 characters."),
        ],
        description='For example "Q3 calibration: billing complaints".',
    )
    attempt = SelectField(
        "Practice conversation",
        coerce=_id,
        validate_choice=True,
        invalid_choice_message="Choose one of the listed conversations.",
        description=(
            "A completed practice attempt. Raters see the conversation without the "
            "learner's name, scores, feedback or written reflections."
        ),
    )
    raters = CheckboxesField(
        "Managers who rate it",
        coerce=_id,
        invalid_choice_message="Choose managers from the list.",
        description="You rate it too. Each manager sees the others' ratings only after handing in.",
    )

    def validate_raters(self, field: CheckboxesField) -> None:
        if not field.data:
            raise ValidationError("Choose at least one other manager to rate with you.")
        if len(field.data) > MAX_RATERS:
            raise ValidationError(f"Choose at most {MAX_RATERS} managers.")


def _rating() -> RadioField:
    return RadioField(
        "Rating",
        choices=[SelectChoice(str(r), str(r)) for r in RATINGS],
        validators=[InputRequired(message="Rate this skill from 1 to 5.")],
        invalid_choice_message="Rate this skill from 1 to 5.",
    )


class RateForm(FlaskForm):
    """The note; `rate_form` adds one rating field per skill of the round, `rating_<i>`
    for the round's i-th skill."""

    note = TextAreaField(
        "What you noticed (optional)",
        validators=[Length(max=2000, message="Keep the note to 2,000 characters.")],
        description="Shown to the other raters with your ratings, after they hand in.",
    )

    def ratings(self, count: int) -> list[RadioField]:
        return [self[f"rating_{i}"] for i in range(count)]


def rate_form(count: int, **kwargs: object) -> RateForm:
    """A RateForm with `count` rating fields (one per skill of the round)."""
    fields = {f"rating_{i}": _rating() for i in range(count)}
    return type("RoundRateForm", (RateForm,), fields)(**kwargs)
