"""Accounts and the server-side records behind sign-in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    EMPLOYEE = "employee"
    RECRUITER = "recruiter"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def _enum_values(enum_class: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in enum_class]


def string_enum(enum_class: type[enum.StrEnum], length: int = 20) -> Enum:
    """A portable enum column stored as its string values (no native DB type)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=_enum_values,
        validate_strings=True,
        create_constraint=False,
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Unread in-app notifications, kept by coachkit.notifications in the transaction
    # that adds or reads one: the header shows it without a query of its own.
    unread_notifications: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The identity provider's subject (`sub`) this account signs in as, once linked.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Provisioning (SCIM): the provider's userName when it is not the e-mail address,
    # its externalId, and when the provider deleted the account (it is then
    # deactivated and no longer a SCIM resource).
    scim_user_name: Mapped[str | None] = mapped_column(String(255), unique=True)
    scim_external_id: Mapped[str | None] = mapped_column(String(255))
    scim_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # May preview content files (coachkit.authoring), whatever their role; given by admins.
    is_author: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Flask-Login protocol. The id kept in the cookie is the sign-in session's token, so
    # deleting that session on the server signs the cookie out everywhere it was copied.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        token: str | None = getattr(self, "_session_token", None)
        if token is None:
            raise RuntimeError("sign users in with coachkit.auth.sessions.sign_in")
        return token

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AuthSession(Base):
    """One signed-in browser. The primary key is the SHA-256 of the cookie's token."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginAttempt(Base):
    """A sign-in attempt, counted across every app server to throttle guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created_at", "email", "created_at"),
        Index("ix_login_attempts_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordLink(Base):
    """A one-time link an admin issues so a user can set their password."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ThrottleEvent(Base):
    """A request that counts towards a limit (password reset requests, single sign-on
    callbacks), kept in the database so the limit holds across every app server."""

    __tablename__ = "throttle_events"
    __table_args__ = (
        Index("ix_throttle_events_action_key_created_at", "action", "key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(40))
    # Who it counts against: a client address, or the SHA-256 of an e-mail address.
    key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OidcRequest(Base):
    """A single sign-on begun in a browser and not finished yet: what the callback must
    see again. The key is the SHA-256 of `state`; the row is deleted when the callback
    uses it, so a replayed callback finds nothing."""

    __tablename__ = "oidc_requests"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    code_verifier: Mapped[str] = mapped_column(String(128))
    next_path: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
