"""A candidate's pages in Chromium: the employer's logo and colour load under the
Content Security Policy, the link's expiry shows in the reader's own time zone, and a
quoted customer message wraps as a paragraph."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coachkit import create_app
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import Candidate, Invitation, Opening
from coachkit.organisation import demo as organisation_demo
from tests.browser.conftest import console_errors, serving
from tests.conftest import base_config
from tests.hiring.conftest import EXERCISE

pytestmark = pytest.mark.browser


@pytest.fixture
def candidate_app(databases):
    """An app with the demo brand and one invited candidate; (app, token, expiry)."""
    app = create_app(base_config(databases.new("sqlite")))
    with app.test_request_context():
        db.create_all()
        organisation_demo.create()
        opening = Opening(
            title="Care adviser",
            exercise_slug=EXERCISE,
            contact_name="Riley Chen",
            contact_email="riley@example.com",
            invite_days=14,
            raters_required=2,
        )
        candidate = Candidate(opening=opening, code="T001-X", name="Cam", email="c@example.org")
        db.session.add_all([opening, candidate])
        db.session.flush()
        token = invitations.new_token(candidate)
        expires = db.session.scalar(db.select(Invitation.expires_at))
        db.session.commit()
    return app, token, expires


def test_brand_local_time_and_reflowed_quote(browser, candidate_app):
    from playwright.sync_api import expect

    app, token, expires = candidate_app
    tokyo = expires + timedelta(hours=9)
    with serving(app) as base:
        context = browser.new_context(
            viewport={"width": 390, "height": 800}, timezone_id="Asia/Tokyo", locale="en-GB"
        )
        page = context.new_page()
        errors = console_errors(page)
        page.goto(f"{base}/screening/{token}")
        moment = page.locator("time[data-local-time]")
        expect(moment).to_contain_text("your time")
        assert f"{tokyo:%H:%M}" in moment.inner_text()
        assert moment.get_attribute("title").endswith("UTC")  # the UTC time stays at hand
        assert "(in 14 days)" in page.locator("dd", has=moment).inner_text()
        logo = page.locator(".candidate-header img.candidate-logo")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        band = page.locator(".candidate-header").evaluate(
            "el => getComputedStyle(el).borderTopColor"
        )
        assert band == "rgb(29, 78, 216)"  # the demo's accent, #1d4ed8
        page.get_by_label("I have read this and agree").check()
        page.get_by_role("button", name="Start the exercise").click()
        page.goto(f"{base}/screening/{token}/items/6")
        quote = page.locator(".situation blockquote")
        assert quote.evaluate("el => getComputedStyle(el).whiteSpace") == "normal"
        assert quote.locator("p").count() == 1
        context.close()
    assert errors == []
