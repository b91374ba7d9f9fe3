"""The recruiter's openings: who may use the hiring pages, the openings list, creating,
editing, closing and reopening an opening, its page, and the recruiter's home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, CandidateStatus, Opening, RaterScore
from tests.conftest import page, signed_in
from tests.hiring.conftest import EXERCISE, OPEN_ITEM, opening_form, rate, status_of, words

OTHER_EXERCISE = "renewal-season"


def opening_urls(opening_id: int, candidate_id: int) -> list[tuple[str, str]]:
    """Every recruiter page of one opening and one of its candidates, as (method, URL)."""
    base = f"/hiring/openings/{opening_id}"
    person = f"{base}/candidates/{candidate_id}"
    return [
        ("GET", base),
        ("GET", f"{base}/edit"),
        ("POST", f"{base}/edit"),
        ("POST", f"{base}/close"),
        ("POST", f"{base}/reopen"),
        ("GET", f"{base}/candidates"),
        ("POST", f"{base}/candidates"),
        ("POST", f"{base}/candidates/upload"),
        ("POST", f"{base}/candidates/bulk"),
        ("POST", f"{base}/invite-all"),
        ("GET", f"{base}/invite-links"),
        ("GET", f"{base}/compare"),
        ("GET", f"{base}/compare.csv"),
        ("GET", person),
        ("POST", f"{person}/invite"),
        ("POST", f"{person}/revoke"),
        ("POST", f"{person}/decision"),
        ("POST", f"{person}/notes"),
        ("POST", f"{person}/delete"),
    ]


def all_urls(opening_id: int, candidate_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/hiring/"),
        ("GET", "/hiring/openings/new"),
        ("POST", "/hiring/openings/new"),
        *opening_urls(opening_id, candidate_id),
    ]


def form_data(**changes: object) -> dict[str, object]:
    defaults = {
        "description": "Evenings and weekends.",
        "time_limit_minutes": "20",
        "invite_days": "10",
        "contact_email": "riley@example.com",
    }
    return opening_form(**(defaults | changes))


def opening_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Opening.id)))


# Access ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE])
def test_managers_and_employees_are_refused_everywhere(
    app, people, make_opening, make_candidate, role
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.manager if role == Role.MANAGER else people.employee)
    for method, url in all_urls(opening_id, candidate_id):
        assert client.open(url, method=method).status_code == 403, (method, url)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.NEW


def test_anonymous_visitors_are_sent_to_sign_in(client, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    for method, url in all_urls(opening_id, candidate_id):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)


@pytest.mark.parametrize("who", ["recruiter", "admin"])
def test_recruiters_and_admins_may_use_the_pages(app, people, make_opening, make_candidate, who):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, getattr(people, who))
    for method, url in all_urls(opening_id, candidate_id):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_an_opening_that_does_not_exist_is_not_found(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    for method, url in opening_urls(opening_id + 1000, candidate_id):
        assert client.open(url, method=method).status_code == 404, (method, url)


def test_a_candidate_of_another_opening_is_not_found(app, people, make_opening, make_candidate):
    opening_id, other_id = make_opening("Care adviser"), make_opening("Shop assistant")
    theirs = make_candidate(other_id)
    client = signed_in(app, people.recruiter)
    person = f"/hiring/openings/{opening_id}/candidates/{theirs}"
    for method, url in [
        ("GET", person),
        ("POST", f"{person}/invite"),
        ("POST", f"{person}/revoke"),
        ("POST", f"{person}/decision"),
        ("POST", f"{person}/notes"),
        ("POST", f"{person}/delete"),
    ]:
        assert client.open(url, method=method, data={"confirm": "y"}).status_code == 404, url
    with app.app_context():
        assert db.session.get(Candidate, theirs) is not None


# The openings list -----------------------------------------------------------------


def test_list_shows_open_openings_first_with_counts_per_status(
    app, people, make_opening, make_candidate, invite
):
    closed = make_opening("Archive clerk", closed_at=utcnow() - timedelta(days=3))
    opening_id = make_opening("Zebra keeper")
    for _ in range(2):
        make_candidate(opening_id)
    invite(make_candidate(opening_id))
    make_candidate(closed)
    text = words(signed_in(app, people.recruiter).get("/hiring/"))
    assert text.index("Zebra keeper") < text.index("Archive clerk")
    assert "An afternoon on the help line" in text
    assert "joins Care" in text
    assert "3 candidates" in text
    assert "2 new" in text
    assert "1 invited" in text
    assert "Closed" in text
    assert "New opening" in text


def test_list_runs_the_same_queries_for_few_and_many_openings(
    app, people, make_opening, make_candidate, count_queries
):
    client = signed_in(app, people.recruiter)

    def grow(count: int) -> int:
        for number in range(count):
            make_candidate(make_opening(f"Opening {number}"))
        return count_queries(lambda: client.get("/hiring/"))

    assert grow(2) == grow(18)


# Creating and editing --------------------------------------------------------------


def test_new_opening_form_has_sensible_defaults(app, people):
    app.config["HIRING_INVITE_DAYS"] = 21
    text = page(signed_in(app, people.recruiter).get("/hiring/openings/new"))
    assert 'value="21"' in text
    assert f'value="{people.recruiter.email}"' in text
    assert f'value="{people.recruiter.name}"' in text
    assert "Contact centre, about 13 minutes" in text
    assert "Care" in text  # the team list


def test_recruiter_creates_an_opening(app, people):
    client = signed_in(app, people.recruiter)
    response = client.post(
        "/hiring/openings/new",
        data=form_data(team_id=str(people.team_id), contact_email="Riley@Example.COM"),
    )
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.scalar(select(Opening))
        assert response.headers["Location"] == f"/hiring/openings/{opening.id}"
        assert (opening.title, opening.exercise_slug, opening.team_id) == (
            "Care adviser",
            EXERCISE,
            people.team_id,
        )
        assert (opening.time_limit_minutes, opening.invite_days, opening.raters_required) == (
            20,
            10,
            2,
        )
        assert opening.contact_email == "riley@example.com"
        assert opening.created_by_id == people.recruiter.id
        assert opening.is_open
        # Pinned to the exercise as it is now, so later edits to the file change nothing.
        assert opening.exercise_slug == EXERCISE
        assert opening.exercise_version == library().exercises[EXERCISE].version


def test_time_limit_is_optional(app, people):
    client = signed_in(app, people.recruiter)
    assert (
        client.post("/hiring/openings/new", data=form_data(time_limit_minutes="")).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(Opening.time_limit_minutes)) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Enter the title of the role."),
        ({"title": "x" * 161}, "Keep the title under 161 characters."),
        ({"exercise_slug": "no-such-exercise"}, "Choose one of the listed exercises."),
        ({"team_id": "999999"}, "Choose one of the listed teams."),
        ({"time_limit_minutes": "4"}, "Enter a whole number from 5 to 120."),
        ({"time_limit_minutes": "121"}, "Enter a whole number from 5 to 120."),
        ({"time_limit_minutes": "ten"}, "Enter a whole number from 5 to 120."),
        ({"invite_days": "0"}, "Enter a whole number from 1 to 90."),
        ({"invite_days": "91"}, "Enter a whole number from 1 to 90."),
        ({"invite_days": ""}, "Enter a whole number from 1 to 90."),
        ({"raters_required": "6"}, "Enter a whole number from 1 to 5."),
        ({"contact_name": ""}, "Enter whom candidates can contact."),
        ({"contact_email": "not-an-address"}, "Enter a valid e-mail address"),
    ],
)
def test_bad_opening_input_shows_the_error_and_saves_nothing(app, people, changes, message):
    client = signed_in(app, people.recruiter)
    data = form_data(description="Typed <b>carefully</b>", **changes)
    response = client.post("/hiring/openings/new", data=data)
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert 'aria-invalid="true"' in text
    assert "Typed <b>carefully</b>" in text  # what was typed is kept (escaped)
    assert "<b>carefully</b>" not in response.get_data(as_text=True)
    assert opening_count(app) == 0


@pytest.mark.parametrize("key", ["k" * 65, "not hex at all", "<script>", ""])
def test_a_tampered_one_time_key_is_ignored_not_an_error(app, people, key):
    """The key is only a guard against double posts: a malformed one never blocks the
    save with an error the recruiter cannot see, and is not stored."""
    client = signed_in(app, people.recruiter)
    response = client.post("/hiring/openings/new", data=form_data(submission=key))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Opening.submission_key)) is None


def test_recruiter_edits_an_opening(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    form = page(client.get(f"/hiring/openings/{opening_id}/edit"))
    assert 'value="Care adviser"' in form
    response = client.post(
        f"/hiring/openings/{opening_id}/edit",
        data=form_data(title="Senior care adviser", exercise_slug=OTHER_EXERCISE),
    )
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.get(Opening, opening_id)
        assert (opening.title, opening.exercise_slug, opening.team_id) == (
            "Senior care adviser",
            OTHER_EXERCISE,
            None,
        )
        assert opening.exercise_slug == OTHER_EXERCISE


def test_exercise_cannot_change_once_a_candidate_has_started(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    with app.app_context():
        db.session.get(Candidate, candidate_id).started_at = utcnow()
        db.session.commit()
    client = signed_in(app, people.recruiter)
    text = page(client.get(f"/hiring/openings/{opening_id}/edit"))
    assert 'name="exercise_slug"' not in text
    assert "candidates have already started it" in text
    response = client.post(
        f"/hiring/openings/{opening_id}/edit",
        data=form_data(title="Renamed", exercise_slug=OTHER_EXERCISE),
    )
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.get(Opening, opening_id)
        assert (opening.title, opening.exercise_slug) == ("Renamed", EXERCISE)


def test_close_and_reopen(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/close")
    assert response.headers["Location"] == f"/hiring/openings/{opening_id}"
    text = page(client.get(response.headers["Location"]))
    assert "This opening is closed" in text
    assert "Reopen opening" in text
    assert "Add a candidate" not in text
    with app.app_context():
        assert db.session.get(Opening, opening_id).closed_at is not None
    client.post(f"/hiring/openings/{opening_id}/reopen")
    with app.app_context():
        assert db.session.get(Opening, opening_id).is_open


def test_a_closed_opening_takes_no_new_candidates(app, people, make_opening):
    opening_id = make_opening(closed_at=utcnow())
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates",
        data={"name": "Ann Lee", "email": "ann@example.org"},
        follow_redirects=True,
    )
    assert "Reopen it to add or invite candidates" in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidate.id))) == 0


def test_get_changes_nothing(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    assert client.get(f"/hiring/openings/{opening_id}/close").status_code == 405
    with app.app_context():
        assert db.session.get(Opening, opening_id).is_open


# The opening's page ----------------------------------------------------------------


def test_opening_page_shows_summary_counts_and_links(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(time_limit_minutes=25)
    make_candidate(opening_id)
    submitted(make_candidate(opening_id))
    response = signed_in(app, people.recruiter).get(f"/hiring/openings/{opening_id}")
    text, flat = page(response), words(response)
    assert "2 candidates" in flat
    assert "1 new" in flat and "1 submitted" in flat
    assert "25 minutes" in text
    assert "Riley Recruiter" in text
    for href in (
        f"/hiring/openings/{opening_id}/candidates",
        f"/hiring/openings/{opening_id}/compare",
        f"/hiring/rating/openings/{opening_id}",
        f"/hiring/reports/openings/{opening_id}/agreement",
        f"/hiring/reports/openings/{opening_id}/quality",
        f"/hiring/reports/openings/{opening_id}/fairness",
    ):
        assert f'href="{href}"' in text, href
    assert 'enctype="multipart/form-data"' in text
    assert "Invite all 1 new candidate" in text
    assert text.count("<h1") == 1


# The recruiter's home --------------------------------------------------------------


def test_recruiter_home_lists_open_openings_and_answers_to_rate(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening("Care adviser")
    make_opening("Old role", closed_at=utcnow())
    first, second = make_candidate(opening_id), make_candidate(opening_id)
    submitted(first)
    submitted(second)
    with app.app_context():  # the recruiter has rated one of the two already
        db.session.add(
            RaterScore(
                candidate_id=first,
                opening_id=opening_id,
                item_id=OPEN_ITEM,
                skill="ownership",
                rater_id=people.recruiter.id,
                rating=4,
            )
        )
        db.session.commit()
    response = signed_in(app, people.recruiter).get("/")
    text, flat = page(response), words(response)
    assert "1 candidate with answers waiting for your rating" in flat
    assert 'href="/hiring/rating/"' in text
    assert f'href="/hiring/openings/{opening_id}"' in text
    assert "2 submitted" in flat
    assert "Old role" not in text
    assert "Teams you hire for" in text
    # The second recruiter has rated nobody: both wait for them.
    other = words(signed_in(app, people.second_recruiter).get("/"))
    assert "2 candidates with answers waiting for your rating" in other


def _edit(client, opening_id: int, *, title: str, version: str | None = None):
    data = opening_form(title=title)
    if version is not None:
        data["version"] = version
    return client.post(f"/hiring/openings/{opening_id}/edit", data=data)


def _edit_raters(client, opening_id: int, raters: int):
    form = opening_form(raters_required=str(raters))
    return client.post(f"/hiring/openings/{opening_id}/edit", data=form)


def test_changing_raters_required_moves_candidates_between_submitted_and_scored(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(raters_required=2)
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    rate(client, opening_id, candidate_id, 4)
    assert status_of(app, candidate_id) == CandidateStatus.SUBMITTED
    response = _edit_raters(client, opening_id, 1)
    assert response.status_code == 302, page(response)
    assert status_of(app, candidate_id) == CandidateStatus.SCORED
    _edit_raters(client, opening_id, 3)
    assert status_of(app, candidate_id) == CandidateStatus.SUBMITTED
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).fully_rated is False


def test_a_save_over_someone_elses_newer_edit_is_refused_and_keeps_the_typing(
    app, people, make_opening
):
    opening_id = make_opening()
    first, second = signed_in(app, people.recruiter), signed_in(app, people.second_recruiter)
    form = page(first.get(f"/hiring/openings/{opening_id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    assert _edit(second, opening_id, title="Senior care adviser").status_code == 302
    response = _edit(first, opening_id, title="Care adviser (nights)", version=version)
    text = page(response)
    assert response.status_code == 200
    assert "Someone else saved changes to this opening" in text
    assert 'value="Care adviser (nights)"' in text
    with app.app_context():
        assert db.session.get(Opening, opening_id).title == "Senior care adviser"
    newer = re.search(r'name="version" type="hidden" value="(\d+)"', text).group(1)
    assert _edit(first, opening_id, title="Care adviser (nights)", version=newer).status_code == 302
    with app.app_context():
        assert db.session.get(Opening, opening_id).title == "Care adviser (nights)"
