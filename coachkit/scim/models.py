"""Bearer tokens of identity providers, SCIM groups (each a team's members or its
managers) and the audit of every change made through SCIM."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.teams.models import Position, Team


class ScimToken(Base):
    """A bearer token an identity provider provisions with. Only its SHA-256 is kept."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScimGroup(Base):
    """A group as the identity provider knows it: the members, or the managers, of one
    team (a group named by SCIM_MANAGER_GROUP_SUFFIX holds the managers)."""

    __tablename__ = "scim_groups"
    # Ids are never used again (on SQLite too): a provider that still holds a deleted
    # group's id must not reach a newer group with it.
    __table_args__ = (UniqueConstraint("team_id", "position"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(255), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(255))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    position: Mapped[Position] = mapped_column(string_enum(Position))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()


class ScimEvent(Base):
    """One change made through SCIM, or to its tokens: who (the token, or the admin),
    what, to which resource."""

    __tablename__ = "scim_events"
    __table_args__ = (Index("ix_scim_events_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("scim_tokens.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(40))
    resource_type: Mapped[str] = mapped_column(String(20))
    resource_id: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
