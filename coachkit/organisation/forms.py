"""The organisation settings form: every value checked before anything is saved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, EmailField, StringField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from coachkit.organisation import logo
from coachkit.organisation.logo import Logo, LogoRefused


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(FlaskForm):
    name = StringField(
        "Organisation name",
        filters=[_stripped],
        validators=[DataRequired("Enter your organisation's name."), Length(max=120)],
        description="Shown at the top of every candidate page.",
    )
    accent_colour = StringField(
        "Accent colour",
        filters=[_stripped],
        validators=[
            Optional(),
            Regexp(
                r"^#[0-9a-fA-F]{6}$",
                message="Give the colour as # and six hexadecimal digits, like #0f766e.",
            ),
        ],
        description="Optional. As # and six hexadecimal digits, like #0f766e; used for the "
        "band at the top of candidate pages and their main buttons.",
        render_kw={"placeholder": "#0f766e", "autocomplete": "off"},
    )
    privacy_url = URLField(
        "Privacy notice",
        filters=[_stripped],
        validators=[Optional(), Length(max=500)],
        description="Optional. The web address of your privacy notice for applicants, "
        "starting with https://.",
        render_kw={"placeholder": "https://"},
    )
    contact_email = EmailField(
        "Contact for candidates",
        filters=[_stripped],
        validators=[
            Optional(),
            Length(max=254),
            Email(message="Enter a valid e-mail address, like jobs@example.com."),
        ],
        description="Optional. Named on the page a candidate sees when a link is mistyped "
        "or cut off (so no opening can be told); each opening's own contact is named "
        "everywhere else.",
    )
    logo = FileField(
        "Logo",
        description=f"Optional. PNG, JPEG or WebP, up to {logo.MAX_BYTES // 1024} KB. It is "
        f"re-saved as PNG, at most {logo.MAX_SIDE} pixels on its longer side.",
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    remove_logo = BooleanField("Remove the current logo")

    prepared_logo: Logo | None = None

    def validate_privacy_url(self, field: URLField) -> None:
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError(
                "Give the full web address, starting with https://, like "
                "https://example.com/privacy."
            )
        if any(ord(char) < 33 for char in field.data):
            raise ValidationError("The web address cannot contain spaces.")

    def validate_logo(self, field: FileField) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        data = upload.stream.read(logo.MAX_BYTES + 1)
        try:
            self.prepared_logo = logo.prepare(data)
        except LogoRefused as refused:
            raise ValidationError(str(refused)) from refused
