"""Every dead end of a candidate's link answers with a candidate page in the employer's
name that says what happened and whom to write to, never "Go to sign in", and with the
same no-referrer, no-store headers as every other page under /screening/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import Candidate, Invitation
from tests.conftest import page

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def dead_end(response, status: int) -> str:
    """The page's text, after checking what every dead end has in common."""
    assert response.status_code == status
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    text = page(response)
    assert "Go to sign in" not in text and 'href="/login"' not in text
    assert "fix the customer first" not in text  # the employer's page, not coachkit's
    assert "Brightline Broadband" in text
    return text


def names_the_openings_contact(text: str, people) -> bool:
    return people.recruiter.name in text and f"mailto:{people.recruiter.email}" in text


@pytest.fixture(autouse=True)
def _brand(branded) -> None:
    """Every page here in the employer's name."""


# ---------------------------------------------------------------- links that do not work


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:20],  # cut off
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # mistyped
        lambda token: token + ".",  # a full stop the e-mail program took into the link
    ],
    ids=["cut-off", "mistyped", "trailing-dot"],
)
def test_a_link_that_matches_nothing_explains_how_to_check_it(client, candidate_link, mangle):
    link = candidate_link()
    text = dead_end(client.get(f"/screening/{mangle(link.token)}"), 404)
    assert "We could not find your exercise" in text
    assert "copy all of it" in text and "latest e-mail" in text
    assert "mailto:jobs@brightline.example" in text  # the organisation's contact


@pytest.mark.parametrize("path", ["/screening/", "/screening/x/y/z", "/screening/abc/items/one"])
def test_any_other_address_under_screening_is_the_candidate_404(client, path):
    text = dead_end(client.get(path), 404)
    assert "We could not find your exercise" in text


def test_a_link_cut_off_after_its_token_names_the_openings_contact(client, candidate_link, people):
    link = candidate_link()
    for path in (
        f"{link.url}/items/",
        f"{link.url}/items/99",
        f"{link.url}/revi",
        f"{link.url}/submit",
    ):
        text = dead_end(client.get(path), 404)
        assert "not part of your exercise" in text, path
        assert names_the_openings_contact(text, people), path
        assert f'href="{link.url}"' in text, path  # back to the start


def test_a_link_replaced_by_resend_says_a_newer_one_was_sent(
    app, client, candidate_link, invite, people
):
    link = candidate_link()
    new_token = invite(link.candidate_id)
    text = dead_end(client.get(link.url), 410)
    assert "This link was replaced by a newer one" in text
    assert "latest e-mail" in text and "Care adviser" in text
    assert names_the_openings_contact(text, people)
    dead_end(client.post(link.url, data={"consent": "y"}), 410)
    with app.app_context():
        assert db.session.get(Candidate, link.candidate_id).started_at is None
    assert client.get(f"/screening/{new_token}").status_code == 200  # the new one works


def test_every_older_link_stays_replaced_after_several_resends(client, candidate_link, invite):
    link = candidate_link()
    second = invite(link.candidate_id)
    invite(link.candidate_id)
    for token in (link.token, second):
        assert "replaced by a newer one" in dead_end(client.get(f"/screening/{token}"), 410)


def test_the_reminders_fresh_link_replaces_the_first_too(app, client, candidate_link, people):
    link = candidate_link()
    with app.test_request_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitations.remind(invitation)
        db.session.commit()
    assert "replaced by a newer one" in dead_end(client.get(link.url), 410)


def test_a_replaced_link_is_forgotten_with_the_candidate(app, candidate_link, invite):
    from coachkit.hiring.candidates.deletion import delete_candidate
    from coachkit.hiring.models import ReplacedLink

    link = candidate_link()
    invite(link.candidate_id)
    with app.app_context():
        assert db.session.scalars(select(ReplacedLink)).all() != []
        delete_candidate(db.session.get(Candidate, link.candidate_id))
        db.session.commit()
        assert db.session.scalars(select(ReplacedLink)).all() == []


def test_an_expired_and_a_withdrawn_link_name_the_contact(app, client, candidate_link, people):
    expired, withdrawn = candidate_link(), candidate_link(title="Night adviser")
    with app.app_context():
        rows = {i.candidate_id: i for i in db.session.scalars(select(Invitation))}
        rows[expired.candidate_id].expires_at = utcnow() - timedelta(days=3)
        invitations.revoke(db.session.get(Candidate, withdrawn.candidate_id))
        db.session.commit()
    text = dead_end(client.get(expired.url), 410)
    assert "stopped working on" in text and "(3 days ago)" in text
    assert names_the_openings_contact(text, people)
    text = dead_end(client.get(withdrawn.url), 410)
    assert "has been withdrawn" in text and names_the_openings_contact(text, people)


# ---------------------------------------------------------------- cookies


@pytest.fixture
def csrf_client(app_factory):
    """A browser on an app that checks CSRF tokens, as in production."""
    return app_factory(WTF_CSRF_ENABLED=True).test_client()


def test_a_blocked_cookie_says_cookies_are_needed(app, csrf_client, candidate_link, people):
    link = candidate_link()
    token = CSRF.search(page(csrf_client.get(link.url))).group(1)
    csrf_client.delete_cookie("session")  # the browser refused to keep it
    response = csrf_client.post(link.url, data={"consent": "y", "csrf_token": token})
    text = dead_end(response, 400)
    assert "Cookies are needed for the exercise" in text
    assert "Allow cookies for this site" in text
    assert names_the_openings_contact(text, people)
    assert f'href="{link.url}"' in text
    with app.app_context():
        assert db.session.get(Candidate, link.candidate_id).started_at is None


def test_an_old_form_with_the_cookie_says_to_open_the_link_again(app, csrf_client, candidate_link):
    link = candidate_link()
    csrf_client.get(link.url)
    response = csrf_client.post(link.url, data={"consent": "y", "csrf_token": "stale"})
    text = dead_end(response, 400)
    assert "That page was out of date" in text and "Cookies are needed" not in text
    with app.app_context():
        assert db.session.get(Candidate, link.candidate_id).started_at is None


def test_with_the_cookie_the_exercise_starts(app, csrf_client, candidate_link):
    link = candidate_link()
    token = CSRF.search(page(csrf_client.get(link.url))).group(1)
    response = csrf_client.post(link.url, data={"consent": "y", "csrf_token": token})
    assert response.status_code == 302


def test_a_method_a_candidate_page_does_not_take_still_sends_no_referrer(client, candidate_link):
    response = client.put(candidate_link().url)
    assert response.status_code == 405
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
