"""The form that names a new partner key."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class PartnerKeyForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired(message="Name the key after who will use it."),
            Length(max=120, message="Use at most 120 characters."),
        ],
        description="Who will use it, e.g. “Greenhouse (Acme)”.",
    )
