"""Create-forms sent many times at once (a double click, a resent POST, two tabs): one
record is created, and every other request gets a clear answer, never a 500. The
coaching session form is in test_coaching.py."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.auth.password_links import PasswordLink
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, ExerciseVersion, Opening
from tests.concurrency.conftest import WRITERS, post, race, same_browser
from tests.conftest import page, signed_in
from tests.hiring.conftest import opening_form

ALREADY_CANDIDATE = "This e-mail address is already a candidate for this opening."
EMAIL_TAKEN = "Another account already uses this e-mail address."


def count(app: Flask, table: type, *where: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def test_adding_a_candidate_many_times_at_once_adds_one(app, people, make_opening):
    """The same candidate added from several tabs at once, the address typed in
    different cases: one candidate; the others are told the address is taken."""
    opening_id = make_opening()
    tabs = same_browser(app, signed_in(app, people.recruiter), WRITERS)
    emails = ["jo.doe@example.org", "Jo.Doe@Example.ORG"]
    path = f"/hiring/openings/{opening_id}/candidates"
    replies = race(
        [
            post(tab, path, {"name": "Jo Doe", "email": emails[number % 2]})
            for number, tab in enumerate(tabs)
        ]
    )
    added = [r for r in replies if r.status == 302]
    assert len(added) == 1
    assert f"/hiring/openings/{opening_id}/candidates/" in added[0].location
    refused = [r for r in replies if r.status != 302]
    assert all(r.status == 200 and ALREADY_CANDIDATE in r.text for r in refused)
    assert count(app, Candidate) == 1


def test_recruiters_creating_openings_at_once_create_each_one(app, people):
    """Recruiters creating different openings at the same moment, on an exercise no
    opening used before: every opening is created, and the exercise version they are
    pinned to is stored once."""
    browsers = [signed_in(app, people.recruiter), signed_in(app, people.second_recruiter)]
    titles = [f"Care adviser {number}" for number in range(WRITERS)]
    actions = [
        post(same_browser(app, browsers[number % 2], 1)[0], "/hiring/openings/new", form)
        for number, form in enumerate(opening_form(title=title) for title in titles)
    ]
    assert {r.status for r in race(actions)} == {302}
    with app.app_context():
        assert sorted(db.session.scalars(select(Opening.title))) == sorted(titles)
    assert count(app, ExerciseVersion) == 1


def test_an_opening_form_sent_twice_at_once_creates_one_opening(app, people):
    """The form carries a one-time key (as the page renders it): a double click makes
    one opening and both requests land on it; a later resend does too."""
    browser = signed_in(app, people.recruiter)
    key = re.search(
        r'name="submission"[^>]*value="([0-9a-f]+)"', page(browser.get("/hiring/openings/new"))
    )
    assert key is not None
    form = opening_form(submission=key[1])
    tabs = same_browser(app, browser, WRITERS)
    replies = race([post(tab, "/hiring/openings/new", form) for tab in tabs])
    assert {r.status for r in replies} == {302}
    assert len({r.location for r in replies}) == 1
    assert count(app, Opening) == 1
    again = browser.post("/hiring/openings/new", data=form)
    assert again.status_code == 302 and again.location == replies[0].location
    assert count(app, Opening) == 1


def test_an_admin_creating_the_same_account_many_times_at_once_creates_one(app, people):
    """One account, one set-password link; every other request shows the form again
    with the address marked as taken."""
    tabs = same_browser(app, signed_in(app, people.admin), WRITERS)
    form = {"email": "new.person@example.org", "name": "New Person", "role": "employee"}
    replies = race([post(tab, "/people/new", form) for tab in tabs])
    assert {r.status for r in replies} == {200}
    created = [r for r in replies if "Account created for New Person" in r.text]
    assert len(created) == 1
    assert all(EMAIL_TAKEN in r.text for r in replies if r not in created)
    assert count(app, User, User.email == "new.person@example.org", User.role == Role.EMPLOYEE) == 1
    assert count(app, PasswordLink) == 1
