"""The audit of provisioning: every change made through SCIM, and every token made or
revoked, written in the transaction of the change."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.extensions import db
from coachkit.scim.models import ScimEvent, ScimToken


def record(
    actor: ScimToken | str, action: str, resource_type: str, resource_id: object, summary: str
) -> None:
    """Add an audit entry; `actor` is the token that made the change or an admin's name."""
    token = actor if isinstance(actor, ScimToken) else None
    db.session.add(
        ScimEvent(
            token_id=token.id if token else None,
            actor=f"token {token.name}" if token else str(actor),
            action=action,
            resource_type=resource_type,
            resource_id=str(resource_id)[:64],
            summary=summary[:500],
        )
    )


def recent(limit: int = 100) -> list[ScimEvent]:
    return list(db.session.scalars(select(ScimEvent).order_by(ScimEvent.id.desc()).limit(limit)))
