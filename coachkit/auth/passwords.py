"""Password hashing (argon2) and the password policy."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

# zxcvbn scores 0-4; 3 means "safely unguessable" against an online attack.
MIN_STRENGTH = 3
MAX_LENGTH = 256
# Verified against when the account does not exist, so both paths take the same time.
_DUMMY_PASSWORD = "coachkit timing equaliser"  # noqa: S105


def _hasher() -> PasswordHasher:
    if current_app.config.get("ARGON2_CHEAPEST"):  # tests only: hashing in microseconds
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


@functools.cache
def _dummy_hash(cheapest: bool) -> str:
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST) if cheapest else PasswordHasher()
    return hasher.hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and fail."""
    hasher = _hasher()
    try:
        if password_hash is None:
            # One verification, as for a real account: the timing reveals nothing.
            hasher.verify(_dummy_hash(bool(current_app.config.get("ARGON2_CHEAPEST"))), password)
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str, *, personal: list[str]) -> str | None:
    """Why `password` is not acceptable, or None. `personal` holds name and e-mail."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    inputs = [part for text in personal for part in text.replace("@", " ").split() if part]
    verdict = zxcvbn(password[:100], user_inputs=inputs)
    if verdict["score"] < MIN_STRENGTH:
        return (
            "This password is too common or too easy to guess. Try a passphrase of "
            "a few unrelated words."
        )
    return None
