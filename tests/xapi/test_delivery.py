"""Statements survive an LRS outage and arrive exactly once; a statement sent again
(a worker that died before recording it) is not stored twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from coachkit.auth.models import Role
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.extensions import db
from tests.conftest import signed_in
from tests.xapi.play import play, queued


@pytest.mark.parametrize("xapi_settings", [{"DELIVERY_RETRY_SECONDS": 0}])
def test_after_an_outage_each_statement_arrives_once(app, make_user, run_pass, live_lrs):
    live_lrs.stop()
    attempt_id = play(signed_in(app, make_user(Role.EMPLOYEE)))
    sent = queued(app, ("attempt", attempt_id))
    down = run_pass()
    assert (down.deliveries.sent, down.deliveries.unreachable) == (0, 1)
    with app.app_context():
        states = db.session.execute(select(HttpDelivery.state, HttpDelivery.attempts)).all()
        assert {tuple(each) for each in states} == {(DeliveryState.WAITING, 0)}
    live_lrs.start()
    assert run_pass().deliveries.sent == len(sent)
    assert run_pass().deliveries.sent == 0
    for statement in sent:
        assert len(live_lrs.statement(statement["id"])) == 1


def test_a_statement_sent_again_is_stored_once(app, make_user, run_pass, lrs):
    attempt_id = play(signed_in(app, make_user(Role.EMPLOYEE)))
    sent = queued(app, ("attempt", attempt_id))
    assert run_pass().deliveries.sent == len(sent)
    with app.app_context():  # as if the worker died after sending, before recording
        db.session.execute(update(HttpDelivery).values(state=DeliveryState.WAITING))
        db.session.commit()
    assert run_pass().deliveries.sent == len(sent)  # the LRS knows them: 204
    for statement in sent:
        assert len(lrs.statement(statement["id"])) == 1


@pytest.mark.parametrize("xapi_settings", [{"XAPI_PASSWORD": "wrong"}])
def test_refused_credentials_fail_and_show_to_admins(app, make_user, run_pass):
    play(signed_in(app, make_user(Role.EMPLOYEE)))
    result = run_pass()
    assert result.deliveries.failed == len(queued(app)) and result.deliveries.sent == 0
    admin = signed_in(app, make_user(Role.ADMIN))
    shown = admin.get("/admin/xapi/").get_data(as_text=True)
    assert "HTTP 401" in shown and "completed" in shown
