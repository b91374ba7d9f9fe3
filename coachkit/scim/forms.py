"""The form that names a new SCIM token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired(message="Name the token after what will use it."),
            Length(max=120, message="Use at most 120 characters."),
        ],
        description="What will use it, e.g. “Microsoft Entra ID provisioning”.",
    )
