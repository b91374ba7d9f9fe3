"""Scheduled reminders found from the data: scans the worker runs on its passes.

A feature registers a scan, a function `scan(now) -> int` that looks for what is due
(assignments due in two days, overdue action items, invitations about to expire) and
calls `notify(..., once=...)` for each, returning how many it notified. Keys of
`once` make a scan idempotent, so it may run every minute and after a restart. A scan
runs in its own transaction, committed by the worker; on PostgreSQL one worker at a
time runs a given scan (an advisory lock), so several workers do not repeat its work.

Register with the feature's blueprint, so the notifications package never imports the
features:

    scans.register_with(bp, "training.due_soon", reminders.due_soon)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import cast

from flask import Blueprint, Flask, current_app
from flask.blueprints import BlueprintSetupState
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError

from coachkit.extensions import db

Scan = Callable[[datetime], int]
_EXTENSION = "coachkit.notification_scans"


def register(app: Flask, name: str, scan: Scan) -> None:
    """Run `scan` on each of the worker's scan passes (a name registers once)."""
    app.extensions.setdefault(_EXTENSION, {})[name] = scan


def register_with(blueprint: Blueprint, name: str, scan: Scan) -> None:
    """Register `scan` on every app the blueprint is registered on."""

    def setup(state: BlueprintSetupState) -> None:
        register(cast(Flask, state.app), name, scan)

    blueprint.record_once(setup)


def registered(app: Flask) -> dict[str, Scan]:
    scans: dict[str, Scan] = app.extensions.get(_EXTENSION, {})
    return dict(scans)


def run_all(now: datetime) -> dict[str, int]:
    """Run every registered scan, each in its own transaction; return what each
    notified. A scan that fails is rolled back and logged, and the others still run;
    a lost database connection stops the pass (the worker waits and tries again)."""
    done: dict[str, int] = {}
    for name, scan in registered(current_app).items():
        try:
            if not _take_turn(name):
                db.session.rollback()
                continue
            done[name] = scan(now)
            db.session.commit()
        except (OperationalError, InterfaceError):
            db.session.rollback()
            raise
        except Exception:
            db.session.rollback()
            current_app.logger.exception("notification scan %s failed", name)
    return done


def _take_turn(name: str) -> bool:
    """Whether this worker runs scan `name` now: on PostgreSQL, unless another worker
    is running it (the lock lasts until this transaction ends); SQLite lets one
    writer at a time in anyway."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}))
