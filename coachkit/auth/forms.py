"""Sign-in and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class NewPasswordForm(FlaskForm):
    """Choose a password: the policy is checked in the view, with the user's details."""

    password = PasswordField(
        "New password",
        validators=[DataRequired()],
        description="At least 12 characters. A few unrelated words make a strong passphrase.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class ActionForm(FlaskForm):
    """A form with only a CSRF token, behind a button that changes state."""


def email_key(raw: str) -> str:
    """The form in which e-mail addresses are stored and compared."""
    return raw.strip().lower()
