"""Calibration rounds: who may set one up and open it, blind rating until hand-in,
hand-in once, closing, and bad input that saves nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.calibration.models import CalibrationRating, CalibrationRound, CalibrationSeat
from coachkit.extensions import db
from coachkit.notifications.models import Notification
from tests.calibration.conftest import SLUG, only_round, rate_form, round_form
from tests.conftest import page, signed_in


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def round_id(app, cast) -> int:
    response = signed_in(app, cast.manager).post("/calibration/new", data=round_form(cast))
    assert response.status_code == 302
    return only_round(app).id


def skills(app) -> int:
    return len(only_round(app).skills)


def test_employees_and_recruiters_are_refused(app, cast):
    for person in (cast.employee, cast.recruiter, cast.learner):
        client = signed_in(app, person)
        assert client.get("/calibration/").status_code == 403
        assert client.get("/calibration/new").status_code == 403
        assert client.post("/calibration/new", data=round_form(cast)).status_code == 403
    assert count(app, CalibrationRound) == 0


def test_a_manager_sets_up_a_round_and_the_invited_are_told(app, cast, round_id):
    found = only_round(app)
    assert found.module_slug == SLUG and found.skills
    with app.app_context():
        seats = db.session.scalars(select(CalibrationSeat.user_id)).all()
        told = db.session.scalars(
            select(Notification.recipient_id).where(Notification.kind == "calibration_invited")
        ).all()
    assert sorted(seats) == sorted([cast.manager.id, cast.peer.id, cast.admin.id])
    assert sorted(told) == sorted([cast.peer.id, cast.admin.id])  # not the organiser


def test_the_conversation_shows_without_the_learners_name_or_reflection(app, cast, round_id):
    body = page(signed_in(app, cast.peer).get(f"/calibration/{round_id}"))
    assert "Your ratings" in body
    assert cast.learner.name not in body and "I would listen more" not in body


def test_only_raters_and_admins_open_a_round(app, cast, round_id):
    assert signed_in(app, cast.other).get(f"/calibration/{round_id}").status_code == 404
    assert signed_in(app, cast.other).post(f"/calibration/{round_id}/rate").status_code == 404
    other_admin_client = signed_in(app, cast.admin)
    assert other_admin_client.get(f"/calibration/{round_id}").status_code == 200
    listing = page(signed_in(app, cast.other).get("/calibration/"))
    assert "Billing calibration" not in listing
    assert "Billing calibration" in page(signed_in(app, cast.peer).get("/calibration/"))


def test_a_manager_cannot_use_an_attempt_outside_their_teams(app, cast, make_user, make_team):
    stranger = make_user(name="Stan Stranger")
    make_team("Elsewhere", [cast.other], [stranger])
    from coachkit.auth.models import User
    from tests.conftest import play_through

    with app.app_context():
        foreign = play_through(db.session.get(User, stranger.id), SLUG, "x")
        db.session.commit()
    client = signed_in(app, cast.manager)
    form_page = page(client.get("/calibration/new"))
    assert "Stan Stranger" not in form_page and "Lee Learner: " in form_page
    response = client.post("/calibration/new", data=round_form(cast, attempt=str(foreign)))
    assert response.status_code == 422
    assert "Choose one of the listed conversations." in page(response)
    assert count(app, CalibrationRound) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Give the round a title."),
        ({"title": "x" * 121}, "Keep the title to 120 characters."),
        ({"raters": []}, "Choose at least one other manager to rate with you."),
        ({"raters": ["999999"]}, "Choose managers from the list."),
        ({"attempt": "nonsense"}, "Choose one of the listed conversations."),
    ],
)
def test_bad_input_setting_up_saves_nothing_and_keeps_the_rest(app, cast, changes, message):
    response = signed_in(app, cast.manager).post(
        "/calibration/new", data=round_form(cast, **changes)
    )
    assert response.status_code == 422
    body = page(response)
    assert message in body
    if "title" not in changes:
        assert 'value="Billing calibration"' in body
    assert count(app, CalibrationRound) == 0


def test_ratings_stay_hidden_until_you_hand_in_yours(app, cast, round_id):
    n = skills(app)
    organiser = signed_in(app, cast.manager)
    assert (
        organiser.post(
            f"/calibration/{round_id}/rate", data=rate_form(n, 5, note="Maya's secret note")
        ).status_code
        == 302
    )
    peer = signed_in(app, cast.peer)
    before = page(peer.get(f"/calibration/{round_id}"))
    assert "Maya's secret note" not in before and "How the managers rated" not in before
    assert "once you have handed in yours" not in before  # the form shows instead
    # an admin rating in this round is blind too, admin or not
    admin_before = page(signed_in(app, cast.admin).get(f"/calibration/{round_id}"))
    assert "Maya's secret note" not in admin_before
    assert peer.post(f"/calibration/{round_id}/rate", data=rate_form(n, 3)).status_code == 302
    after = page(peer.get(f"/calibration/{round_id}"))
    assert "Maya's secret note" in after and "How the managers rated" in after


def test_an_admin_who_does_not_rate_sees_the_results(app, cast, make_user, round_id):
    from coachkit.auth.models import Role

    onlooker = make_user(Role.ADMIN, name="Oona Onlooker")
    signed_in(app, cast.manager).post(
        f"/calibration/{round_id}/rate", data=rate_form(skills(app), 4, note="visible")
    )
    body = page(signed_in(app, onlooker).get(f"/calibration/{round_id}"))
    assert "How the managers rated" in body and "visible" in body


def test_a_missing_rating_saves_nothing_and_keeps_the_others(app, cast, round_id):
    n = skills(app)
    data = rate_form(n, 4, note="kept note")
    del data["rating_1"]
    response = signed_in(app, cast.peer).post(f"/calibration/{round_id}/rate", data=data)
    assert response.status_code == 422
    body = page(response)
    assert "Rate this skill from 1 to 5." in body and "kept note" in body
    assert 'id="rating_0-4" name="rating_0" value="4" required checked' in body
    assert count(app, CalibrationRating) == 0


@pytest.mark.parametrize("bad", ["0", "6", "three"])
def test_a_rating_off_the_scale_is_refused(app, cast, round_id, bad):
    data = rate_form(skills(app), 3)
    data["rating_0"] = bad
    response = signed_in(app, cast.peer).post(f"/calibration/{round_id}/rate", data=data)
    assert response.status_code == 422 and "Rate this skill from 1 to 5." in page(response)
    assert count(app, CalibrationRating) == 0


def test_handing_in_twice_records_once_and_the_last_closes_the_round(app, cast, round_id):
    n = skills(app)
    peer = signed_in(app, cast.peer)
    assert peer.post(f"/calibration/{round_id}/rate", data=rate_form(n, 2)).status_code == 302
    assert peer.post(f"/calibration/{round_id}/rate", data=rate_form(n, 5)).status_code == 302
    with app.app_context():
        ratings = db.session.scalars(select(CalibrationRating.rating)).all()
    assert ratings == [2] * n
    assert only_round(app).closed_at is None
    for person in (cast.manager, cast.admin):
        signed_in(app, person).post(f"/calibration/{round_id}/rate", data=rate_form(n, 3))
    assert only_round(app).closed_at is not None


def test_only_the_organiser_or_an_admin_closes_and_then_nobody_rates(app, cast, round_id):
    assert signed_in(app, cast.peer).post(f"/calibration/{round_id}/close").status_code == 403
    assert only_round(app).closed_at is None
    assert signed_in(app, cast.manager).post(f"/calibration/{round_id}/close").status_code == 302
    assert only_round(app).closed_at is not None
    response = signed_in(app, cast.peer).post(
        f"/calibration/{round_id}/rate", data=rate_form(skills(app))
    )
    assert response.status_code == 302
    assert count(app, CalibrationRating) == 0


def test_the_round_survives_the_attempt_being_deleted(app, cast, round_id):
    from coachkit.rollups import recount
    from coachkit.training.models import Attempt

    with app.app_context():
        db.session.delete(db.session.get(Attempt, cast.attempt_id))
        recount()  # the database cascade to its steps bypasses the rollups' flush events
        db.session.commit()
    body = page(signed_in(app, cast.peer).get(f"/calibration/{round_id}"))
    assert "The practice conversation was deleted" in body


def test_the_round_page_costs_the_same_with_more_raters(app, cast, make_user, count_queries):
    from coachkit.auth.models import Role

    def set_up(raters: int) -> tuple[int, object]:
        extra = [make_user(Role.MANAGER) for _ in range(raters)]
        organiser = signed_in(app, cast.manager)
        data = round_form(cast, raters=[str(p.id) for p in [cast.peer, *extra]])
        organiser.post("/calibration/new", data=data)
        with app.app_context():
            rid = db.session.scalar(select(func.max(CalibrationRound.id)))
            n = len(db.session.get(CalibrationRound, rid).skills)
        for person in [cast.peer, *extra]:
            signed_in(app, person).post(f"/calibration/{rid}/rate", data=rate_form(n, 3))
        organiser.post(f"/calibration/{rid}/rate", data=rate_form(n, 4))
        return rid, organiser

    small, client = set_up(1)
    large, _ = set_up(6)
    costs = [count_queries(lambda r=r: client.get(f"/calibration/{r}")) for r in (small, large)]
    assert costs[0] == costs[1]
