"""/admin/xapi: admins see what was sent, waits and failed, and may retry the failed."""

from __future__ import annotations

import re

from sqlalchemy import update

from coachkit.auth.models import Role
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.extensions import db
from tests.conftest import page, signed_in
from tests.xapi.play import play

STAT = re.compile(r'stat-number">(\d+)</span> <span class="stat-label">(\w+)<')


def test_admins_see_the_counts_and_retry_failures(app, make_user, run_pass):
    play(signed_in(app, make_user(Role.EMPLOYEE)))
    run_pass()
    with app.app_context():
        db.session.execute(
            update(HttpDelivery)
            .where(HttpDelivery.id == db.session.query(HttpDelivery.id).limit(1).scalar_subquery())
            .values(state=DeliveryState.FAILED, last_error="HTTP 400: bad statement")
        )
        db.session.commit()
    admin = signed_in(app, make_user(Role.ADMIN))
    shown = page(admin.get("/admin/xapi/"))
    assert "Learning records (xAPI)" in shown and "HTTP 400: bad statement" in shown
    counts = dict((label, int(n)) for n, label in STAT.findall(shown))
    assert counts == {"Sent": 6, "Waiting": 0, "Failed": 1}
    done = admin.post("/admin/xapi/retry")
    assert done.status_code == 302 and done.headers["Location"] == "/admin/xapi/"
    assert "1 failed statement will be sent again" in page(admin.get("/admin/xapi/"))
    assert run_pass().deliveries.sent == 1


def test_only_admins_reach_the_page(app, make_user):
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.RECRUITER):
        client = signed_in(app, make_user(role))
        assert client.get("/admin/xapi/").status_code in (403, 404)
        assert client.post("/admin/xapi/retry").status_code in (403, 404)
    assert app.test_client().get("/admin/xapi/").status_code == 302  # to sign in
