"""Assignments, team progress, the module report, and their query counts."""

from __future__ import annotations

import html
import math
import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.training import player, progress
from coachkit.training.models import Assignment, AttemptStep, SkillScore, SkillTotal
from coachkit.training.scale import mean_rating, skill_result
from tests.conftest import login

SLUG = "charged-twice"


def page(response):
    return response.get_data(as_text=True)


@contextmanager
def counted(app):
    """Count the SQL statements a block runs (BEGIN and friends included)."""
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def play(app, person, picks=(0, 0, 0), reflection="The rent.", finish=True):
    """Play the module as `person` through the domain functions."""
    with app.app_context():
        user = db.session.get(User, person.id)
        module = library().modules[SLUG]
        attempt = player.start(user, module)
        for pick in picks:
            player.answer(
                attempt, module, position=attempt.step_count, choice=pick, reflection=None
            )
        if finish:
            player.answer(
                attempt, module, position=attempt.step_count, choice=None, reflection=reflection
            )
        db.session.commit()
        return attempt.id


@pytest.fixture
def team(make_user, make_team):
    manager = make_user(Role.MANAGER, name="Maya Manager")
    members = [make_user(Role.EMPLOYEE, name=f"Member {n}") for n in range(3)]
    team_id = make_team("Care", [manager], members)
    return manager, members, team_id


def assign(client, target, due=None, module=SLUG):
    due = due or (date.today() + timedelta(days=7)).isoformat()
    return client.post("/training/assign", data={"module": module, "target": target, "due_on": due})


def test_manager_assigns_a_module_to_a_whole_team(app, client, team):
    manager, members, team_id = team
    login(client, manager)
    response = assign(client, f"team:{team_id}")
    assert response.status_code == 302
    assert "Assigned to 3 people." in page(client.get("/training/assign"))
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == 3


def test_assigning_again_changes_the_due_date_not_the_count(app, client, team):
    manager, members, _ = team
    login(client, manager)
    assign(client, f"user:{members[0].id}")
    later = (date.today() + timedelta(days=30)).isoformat()
    assign(client, f"user:{members[0].id}", due=later)
    with app.app_context():
        rows = db.session.scalars(select(Assignment)).all()
        assert [(r.user_id, r.due_on.isoformat()) for r in rows] == [(members[0].id, later)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"module": SLUG, "target": "", "due_on": "2030-01-01"}, "Choose who."),
        (
            {"module": "nope", "target": "", "due_on": "2030-01-01"},
            "Choose one of the listed modules.",
        ),
        ({"module": SLUG, "due_on": "2001-01-01"}, "The due date cannot be in the past."),
        ({"module": SLUG, "due_on": "not a date"}, "Not a valid date value."),
    ],
)
def test_assign_bad_input_shows_errors_and_saves_nothing(app, client, team, data, message):
    manager, members, _ = team
    login(client, manager)
    data.setdefault("target", f"user:{members[0].id}") if data.get("target") != "" else None
    response = client.post("/training/assign", data=data)
    assert response.status_code == 200
    assert message in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_manager_cannot_assign_to_another_teams_people(app, client, team, make_user, make_team):
    manager, _members, _ = team
    stranger = make_user(Role.EMPLOYEE, name="Stranger")
    other_team = make_team("Other", [make_user(Role.MANAGER)], [stranger])
    login(client, manager)
    body = page(client.get("/training/assign"))
    assert "Stranger" not in body and "Everyone in Other" not in body
    for target in (f"user:{stranger.id}", f"team:{other_team}"):
        response = assign(client, target)
        assert "Choose one of your teams or people." in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_employee_home_shows_assignments_progress_and_profile(app, client, team):
    manager, members, _ = team
    manager_client = app.test_client()
    login(manager_client, manager)
    assign(manager_client, f"user:{members[0].id}")
    login(client, members[0])
    home = page(client.get("/"))
    assert "Assigned to you" in home and "Charged twice, rent due tomorrow" in home
    play(app, members[0])
    home = page(client.get("/"))
    assert "Recently completed" in home
    assert "everything you were given is done" in home
    assert "Your skill profile" in home and "Fix the customer first" in home


def test_skill_totals_follow_every_completed_attempt(app, team):
    """The rollup behind skill profiles equals the per-attempt scores it sums; profiles
    are the mean rating (1-5) over completed attempts only, the lowest included."""
    _, members, _ = team
    play(app, members[0], picks=(0, 0, 0))
    play(app, members[0], picks=(1, 0, 0))
    play(app, members[0], picks=(0, 1, 0), finish=False)  # unfinished: not counted
    play(app, members[1], picks=(0, 1, 0))
    with app.app_context():
        totals = {
            (t.user_id, t.skill): (t.points, t.attempts, t.rating_tenths, t.rated)
            for t in db.session.scalars(select(SkillTotal))
        }
        scores = select(
            SkillScore.user_id,
            SkillScore.skill,
            func.sum(SkillScore.points),
            func.count(),
            func.sum(SkillScore.rating_tenths),
            func.count(SkillScore.rating_tenths),
        ).group_by(SkillScore.user_id, SkillScore.skill)
        assert totals == {(u, k): tuple(rest) for u, k, *rest in db.session.execute(scores)}
        assert {n for _, n, _, _ in totals.values()} <= {1, 2}
        assert all(rated == n for _, n, _, rated in totals.values())  # every skill rated
        module = library().modules[SLUG]
        for score in db.session.scalars(select(SkillScore)):
            expected = skill_result(module, score.skill, score.points).rating
            assert score.rating_tenths == round(expected * 10)
        profiles = progress.skill_profiles([members[0].id, members[1].id, members[2].id])
        means = select(
            SkillScore.user_id, SkillScore.skill, func.avg(SkillScore.rating_tenths)
        ).group_by(SkillScore.user_id, SkillScore.skill)
        for user_id, skill, tenths in db.session.execute(means):
            assert profiles[user_id][skill] == math.floor(float(tenths) + 0.5) / 10  # half up
            assert 1.0 <= profiles[user_id][skill] <= 5.0
        assert members[2].id not in profiles


def test_mean_ratings_round_half_up():
    assert mean_rating(42, 1) == 4.2
    assert mean_rating(42 + 31, 2) == 3.7  # 3.65
    assert mean_rating(10 + 11 + 11, 3) == 1.1  # 1.0666...
    assert mean_rating(50 * 3, 3) == 5.0


def test_overdue_assignment_is_marked(app, client, team):
    manager, members, team_id = team
    with app.app_context():
        db.session.add(
            Assignment(
                user_id=members[0].id, module_slug=SLUG, due_on=utcnow().date() - timedelta(days=1)
            )
        )
        db.session.commit()
    login(client, members[0])
    assert "Overdue" in page(client.get("/"))
    manager_client = app.test_client()
    login(manager_client, manager)
    assert "Overdue" in page(manager_client.get(f"/training/teams/{team_id}"))


def test_team_progress_shows_status_and_scores(app, client, team):
    manager, members, team_id = team
    login(client, manager)
    assign(client, f"team:{team_id}")
    play(app, members[0])
    play(app, members[1], finish=False)
    body = page(client.get(f"/training/teams/{team_id}"))
    assert body.count("Done") == 1 and body.count("In progress") == 1
    assert body.count("Not started") == 1
    with app.app_context():
        module = library().modules[SLUG]
        rating = skill_result(module, "fix-the-customer-first", 2).rating
    assert f"<td>{rating:.1f}</td>" in body  # member 0's fix-the-customer-first rating
    assert "Practice rating per skill" in body


def test_other_teams_progress_is_not_found(app, client, team, make_user, make_team):
    manager, _members, _ = team
    other = make_team("Other", [make_user(Role.MANAGER)], [make_user(Role.EMPLOYEE)])
    login(client, manager)
    assert client.get(f"/training/teams/{other}").status_code == 404


REPORT_ROW = re.compile(
    r'<td class="numeric">(\d+)</td>\s*<td class="share"><span class="share-figure">([^<]+)</span>'
    r'.*?</td>\s*<td class="numeric">([^<]+)</td>',
    re.S,
)


def report_rows(body: str, node: str = "opening", following: str = "explains-pending"):
    """The (chosen, share, average points) cells of one step's table in a module report."""
    section = body[body.index(f'id="step-{node}"') : body.index(f'id="step-{following}"')]
    return REPORT_ROW.findall(section)


def test_report_counts_choices_from_stored_answers(app, client, team, make_user, make_team):
    manager, members, _ = team
    play(app, members[0], picks=(0, 0, 0))
    play(app, members[1], picks=(0, 1, 0))
    play(app, members[2], picks=(1, 0, 0))
    outsider = make_user(Role.EMPLOYEE)
    make_team("Other", [make_user(Role.MANAGER)], [outsider])
    play(
        app, outsider, picks=(2, 1), finish=False
    )  # ends at end-lost; another team: not in this manager's report
    login(client, manager)
    body = page(client.get(f"/training/{SLUG}/report"))
    cells = report_rows(body)
    assert [c[0] for c in cells] == ["2", "1", "0"]
    assert cells[0][1].strip() == "67%" and cells[0][2].strip() == "+4.0"


def test_admin_report_covers_everyone(app, client, team, make_user):
    _manager, members, _ = team
    play(app, members[0])
    login(client, make_user(Role.ADMIN))
    body = page(client.get(f"/training/{SLUG}/report"))
    assert report_rows(body)[0][0] == "1"


def test_admin_report_tallies_agree_with_the_stored_answers(app, client, team, make_user):
    """The all-staff report reads running tallies; they match a count of the answers,
    and the admin's figures equal the manager's (same people) to the decimal."""
    manager, members, _ = team
    for person, picks in zip(members, [(0, 0, 0), (0, 1, 0), (1, 0, 0)], strict=True):
        play(app, person, picks=picks)
    play(app, members[0], picks=(1, 1, 0))
    play(app, members[1], picks=(2, 1), finish=False)
    with app.app_context():
        module = library().modules[SLUG]
        everyone = progress.choice_counts(SLUG, module.version, None)
        scoped = progress.choice_counts(
            SLUG, module.version, select(User.id).where(User.role == Role.EMPLOYEE)
        )
        answered = db.session.execute(
            select(AttemptStep.node_id, AttemptStep.choice_index, func.count())
            .where(AttemptStep.choice_index.is_not(None))
            .group_by(AttemptStep.node_id, AttemptStep.choice_index)
        ).all()
    assert everyone == scoped
    assert {key: count.taken for key, count in everyone.items()} == {
        (node, index): taken for node, index, taken in answered
    }
    login(client, make_user(Role.ADMIN))
    body = page(client.get(f"/training/{SLUG}/report"))
    assert [row[0] for row in report_rows(body)] == ["2", "2", "1"]


def _grow(app, people, rounds):
    for _ in range(rounds):
        for person in people:
            play(app, person)


def test_query_counts_do_not_grow_with_attempts(app, team):
    manager, members, team_id = team
    employee_client, manager_client = app.test_client(), app.test_client()
    login(employee_client, members[0])
    login(manager_client, manager)
    assign(manager_client, f"team:{team_id}")
    pages = [
        (employee_client, "/"),
        (manager_client, f"/training/teams/{team_id}"),
        (manager_client, f"/training/{SLUG}/report"),
    ]

    def measure():
        counts = []
        for client, path in pages:
            with counted(app) as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        return counts

    _grow(app, members, 1)
    small = measure()
    _grow(app, members, 9)
    assert measure() == small
    assert all(count <= 10 for count in small), small


def test_report_headings_say_what_the_customer_says_with_a_bar_per_reply(app, client, team):
    manager, members, _ = team
    play(app, members[0], picks=(0, 0, 0))
    login(client, manager)
    body = html.unescape(page(client.get(f"/training/{SLUG}/report")))
    with app.app_context():
        module = library().modules[SLUG]
    headings = re.findall(r'<h2 id="step-[^"]+">([^<]+)</h2>', body)
    assert headings == [node.heading for node in module.decision_points]
    assert headings[0] == (
        "I've just opened my banking app and you've taken the renewal twice. Twice!"
    )
    assert ">opening<" not in body and "Step: " not in body  # no internal ids
    replies = sum(len(node.choices) for node in module.decision_points)
    assert body.count('<svg class="bar"') == replies
    assert report_rows(body)[0][1] == "100%"
