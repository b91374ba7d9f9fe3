"""The candidate's forms: consent, one form per kind of item, and the voluntary
self-identification questions.

An item form's `value()` is the answer to store, or None when the candidate left the
item blank for later. A judgement item is all or nothing: half an answer is refused
with an error on the missing part, so no unscorable answer is ever stored.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coachkit.content.exercises import RATINGS, Item
from coachkit.hiring.screening.answering import MAX_TEXT_CHARACTERS, count_words
from coachkit.hiring.self_identification import CATEGORIES, PREFER_NOT

RATING_LABELS = {
    1: "Very ineffective",
    2: "Ineffective",
    3: "Neither effective nor ineffective",
    4: "Effective",
    5: "Very effective",
}
PICK_A_RESPONSE = "Choose one of the responses listed."


class ConsentForm(FlaskForm):
    consent = BooleanField(
        "I have read this and agree to take part on these terms.",
        validators=[DataRequired(message="Tick the box to say you agree, then start.")],
    )


class ItemForm(FlaskForm):
    def value(self) -> dict[str, Any] | None:
        raise NotImplementedError


class BestWorstForm(ItemForm):
    best = RadioField(
        "Most effective",
        coerce=int,
        validators=[Optional()],
        invalid_choice_message=PICK_A_RESPONSE,
    )
    worst = RadioField(
        "Least effective",
        coerce=int,
        validators=[Optional()],
        invalid_choice_message=PICK_A_RESPONSE,
    )

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        best, worst = self.best.data, self.worst.data
        if best is None and worst is None:
            return True  # left for later
        if best is None:
            self.best.errors.append("Choose the most effective response too, or neither.")
        elif worst is None:
            self.worst.errors.append("Choose the least effective response too, or neither.")
        elif best == worst:
            self.worst.errors.append(
                "One response cannot be both the most and the least effective. "
                "Choose a different one here."
            )
        return not (self.best.errors or self.worst.errors)

    def value(self) -> dict[str, Any] | None:
        if self.best.data is None:
            return None
        return {"best": self.best.data, "worst": self.worst.data}


class RateForm(ItemForm):
    """Fields `rating_0` .. `rating_<n-1>`, one per response (see `rate_form_class`)."""

    count = 0

    def ratings(self) -> list[Field]:
        return [self[f"rating_{index}"] for index in range(self.count)]

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        fields = self.ratings()
        if all(field.data is None for field in fields):
            return True  # left for later
        for field in fields:
            if field.data is None:
                field.errors.append("Rate this response too, or leave them all for later.")
        return not any(field.errors for field in fields)

    def value(self) -> dict[str, Any] | None:
        fields = self.ratings()
        if fields[0].data is None:
            return None
        return {"ratings": [field.data for field in fields]}


@functools.cache
def rate_form_class(count: int) -> type[RateForm]:
    """A RateForm with `count` rating fields (made once per size)."""
    fields: dict[str, Any] = {
        f"rating_{index}": RadioField(
            f"Response {index + 1}",
            coerce=int,
            choices=[
                SelectChoice(rating, f"{rating} {RATING_LABELS[rating]}") for rating in RATINGS
            ],
            validators=[Optional()],
            invalid_choice_message="Choose a rating from 1 to 5.",
        )
        for index in range(count)
    }
    return type(f"Rate{count}Form", (RateForm,), {"count": count, **fields})


class OpenForm(ItemForm):
    text = TextAreaField(
        "Your reply",
        validators=[
            Length(
                max=MAX_TEXT_CHARACTERS, message="That is far too long to save. Please shorten it."
            )
        ],
    )
    max_words = 0
    # Autosave keeps an over-long draft so nothing typed is lost; moving on enforces it.
    enforce_word_limit = True

    def typed(self) -> str:
        return (self.text.data or "").replace("\r\n", "\n")

    def words(self) -> int:
        return count_words(self.typed())

    def validate_text(self, field: Field) -> None:
        if self.enforce_word_limit and self.words() > self.max_words:
            raise ValidationError(
                f"Your reply has {self.words()} words. Please shorten it to "
                f"{self.max_words} words or fewer."
            )

    def value(self) -> dict[str, Any] | None:
        return {"text": self.typed()}


def item_form(item: Item, saved: Mapping[str, Any] | None = None) -> ItemForm:
    """The form for `item`, filled from the request on POST, else from `saved`."""
    saved = saved or {}
    form: ItemForm
    if not item.keyed:
        form = OpenForm(data={"text": saved.get("text", "")})
        form.max_words = item.max_words
        return form
    choices = [SelectChoice(index, response.text) for index, response in enumerate(item.responses)]
    if item.answer == "best-worst":
        form = BestWorstForm(data={"best": saved.get("best"), "worst": saved.get("worst")})
        form.best.choices = form.worst.choices = choices
        return form
    ratings = list(saved.get("ratings", []))
    form = rate_form_class(len(choices))(
        data={f"rating_{index}": rating for index, rating in enumerate(ratings)}
    )
    return form


class AboutYouForm(FlaskForm):
    """Fields named after `self_identification.CATEGORIES`, each optional (see
    `about_you_class`)."""

    def answers(self) -> dict[str, str | None]:
        return {category.field: self[category.field].data or None for category in CATEGORIES}


@functools.cache
def about_you_class() -> type[AboutYouForm]:
    fields = {
        category.field: RadioField(
            category.question,
            choices=[SelectChoice(choice, choice) for choice in (*category.choices, PREFER_NOT)],
            validators=[Optional()],
            invalid_choice_message="Choose one of the listed answers, or leave it blank.",
        )
        for category in CATEGORIES
    }
    return type("AboutYouFormWithFields", (AboutYouForm,), fields)
