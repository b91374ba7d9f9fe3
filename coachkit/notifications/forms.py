"""The delivery forms: a person's preferences and the organisation defaults."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from coachkit.notifications.kinds import Delivery, Kind


class DeliveryForm(FlaskForm):
    """One choice of delivery per kind; the fields are added for the kinds shown."""


def delivery_form(kinds: Sequence[Kind], current: Mapping[Kind, Delivery]) -> DeliveryForm:
    """A form with a field per kind (named after it), preset to `current`. Only the
    kinds listed can be posted: anything else in the request is ignored."""

    class Form(DeliveryForm):
        pass

    for kind in kinds:
        options = [d for d in Delivery if kind.digestible or d is not Delivery.DIGEST]
        field = RadioField(
            kind.label,
            choices=[SelectChoice(d.value, d.label) for d in options],
            default=current[kind].value,
            validators=[InputRequired("Choose how this reaches you.")],
        )
        setattr(Form, kind.value, field)
    return Form()


def chosen(form: DeliveryForm, kinds: Sequence[Kind]) -> dict[Kind, Delivery]:
    """The delivery posted for each kind (after `validate_on_submit`)."""
    return {kind: Delivery(form[kind.value].data) for kind in kinds}
