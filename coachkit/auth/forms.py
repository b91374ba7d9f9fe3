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


class SingleSignOnForm(FlaskForm):
    """The single sign-on button: a POST, so a page elsewhere cannot start a sign-in."""

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


def _one_time_key(value: str | None) -> str | None:
    """The posted key if it looks like one the page issued (hex, at most 64 characters);
    anything else counts as no key, so a tampered value never blocks a save."""
    if value and len(value) <= 64 and all(char in "0123456789abcdef" for char in value):
        return value
    return None


def submission_key_field() -> HiddenField:
    """A create form's one-time key (a fresh uuid4 hex per page): the same form posted
    twice creates one record. See CoachingSession and Opening `submission_key`."""
    return HiddenField(filters=[_one_time_key])


def email_key(raw: str) -> str:
    """The form in which e-mail addresses are stored and compared."""
    return raw.strip().lower()
