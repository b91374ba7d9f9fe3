"""Keys of notifications made once only (see `Occasion`).

A key names the kind, the object, the occasion and the recipient, e.g.
`module_due_soon|assignment:42:due-soon|u7`: a reminder scan may run every minute, on
several workers at once, and still notify each person once per occasion.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from coachkit.database import upsert
from coachkit.extensions import db
from coachkit.notifications.models import Occasion

MAX_KEY = 255


def key(kind: str, occasion: str, recipient: str) -> str:
    """The key of `occasion` of `kind` for one recipient ("u7", or an address digest)."""
    made = f"{kind}|{occasion}|{recipient}"
    if len(made) > MAX_KEY:
        raise ValueError(f"occasion key longer than {MAX_KEY} characters: {made[:60]}...")
    return made


def claim(keys: Sequence[str]) -> set[str]:
    """Record `keys`; return those not recorded before (in this transaction's view:
    on PostgreSQL a parallel transaction holding the same key is waited for)."""
    if not keys:
        return set()
    statement = (
        upsert(Occasion)
        .values([{"key": each} for each in keys])
        .on_conflict_do_nothing()
        .returning(Occasion.key)
    )
    return set(db.session.scalars(statement))


def recorded(keys: Sequence[str], *, chunk: int = 500) -> set[str]:
    """Those of `keys` recorded already (looked up `chunk` at a time), so that a scan
    need not try to claim what it did on an earlier pass."""
    found: set[str] = set()
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        found.update(db.session.scalars(select(Occasion.key).where(Occasion.key.in_(part))))
    return found
