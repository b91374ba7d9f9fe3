"""What the coach learns from the records: suggested practice for the weakest skills,
monthly skill trends (chart and table), and exports that are safe to open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from coachkit.coaching import trends
from coachkit.coaching.models import Evidence, Owner
from coachkit.coaching.suggestions import (
    SUGGESTION_COUNT,
    Weakness,
    suggest_modules,
    weakest_skills,
)
from coachkit.content.library import load
from coachkit.extensions import db
from coachkit.spreadsheet import csv_text, safe_cell
from coachkit.training import progress
from coachkit.training.models import Assignment, SkillScore
from tests.coaching.conftest import action
from tests.conftest import csv_rows, login, page, signed_in

CATALOGUE = ["listening", "empathy", "fix-first", "ownership", "candour"]
TODAY = date.today()


# Weakest skills


def test_weakest_rated_skills_come_first_lowest_first():
    ratings = {"empathy": 2, "ownership": 1, "listening": 5, "candour": 3, "fix-first": 4}
    weak = weakest_skills(ratings, {}, CATALOGUE)
    assert weak == [
        Weakness("ownership", "rated 1 in this session"),
        Weakness("empathy", "rated 2 in this session"),
        Weakness("candour", "rated 3 in this session"),
    ]


def test_ratings_of_four_and_five_are_not_weaknesses():
    assert weakest_skills({"empathy": 4, "ownership": 5}, {}, CATALOGUE) == []


def test_practice_fills_in_after_the_ratings():
    training = {"candour": 1.4, "listening": 3.5, "empathy": 1.0, "fix-first": 2.0}
    weak = weakest_skills({"empathy": 2}, training, CATALOGUE, count=4)
    assert [w.skill for w in weak] == ["empathy", "candour", "fix-first", "listening"]
    assert weak[1].reason == "practice 1.4 / 5"
    assert weak[3].reason == "practice 3.5 / 5"


def test_practice_alone_when_nothing_was_rated():
    weak = weakest_skills({}, {"ownership": 3.5, "empathy": 1.5}, CATALOGUE)
    assert [w.skill for w in weak] == ["empathy", "ownership"]


def test_ties_keep_catalogue_order_whatever_the_input_order():
    ratings = {"candour": 2, "ownership": 2, "listening": 2, "empathy": 2}
    assert [w.skill for w in weakest_skills(ratings, {}, CATALOGUE)] == [
        "listening",
        "empathy",
        "ownership",
    ]
    training = {"ownership": 2.0, "listening": 2.0}
    assert [w.skill for w in weakest_skills({}, training, CATALOGUE)] == ["listening", "ownership"]


def test_skills_outside_the_catalogue_are_ignored():
    weak = weakest_skills({"retired-skill": 1}, {"also-retired": 1.0}, CATALOGUE)
    assert weak == []


# Suggested modules


@dataclass(frozen=True)
class FakeModule:
    slug: str
    title: str
    skills: tuple[str, ...]


MODULES = [
    FakeModule("a", "Alpha", ("empathy", "ownership")),
    FakeModule("b", "Bravo", ("empathy",)),
    FakeModule("c", "Charlie", ("candour",)),
    FakeModule("d", "Delta", ("ownership",)),
    FakeModule("e", "Echo", ("ownership",)),
]
WEAK = [Weakness("empathy", "rated 1"), Weakness("ownership", "rated 2")]


def test_modules_training_the_weakest_and_most_weak_skills_come_first():
    suggestions = suggest_modules(WEAK, MODULES, set(), count=5)
    assert [s.module.slug for s in suggestions] == ["a", "b", "d", "e"]
    assert [w.skill for w in suggestions[0].trains] == ["empathy", "ownership"]
    assert [w.skill for w in suggestions[2].trains] == ["ownership"]


def test_suggestions_leave_out_assigned_modules_and_stop_at_the_count():
    assert [s.module.slug for s in suggest_modules(WEAK, MODULES, {"a"})] == ["b", "d", "e"]
    assert [s.module.slug for s in suggest_modules(WEAK, MODULES, set(), count=1)] == ["a"]
    assert suggest_modules([], MODULES, set()) == []


def test_equal_modules_are_ordered_by_title():
    reversed_titles = [
        FakeModule("z", "Aardvark", ("ownership",)),
        FakeModule("y", "Zebra", ("ownership",)),
    ]
    weak = [Weakness("ownership", "rated 1")]
    slugs = [s.module.slug for s in suggest_modules(weak, reversed(reversed_titles), set())]
    assert slugs == ["z", "y"]


# Suggested practice on the session page, and assigning it


CONTENT = Path(__file__).resolve().parents[2] / "content"
SHIPPED = load(CONTENT).modules
# The shipped modules training consistency across channels, in the order the session
# page ranks them when that is the one weak skill: all weigh the same, so by title.
TRAINING_IT = [
    module.slug
    for module in sorted(SHIPPED.values(), key=lambda module: module.title)
    if "consistency-across-channels" in module.skills
]
FIRST, SECOND = TRAINING_IT[:2]


@pytest.fixture
def weak_session(crew, make_session):
    """Rated low only on consistency across channels, which TRAINING_IT train."""
    return make_session(
        crew.employee, crew.manager, ratings={"consistency-across-channels": 1, "empathy": 5}
    )


def assignments(app):
    with app.app_context():
        rows = db.session.scalars(select(Assignment)).all()
        return [(a.user_id, a.module_slug, a.due_on, a.assigned_by_id) for a in rows]


def test_session_page_suggests_modules_for_the_weakest_skill(app, crew, weak_session):
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{weak_session}"))
    suggested = body[body.index('id="suggestions"') :]
    assert "Consistency across channels</strong> (rated 1 in this session)" in suggested
    assert f'id="suggest-{FIRST}" value="{FIRST}" checked' in suggested
    shown = TRAINING_IT[:SUGGESTION_COUNT]
    places = [suggested.index(SHIPPED[slug].title) for slug in shown]
    assert places == sorted(places)
    assert all(f'value="{slug}"' in suggested for slug in shown)
    assert not any(f'value="{slug}"' in suggested for slug in TRAINING_IT[SUGGESTION_COUNT:])
    assert "The wedding suit" not in suggested


def test_manager_assigns_a_suggested_module(app, crew, weak_session):
    client = signed_in(app, crew.manager)
    due = TODAY + timedelta(days=10)
    response = client.post(
        f"/coaching/sessions/{weak_session}/assign",
        data={"module": SECOND, "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coaching/sessions/{weak_session}"
    assert assignments(app) == [(crew.employee.id, SECOND, due, crew.manager.id)]
    body = page(client.get(response.headers["Location"]))
    assert f"Assigned {SHIPPED[SECOND].title} to Erin Employee." in body
    assert f'value="{SECOND}"' not in body  # assigned and unfinished: no longer suggested
    assert f'value="{FIRST}"' in body


def test_two_coaches_assign_from_the_same_kept_form(app_factory, crew, weak_session):
    """The suggestions and action items are kept once for everyone who sees them; each
    coach's page carries their own CSRF token, which their post needs."""
    protected = app_factory(WTF_CSRF_ENABLED=True)
    path = f"/coaching/sessions/{weak_session}"
    due = (TODAY + timedelta(days=10)).isoformat()
    clients = []
    for coach in (crew.manager, crew.co_manager):  # both see the page before either posts
        client = protected.test_client()
        assert login(client, coach).status_code == 302
        body = client.get(path).get_data(as_text=True)
        inputs = re.findall(r'<input[^>]*name="csrf_token"[^>]*>', body)
        assert len(inputs) == 2  # signing out, assigning
        tokens = {re.search(r'value="([^"]+)"', tag).group(1) for tag in inputs}
        assert len(tokens) == 1
        clients.append((client, tokens.pop()))
    assert clients[0][1] != clients[1][1]
    for (client, token), module in zip(clients, (SECOND, FIRST), strict=True):
        form = {"module": module, "due_on": due}
        assert client.post(f"{path}/assign", data=form).status_code == 400
        response = client.post(f"{path}/assign", data=form | {"csrf_token": token})
        assert response.status_code == 302
    assert {row[1] for row in assignments(protected)} == {SECOND, FIRST}


def test_everything_assigned_says_so(app, crew, weak_session):
    client = signed_in(app, crew.manager)
    due = (TODAY + timedelta(days=10)).isoformat()
    for module in TRAINING_IT:  # each is suggested once those before it are assigned
        response = client.post(
            f"/coaching/sessions/{weak_session}/assign", data={"module": module, "due_on": due}
        )
        assert response.status_code == 302, module
    body = page(client.get(f"/coaching/sessions/{weak_session}"))
    assert "Every module that trains Erin Employee's weakest skills is already assigned." in body


def test_nothing_to_suggest_without_ratings_or_practice(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    assert "Rate some skills, or let Erin Employee practise first, to get suggestions." in body


def test_practice_scores_drive_suggestions_when_nothing_is_weakly_rated(
    app, crew, make_session, make_score
):
    make_score(crew.employee, "trust-building", 1.0, datetime(2026, 1, 5, tzinfo=UTC))
    session_id = make_session(crew.employee, crew.manager, ratings={"empathy": 5})
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    assert "Trust-building and partnership</strong> (practice " in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"module": SECOND, "due_on": (TODAY - timedelta(days=1)).isoformat()}, "in the past"),
        ({"module": SECOND, "due_on": ""}, "Enter a due date."),
        ({"module": SECOND, "due_on": "tomorrow"}, "Not a valid date value."),
        ({"module": "", "due_on": "2099-01-01"}, "Choose a module."),
        ({"module": "the-wedding-suit", "due_on": "2099-01-01"}, "Choose one of the suggested"),
        ({"module": "no-such-module", "due_on": "2099-01-01"}, "Choose one of the suggested"),
    ],
)
def test_bad_input_on_the_assign_form(app, crew, weak_session, data, message):
    client = signed_in(app, crew.manager)
    response = client.post(f"/coaching/sessions/{weak_session}/assign", data=data)
    assert response.status_code == 200
    assert message in page(response)
    assert assignments(app) == []


def test_linked_practice_is_shown_with_its_scores(app, crew, make_session, make_attempt):
    attempt = make_attempt(crew.employee)
    session_id = make_session(crew.employee, crew.manager, evidence={attempt})
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    practice = body[body.index("Practice discussed") :]
    with app.app_context():
        rows = db.session.scalars(select(SkillScore).where(SkillScore.attempt_id == attempt))
        stored = {score.skill: score.rating_tenths for score in rows}
    assert "Charged twice, rent due tomorrow" in practice
    assert f"Empathy {stored['empathy'] / 10:.1f}" in practice  # as rated when it completed
    assert "Empathy +" not in practice
    mine = page(signed_in(app, crew.employee).get(f"/coaching/mine/{session_id}"))
    assert f'href="/training/attempts/{attempt}/results">Charged twice' in mine


def test_practice_beside_each_rating_is_on_the_same_scale(app, crew, make_session, make_attempt):
    make_attempt(crew.employee)
    make_attempt(crew.employee)
    session_id = make_session(crew.employee, crew.manager, ratings={"empathy": 4})
    with app.app_context():
        mean = progress.skill_profiles([crew.employee.id])[crew.employee.id]["empathy"]
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    skills = body[body.index("<h2>Skills") : body.index("Action items")]
    assert "4 / 5" in skills and f"practice {mean:.1f} / 5" in skills
    assert "points" not in skills


def test_session_page_lists_what_the_session_holds(app, crew, make_session, make_attempt):
    """Ratings in the order recorded, action items with their state, and only the
    employee's own linked practice, oldest first."""
    first, second = make_attempt(crew.employee), make_attempt(crew.employee)
    stranger = make_attempt(crew.outsider)
    session_id = make_session(
        crew.employee,
        crew.manager,
        ratings={"ownership": 4, "empathy": 2},
        private={"ratings"},
        actions=[
            action("Call the bank back", due=TODAY - timedelta(days=2)),
            action("Book a listening session", owner=Owner.MANAGER, private=True),
        ],
        evidence={second, first},
    )
    with app.app_context():  # a link the form refuses, written straight to the database
        db.session.add(Evidence(session_id=session_id, attempt_id=stranger))
        db.session.commit()
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    skills = body[body.index("<h2>Skills") : body.index("Action items")]
    assert "Private" in skills
    assert skills.index("Ownership") < skills.index("Empathy")
    assert "4 / 5" in skills and "2 / 5" in skills
    actions = body[body.index("Action items") : body.index("Practice discussed")]
    assert actions.index("Call the bank back") < actions.index("Book a listening session")
    assert "Overdue" in actions and actions.count("Mark done") == 2
    assert "Manager" in actions and "Private" in actions
    practice = body[body.index("Practice discussed") : body.index("Suggested practice")]
    assert practice.count('<th scope="row">') == 2  # the outsider's attempt is not shown


# Monthly trends


JUNE = date(2026, 6, 15)


@pytest.fixture
def history(crew, make_session, make_score):
    """Empathy ratings and practice scores of the Care team (and one outsider)."""
    for person, held_on, ratings, private in (
        (crew.employee, date(2025, 6, 30), {"empathy": 1}, set()),  # before the year
        (crew.employee, date(2025, 7, 1), {"empathy": 3}, set()),
        (crew.employee, date(2026, 2, 10), {"empathy": 2}, set()),
        (crew.employee, date(2026, 2, 20), {"empathy": 4, "ownership": 1}, set()),
        (crew.employee, date(2026, 4, 5), {"empathy": 5}, set()),
        (crew.colleague, date(2026, 4, 10), {"empathy": 2}, set()),
        (crew.employee, date(2026, 5, 3), {"empathy": 1}, {"ratings"}),
        (crew.outsider, date(2026, 2, 15), {"empathy": 5}, set()),
    ):
        make_session(person, crew.manager, held_on=held_on, ratings=ratings, private=private)
    for person, rating, moment in (
        (crew.employee, 5.0, datetime(2025, 6, 30, 23, 59, tzinfo=UTC)),  # before the year
        (crew.employee, 3.0, datetime(2026, 3, 31, 23, 30, tzinfo=UTC)),
        (crew.employee, 1.2, datetime(2026, 4, 1, 0, 30, tzinfo=UTC)),
        (crew.colleague, 4.2, datetime(2026, 4, 15, 10, 0, tzinfo=UTC)),
    ):
        make_score(person, "empathy", rating, moment)


def by_month(values):
    return {
        v.month: (v.coaching, v.coaching_count, v.training, v.training_count)
        for v in values
        if v.coaching_count or v.training_count
    }


def test_monthly_averages_and_counts(app, crew, history):
    with app.app_context():
        values = trends.monthly(
            [crew.employee.id, crew.colleague.id], "empathy", JUNE, include_private=False
        )
        with_private = trends.monthly(
            [crew.employee.id, crew.colleague.id], "empathy", JUNE, include_private=True
        )
        ownership = trends.monthly([crew.employee.id], "ownership", JUNE, include_private=False)
    assert [v.month for v in values] == [
        *(f"2025-{m:02d}" for m in range(7, 13)),
        *(f"2026-{m:02d}" for m in range(1, 7)),
    ]
    assert by_month(values) == {
        "2025-07": (3.0, 1, None, 0),
        "2026-02": (3.0, 2, None, 0),
        "2026-03": (None, 0, 3.0, 1),
        "2026-04": (3.5, 2, 2.7, 2),
    }
    assert by_month(with_private)["2026-05"] == (1.0, 1, None, 0)
    assert by_month(ownership) == {"2026-02": (1.0, 1, None, 0)}


def test_months_ending_crosses_the_year():
    assert trends.months_ending(date(2026, 2, 28), count=4) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def month_values(coaching, training):
    months = trends.months_ending(JUNE)
    return [
        trends.MonthValue(m, c, int(c is not None), t, int(t is not None))
        for m, c, t in zip(months, coaching, training, strict=True)
    ]


def test_chart_draws_points_for_months_with_data_and_breaks_lines_at_gaps():
    coaching = [5.0, 3.0, 1.0, None, 4.5, 2.0, None, None, None, 3.0, None, None]
    training = [2.0, *([None] * 10), 3.0]
    chart = trends.chart(month_values(coaching, training))
    assert (chart.width, chart.height, chart.empty) == (640, 388, False)
    rating, practice = chart.panels
    assert rating.lines == ["48.0,24.0 99.3,94.0 150.5,164.0", "253.1,41.5 304.4,129.0"]
    assert rating.points == [
        (48.0, 24.0, "5"),
        (99.3, 94.0, "3"),
        (150.5, 164.0, "1"),
        (253.1, 41.5, "4.5"),
        (304.4, 129.0, "2"),
        (509.5, 94.0, "3"),  # a lone month: a point, no line
    ]
    assert [label for _, label in rating.ticks] == ["1", "2", "3", "4", "5"]
    assert practice.lines == []
    assert practice.points == [(48.0, 325.0, "2"), (612.0, 290.0, "3")]
    assert practice.ticks == [
        (360.0, "1"),
        (325.0, "2"),
        (290.0, "3"),
        (255.0, "4"),
        (220.0, "5"),
    ]
    assert chart.months[0] == (48.0, "Jul 25") and chart.months[-1] == (612.0, "Jun 26")
    assert chart.month_names["2026-06"] == "Jun 2026"


def test_chart_of_nothing_is_empty():
    chart = trends.chart(month_values([None] * 12, [None] * 12))
    assert chart.empty
    assert all(panel.lines == [] and panel.points == [] for panel in chart.panels)
    assert [label for _, label in chart.panels[1].ticks] == ["1", "2", "3", "4", "5"]


def test_both_panels_share_the_1_to_5_scale():
    chart = trends.chart(month_values([4.0, *([None] * 11)], [4.0, *([None] * 11)]))
    coaching, practice = chart.panels
    assert practice.title == "Practice rating (1 to 5)"
    assert [label for _, label in practice.ticks] == [label for _, label in coaching.ticks]
    # the same figure sits at the same height within its panel
    assert coaching.points[0][1] - coaching.top == practice.points[0][1] - practice.top


CIRCLE = re.compile(r'class="chart-dot chart-dot-(coaching|training)"><title>([^<]+)</title>')
ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td></tr>')


def chart_and_table(body):
    """The chart's point labels per series, and the table's figures in month order."""
    dots = {"coaching": [], "training": []}
    for series, label in CIRCLE.findall(body):
        dots[series].append(float(label))
    rows = ROW.findall(body)[::-1]  # the table lists the newest month first
    table = {"coaching": [], "training": []}
    for _month, coaching, training in rows:
        for series, cell in (("coaching", coaching), ("training", training)):
            if cell != "—":
                table[series].append(float(cell.split(" (")[0]))
    return dots, table, {month: (c, t) for month, c, t in rows}


def test_person_trend_page_has_the_chart_and_the_same_figures_in_a_table(
    app, crew, history, freeze
):
    freeze(datetime(2026, 6, 15, 12, tzinfo=UTC))
    client = signed_in(app, crew.manager)
    body = page(client.get(f"/coaching/people/{crew.employee.id}?skill=empathy"))
    assert '<svg viewBox="0 0 640 388" role="img"' in body
    dots, table, rows = chart_and_table(body)
    assert dots == table
    assert rows["Jul 2025"] == ("3.0 (1)", "—")
    assert rows["Feb 2026"] == ("3.0 (2)", "—")
    assert rows["Mar 2026"] == ("—", "3.0 (1)")
    assert rows["Apr 2026"] == ("5.0 (1)", "1.2 (1)")
    assert rows["May 2026"] == ("1.0 (1)", "—")  # private ratings count for coaches
    assert rows["Jun 2026"] == ("—", "—") and len(rows) == 12
    assert '<polyline points="' in body  # Mar-Apr practice and Apr-May ratings join up


def test_team_trend_page_averages_the_members(app, crew, history, freeze):
    freeze(datetime(2026, 6, 15, 12, tzinfo=UTC))
    client = signed_in(app, crew.manager)
    body = page(client.get(f"/coaching/teams/{crew.team_id}/trends?skill=empathy"))
    dots, table, rows = chart_and_table(body)
    assert dots == table
    assert rows["Feb 2026"] == ("3.0 (2)", "—")  # the other team's 5 is not counted
    assert rows["Apr 2026"] == ("3.5 (2)", "2.7 (2)")
    assert "<h2>Empathy</h2>" in body


def test_unknown_skill_falls_back_to_the_first(app, crew, freeze):
    freeze(datetime(2026, 6, 15, 12, tzinfo=UTC))
    client = signed_in(app, crew.manager)
    response = client.get(f"/coaching/teams/{crew.team_id}/trends?skill=<script>")
    body = page(response)
    assert response.status_code == 200 and "<h2>Active listening</h2>" in body
    assert "No ratings or practice for Active listening in the last year yet." in body


# Exports that are safe to open in a spreadsheet


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (5, "5"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_csv_text_escapes_header_and_rows():
    text = csv_text(["=Header"], [["=cmd|' /C calc'!A0"], ['He said "hi"']])
    assert text == '\'=Header\r\n\'=cmd|\' /C calc\'!A0\r\n"He said ""hi"""\r\n'


def test_coaching_exports_neutralise_formulas(app, crew, make_session):
    formula = '=HYPERLINK("http://evil.example","Click")'
    session_id = make_session(
        crew.employee,
        crew.manager,
        kind="One-to-one",
        notes={"went_well": formula},
        actions=[action("+1+1 review calls")],
    )
    employee = signed_in(app, crew.employee)
    employee.post(f"/coaching/mine/{session_id}/acknowledge", data={"comment": "@SUM(A1)"})
    manager = signed_in(app, crew.manager)
    for client, prefix in (
        (manager, f"/coaching/teams/{crew.team_id}"),
        (employee, "/coaching/mine"),
    ):
        header, row = csv_rows(client.get(f"{prefix}/sessions.csv"))
        assert row[header.index("What went well")] == "'" + formula
        assert row[header.index("Employee comment")] == "'@SUM(A1)"
        actions = csv_rows(client.get(f"{prefix}/actions.csv"))
        assert actions[1][actions[0].index("Action")] == "'+1+1 review calls"
