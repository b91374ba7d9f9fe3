"""`flask xapi backfill` queues the history of a date range once: running it again
queues nothing already queued, and what it sends reaches the LRS once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from coachkit.auth.models import Role
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.training.models import Attempt
from tests.conftest import signed_in
from tests.xapi.play import play, queued


def backfill(app, *args):
    return app.test_cli_runner().invoke(args=["xapi", "backfill", *args])


def test_backfill_is_idempotent(app_factory, app, make_user, run_pass, lrs):
    quiet = app_factory(XAPI_ENDPOINT="")  # history made before the LRS was set up
    first = play(signed_in(quiet, make_user(Role.EMPLOYEE)))
    second = play(signed_in(quiet, make_user(Role.EMPLOYEE)))
    with quiet.app_context():  # one made before attempts had a registration
        db.session.execute(update(Attempt).where(Attempt.id == second).values(registration=None))
        old = utcnow() - timedelta(days=40)
        db.session.execute(update(Attempt).where(Attempt.id == first).values(started_at=old))
        db.session.commit()
    assert queued(app) == []
    today = utcnow().date()

    recent = backfill(app, "--since", str(today - timedelta(days=7)))
    assert recent.exit_code == 0, recent.output
    assert "Queued 7 statements for 1 attempts" in recent.output
    assert queued(app, ("attempt", first)) == []  # begun before --since
    made = queued(app, ("attempt", second))
    assert len(made) == 7 and len({s["context"]["registration"] for s in made}) == 1

    until = str(today + timedelta(days=1))
    again = backfill(app, "--since", str(today - timedelta(days=60)), "--until", until)
    assert "Queued 7 statements for 2 attempts" in again.output  # only the older one's
    assert backfill(app, "--since", str(today - timedelta(days=60))).output.startswith(
        "Queued 0 statements"
    )
    sent = queued(app)
    assert run_pass().deliveries.sent == len(sent) == 14
    for statement in sent:
        assert len(lrs.statement(statement["id"])) == 1


def test_backfill_needs_an_endpoint_and_a_sane_range(app_factory, app):
    quiet = app_factory(XAPI_ENDPOINT="")
    assert "XAPI_ENDPOINT is not set" in backfill(quiet, "--since", "2026-01-01").output
    refused = backfill(app, "--since", "2026-02-01", "--until", "2026-01-01")
    assert refused.exit_code != 0 and "must be after --since" in refused.output
    assert backfill(app, "--since", "yesterday").exit_code != 0
