"""Hand-over on hire: the recruiter passes a hired candidate's skill profile to their
team; that team's managers read it with training suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.handovers import suggestions
from coachkit.hiring.models import Candidate, CandidateStatus, Handover
from coachkit.training import progress
from tests.conftest import page, play_through, signed_in
from tests.hiring.conftest import EXERCISE, statements_for, status_of

PROFILE = {
    "active-listening": 4.5,
    "empathy": 2.2,
    "consistency-across-channels": 1.4,
    "ownership": 3.0,
}


@pytest.fixture
def other_team(make_user, make_team):
    manager = make_user(Role.MANAGER, name="Otto Other")
    return manager, make_team("Shop", managers=[manager])


@pytest.fixture
def hired(app, make_opening, make_candidate, submitted, give_scores, people):
    """A hired candidate of an opening for the Care team, scored by two raters."""
    opening = make_opening()
    candidate = make_candidate(opening, name="Hana Newstart", email="Hana.Newstart@example.org")
    submitted(candidate, quality=0.2)
    for rater, rating in ((people.recruiter, 2), (people.second_recruiter, 3)):
        give_scores(
            candidate,
            rater.id,
            dict.fromkeys(("active-listening", "ownership", "candid-communication"), rating),
        )
    with app.app_context():
        db.session.get(Candidate, candidate).status = CandidateStatus.HIRED
        db.session.commit()
    return candidate


def new_url(candidate_id: int) -> str:
    return f"/handovers/candidates/{candidate_id}/new"


def handover_rows(app) -> list[Handover]:
    with app.app_context():
        return list(db.session.scalars(select(Handover)))


@pytest.fixture
def make_handover(app, people):
    def make(team_id: int, name: str = "Hana Newstart", days_ago: int = 0, **fields) -> int:
        with app.app_context():
            handover = Handover(
                team_id=team_id,
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                opening_title="Care adviser",
                exercise_slug=EXERCISE,
                skills=dict(PROFILE),
                handed_over_by_id=people.recruiter.id,
                created_at=utcnow() - timedelta(days=days_ago),
                **fields,
            )
            db.session.add(handover)
            db.session.commit()
            return handover.id

    return make


# Handing over


def test_recruiter_hands_a_hired_candidate_to_the_team(app, people, make_user, hired):
    account = make_user(Role.EMPLOYEE, name="Hana N.", email="hana.newstart@EXAMPLE.org")
    client = signed_in(app, people.recruiter)
    form = page(client.get(new_url(hired)))
    assert f'<option selected value="{people.team_id}">Care</option>' in form
    response = client.post(new_url(hired), data={"team": people.team_id, "note": "Starts 3 June"})
    assert response.headers["Location"] == new_url(hired)
    confirmation = page(client.get(new_url(hired)))
    assert "Hana Newstart is handed over" in confirmation and "Care" in confirmation
    (handover,) = handover_rows(app)
    with app.app_context():
        scores = {r.skill: r.score for r in db.session.get(Candidate, hired).skill_results}
    assert handover.skills == scores and len(scores) == 6
    assert (handover.name, handover.email) == ("Hana Newstart", "Hana.Newstart@example.org")
    assert (handover.opening_title, handover.exercise_slug) == ("Care adviser", EXERCISE)
    assert (handover.team_id, handover.user_id) == (people.team_id, account.id)
    assert (handover.note, handover.handed_over_by_id) == ("Starts 3 June", people.recruiter.id)


def test_an_inactive_account_is_not_linked(app, people, make_user, hired):
    make_user(Role.EMPLOYEE, email="hana.newstart@example.org", active=False)
    signed_in(app, people.recruiter).post(new_url(hired), data={"team": people.team_id})
    assert handover_rows(app)[0].user_id is None


def test_a_candidate_is_handed_over_once(app, people, hired, other_team):
    client = signed_in(app, people.recruiter)
    client.post(new_url(hired), data={"team": people.team_id})
    response = client.post(new_url(hired), data={"team": other_team[1]}, follow_redirects=True)
    assert "Hana Newstart was already handed over to Care." in page(response)
    assert [h.team_id for h in handover_rows(app)] == [people.team_id]


def test_only_hired_candidates_can_be_handed_over(app, people, make_opening, make_candidate):
    candidate = make_candidate(make_opening())
    client = signed_in(app, people.recruiter)
    assert "Only a hired candidate can be handed over" in page(client.get(new_url(candidate)))
    assert client.post(new_url(candidate), data={"team": people.team_id}).status_code == 409
    assert handover_rows(app) == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"team": "999999"}, "team", "Choose one of the listed teams."),
        ({"team": "", "note": "x"}, "team", "Choose the team."),
        ({"note": "x" * 2001}, "note", "Keep the note under 2,000 characters."),
    ],
)
def test_bad_handover_input_is_refused(app, people, hired, data, field, message):
    data = {"team": str(people.team_id), **data}
    data.setdefault("note", "Typed by hand")
    response = signed_in(app, people.recruiter).post(new_url(hired), data=data)
    text = page(response)
    assert response.status_code == 200
    assert message in text and f'id="{field}-error"' in text
    assert data["note"][:20] in text  # what was typed is kept
    assert handover_rows(app) == []


def test_handing_over_is_for_recruiters_and_admins(app, people, client, hired):
    assert signed_in(app, people.admin).get(new_url(hired)).status_code == 200
    for person in (people.manager, people.employee):
        assert signed_in(app, person).get(new_url(hired)).status_code == 403
        assert signed_in(app, person).post(new_url(hired), data={"team": 1}).status_code == 403
    assert client.get(new_url(hired)).headers["Location"].startswith("/login")
    assert signed_in(app, people.recruiter).get(new_url(999_999)).status_code == 404


# Reading hand-overs


def test_managers_see_their_teams_handovers_only(app, people, other_team, make_handover):
    mine = make_handover(people.team_id, "Hana Newstart")
    theirs = make_handover(other_team[1], "Sami Elsewhere")
    own = page(signed_in(app, people.manager).get("/handovers/"))
    assert "Hana Newstart" in own and "Sami Elsewhere" not in own
    everyone = page(signed_in(app, people.admin).get("/handovers/"))
    assert "Hana Newstart" in everyone and "Sami Elsewhere" in everyone
    other = signed_in(app, other_team[0])
    assert other.get(f"/handovers/{mine}").status_code == 404
    assert other.get(f"/handovers/{theirs}").status_code == 200
    assert signed_in(app, people.admin).get(f"/handovers/{mine}").status_code == 200


@pytest.mark.parametrize("who", ["recruiter", "employee"])
def test_recruiters_and_employees_do_not_read_handovers(app, people, make_handover, who):
    handover = make_handover(people.team_id)
    client = signed_in(app, getattr(people, who))
    assert client.get("/handovers/").status_code == 403
    assert client.get(f"/handovers/{handover}").status_code == 403


def test_anonymous_is_sent_to_sign_in(app, client, people, make_handover):
    handover = make_handover(people.team_id)
    for path in ("/handovers/", f"/handovers/{handover}"):
        assert client.get(path).headers["Location"].startswith("/login")


def test_profile_shows_skills_anchors_and_suggestions(app, people, make_user, make_handover):
    account = make_user(Role.EMPLOYEE, name="Hana Account")
    handover = make_handover(people.team_id, user_id=account.id, note="Starts Monday")
    text = page(signed_in(app, people.manager).get(f"/handovers/{handover}"))
    with app.app_context():
        skills = library().skills
        modules = library().modules.values()
        weak = suggestions.weakest(suggestions.profile(PROFILE, skills))
        suggested = suggestions.suggestions(weak, modules)
    for skill, score in PROFILE.items():
        assert skills[skill].name in text
        assert skills[skill].anchor_for(suggestions.rounded(score)) in text
    weakest = text.split("Weakest skills:")[1].split("</p>")[0]
    assert skills["consistency-across-channels"].name in weakest
    assert skills["active-listening"].name not in weakest
    assert suggested and all(s.module.title in text for s in suggested)
    assert "Assign to Hana Account" in text and 'href="/training/assign"' in text
    assert "Starts Monday" in text


def test_without_an_account_the_link_assigns_practice_plainly(app, people, make_handover):
    text = page(signed_in(app, people.manager).get(f"/handovers/{make_handover(people.team_id)}"))
    assert "Assign practice" in text and "Assign to" not in text


def test_weakest_skills_and_suggestions(app):
    with app.app_context():
        lib = library()
        lines = suggestions.profile(PROFILE, lib.skills)
        weak = suggestions.weakest(lines)
        suggested = suggestions.suggestions(weak, lib.modules.values())
    assert [line.skill for line in weak] == ["consistency-across-channels", "empathy", "ownership"]
    weakest_three = {line.skill for line in weak}
    trains_all = [m.slug for m in lib.modules.values() if weakest_three <= set(m.skills)]
    assert "closing-a-late-fathers-account" in trains_all and len(trains_all) >= 2
    # Modules training all three weakest skills come first; equals keep library order.
    assert [s.module.slug for s in suggested[:2]] == trains_all[:2]
    assert suggestions.weakest(suggestions.profile({"empathy": 4.0}, lib.skills)) == []
    assert (suggestions.rounded(2.5), suggestions.rounded(2.49), suggestions.rounded(0.2)) == (
        3,
        2,
        1,
    )


# The manager's home page


def test_manager_home_lists_recent_new_starters(app, people, other_team, make_handover):
    recent = make_handover(people.team_id, "Hana Newstart", days_ago=10)
    make_handover(people.team_id, "Olga Oldstart", days_ago=100)
    make_handover(other_team[1], "Sami Elsewhere")
    text = page(signed_in(app, people.manager).get("/"))
    assert "New starters from hiring" in text and f'href="/handovers/{recent}"' in text
    assert "Olga Oldstart" not in text and "Sami Elsewhere" not in text
    other = page(signed_in(app, other_team[0]).get("/"))
    assert "Sami Elsewhere" in other and "Hana Newstart" not in other


def test_handover_pages_query_count_does_not_grow(app, people, make_handover):
    for number in range(3):
        make_handover(people.team_id, f"Person Number{number}")
    client = signed_in(app, people.manager)
    paths = ["/handovers/", "/"]
    for path in paths:
        client.get(path)
    small = [statements_for(app, client, path) for path in paths]
    for number in range(3, 30):
        make_handover(people.team_id, f"Person Number{number}")
    assert [statements_for(app, client, path) for path in paths] == small
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Handover)) == 30


def test_undoing_a_hire_withdraws_the_hand_over(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(raters_required=1)
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    assert client.post(f"{url}/decision", data={"decision": "hired"}).status_code == 302
    response = client.post(
        f"/handovers/candidates/{candidate_id}/new", data={"team": str(people.team_id), "note": ""}
    )
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.scalar(select(func.count(Handover.id))) == 1
    client.post(f"{url}/decision", data={"decision": "rejected"})
    assert status_of(app, candidate_id) == CandidateStatus.REJECTED
    with app.app_context():
        assert db.session.scalar(select(func.count(Handover.id))) == 0
    assert "hand-over to their team was withdrawn" in page(client.get(url))


def test_a_hand_over_finds_the_new_starters_account_created_afterwards(
    app, people, make_opening, make_candidate, submitted, make_user
):
    opening_id = make_opening(raters_required=1)
    candidate_id = make_candidate(opening_id, name="Nia Starter", email="nia@example.org")
    submitted(candidate_id)
    recruiter = signed_in(app, people.recruiter)
    recruiter.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "hired"},
    )
    recruiter.post(
        f"/handovers/candidates/{candidate_id}/new",
        data={"team": str(people.team_id), "note": ""},
    )
    manager = signed_in(app, people.manager)
    assert "Not yet" in page(manager.get("/handovers/"))
    with app.app_context():
        handover_id = db.session.scalar(select(Handover.id))
    assert "No coachkit account with this e-mail yet" in page(
        manager.get(f"/handovers/{handover_id}")
    )
    make_user(Role.EMPLOYEE, name="Nia Starter", email="NIA@example.org")
    assert "Not yet" not in page(manager.get("/handovers/"))
    assert "No coachkit account with this e-mail yet" not in page(
        manager.get(f"/handovers/{handover_id}")
    )


# Practice since joining, on the screening's 1-5 scale


def test_the_starters_practice_is_shown_beside_the_screening_to_their_managers(
    app, people, make_user, make_team, other_team, make_handover
):
    """The Care team's manager sees the practice of a starter who is a member of Care;
    a hand-over to the Shop team shows its manager none of it (the starter is not
    theirs); an admin sees it."""
    account = make_user(Role.EMPLOYEE, name="Hana Account")
    make_team("Care two", managers=[people.manager], members=[account])
    with app.app_context():
        play_through(db.session.get_one(User, account.id), "charged-twice", "The rent.")
        db.session.commit()
        mean = progress.skill_profiles([account.id])[account.id]
    ours = make_handover(people.team_id, user_id=account.id)
    theirs = make_handover(other_team[1], name="Hana Elsewhere", user_id=account.id)
    shown = f"practice since {mean['empathy']:.1f} / 5"
    assert shown in page(signed_in(app, people.manager).get(f"/handovers/{ours}"))
    assert shown in page(signed_in(app, people.admin).get(f"/handovers/{ours}"))
    elsewhere = page(signed_in(app, other_team[0]).get(f"/handovers/{theirs}"))
    assert "Hana Account" in elsewhere and "practice since" not in elsewhere
    client = signed_in(app, people.manager)
    assert statements_for(app, client, f"/handovers/{ours}") <= 5
