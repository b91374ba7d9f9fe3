"""Which coachkit account a single sign-on is for.

An account is linked only by an e-mail address the provider says is verified, in a
domain of OIDC_ALLOWED_DOMAINS; once linked it follows the provider's subject (`sub`).
Deactivated accounts are refused; a new account (an employee) is made only when
OIDC_CREATE_ACCOUNTS is on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select

from coachkit.auth.forms import email_key
from coachkit.auth.models import Role, User
from coachkit.extensions import db


class SignInRefused(Exception):
    """The single sign-on cannot go on: `message` is for the person, `reason` for the log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


UNVERIFIED = (
    "Your identity provider has not verified your e-mail address, so coachkit cannot link "
    "it to an account."
)
OTHER_DOMAIN = "Sign-in with {label} is for addresses at {domains}; ask an administrator."
NO_ACCOUNT = "There is no coachkit account for {email}. Ask an administrator to add you."
DEACTIVATED = "Your coachkit account is deactivated. Ask an administrator."
LINKED_ELSEWHERE = (
    "The coachkit account for {email} is linked to another identity. Ask an administrator."
)


def account_for(claims: Mapping[str, Any]) -> User:
    """The active account the verified, allowed e-mail address of `claims` belongs to,
    linked to the provider's subject (created when OIDC_CREATE_ACCOUNTS is on)."""
    config = current_app.config
    email = email_key(str(claims.get("email") or ""))
    if not email or not _verified(claims):
        raise SignInRefused(UNVERIFIED, f"e-mail {email or 'missing'} not verified")
    domains = config["OIDC_ALLOWED_DOMAINS"]
    if email.rpartition("@")[2] not in domains:
        message = OTHER_DOMAIN.format(label=config["OIDC_BUTTON_LABEL"], domains=", ".join(domains))
        raise SignInRefused(message, "e-mail domain not allowed")
    subject = str(claims["sub"])
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.oidc_subject not in (None, subject):
            raise SignInRefused(LINKED_ELSEWHERE.format(email=email), "linked to another sub")
    if user is None:
        if not config["OIDC_CREATE_ACCOUNTS"]:
            raise SignInRefused(NO_ACCOUNT.format(email=email), "no account")
        name = str(claims.get("name") or email.partition("@")[0])[:120]
        user = User(email=email, name=name, role=Role.EMPLOYEE, active=True)
        db.session.add(user)
    if not user.active:
        raise SignInRefused(DEACTIVATED, "account deactivated")
    user.oidc_subject = subject
    db.session.flush()
    return user


def _verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the address: `email_verified`, or, where a
    provider sends none (Microsoft Entra ID), `xms_edov` (the domain owner verified it)."""
    verified = claims.get("email_verified", claims.get("xms_edov"))
    return verified is True or str(verified).lower() == "true"
