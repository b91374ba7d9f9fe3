"""Fragments kept by each worker (coachkit.fragments): rendered once per key, per site
root, the oldest dropped past the limit."""

from __future__ import annotations

from collections import Counter

from flask import session, template_rendered
from flask_wtf.csrf import generate_csrf

from coachkit import fragments
from coachkit.hiring.models import CandidateStatus
from coachkit.hiring.openings import StatusCounts

CARD = "hiring/_opening_card.html"


def card(number: int, title: str = "Care adviser", new: int = 2):
    opening = {"id": number, "title": title, "exercise_slug": "x", "closed_at": None}
    counts = StatusCounts(Counter({CandidateStatus.NEW: new}))
    key = (number, title, counts.key)
    return fragments.fragment(
        CARD, key, opening=opening | {"team_name": None}, exercise_title="X", counts=counts
    )


def renders(app) -> list[str]:
    rendered: list[str] = []
    template_rendered.connect(
        lambda _app, template, **_: rendered.append(template.name), app, weak=False
    )
    return rendered


def test_a_fragment_is_rendered_once_per_key(app):
    rendered = renders(app)
    with app.test_request_context():
        first = card(1)
        assert card(1) == first
        assert "Care adviser" in first and "2 candidates" in first
        changed = card(1, new=3)
        assert "3 candidates" in changed
        renamed = card(1, title="Team <lead>")
        assert "Team &lt;lead&gt;" in renamed
    assert rendered.count(CARD) == 3


def test_each_site_root_has_its_own_copy(app):
    with app.test_request_context():
        plain = card(7)
    with app.test_request_context(base_url="http://localhost/coachkit"):
        rooted = card(7)
    assert 'href="/hiring/openings/7"' in plain
    assert 'href="/coachkit/hiring/openings/7"' in rooted


def test_each_app_keeps_its_own_copies(app, app_factory):
    other = app_factory()
    rendered = renders(app), renders(other)
    for each in (app, other):
        with each.test_request_context():
            card(5)
            card(5)
    assert [found.count(CARD) for found in rendered] == [1, 1]
    with app.test_request_context():
        fragments.forget()
        card(5)
    assert rendered[0].count(CARD) == 2


def test_values_are_built_only_when_there_is_no_copy(app):
    built = []

    def build():
        built.append(1)
        return {"counts": StatusCounts(Counter())}

    opening = {"id": 9, "title": "T", "exercise_slug": "x", "closed_at": None, "team_name": None}
    with app.test_request_context():
        for _ in range(3):
            html = fragments.fragment(CARD, ("lazy", 9), build, opening=opening, exercise_title="X")
            assert "0 candidates" in html
    assert built == [1]


def test_forgetting_works_on_an_app_that_kept_nothing(app):
    with app.test_request_context():
        fragments.forget()
        assert "Care adviser" in card(1)


def test_digests_tell_lists_of_texts_apart():
    assert fragments.digest("a\x00b", None) != fragments.digest("a", "b")
    assert fragments.digest("a", None) != fragments.digest("a", "")
    assert fragments.digest("note") == fragments.digest("note")


def test_the_oldest_copy_goes_past_the_limit(app, monkeypatch):
    with app.test_request_context():
        size = len(card(99))
    monkeypatch.setattr(fragments, "FRAGMENT_BYTES", 2 * size + size // 2)
    with app.test_request_context():
        fragments.forget()
    rendered = renders(app)
    with app.test_request_context():
        card(1)
        card(2)
        card(1)  # kept, and now the most recent
        card(3)  # drops 2, the least recently used
        card(1)
        card(2)
    assert rendered.count(CARD) == 4


ACTIONS = "coaching/_actions.html"


def action_list(app, path: str = "/coaching/sessions/1") -> str:
    """A kept list of action items (each with a form) as the request at `path` sees it."""
    from coachkit.coaching.models import Owner
    from coachkit.coaching.pages import ShownAction

    items = [ShownAction(4, "Call back", Owner.EMPLOYEE, None, None, False)]
    with app.test_request_context(path):
        html = fragments.fragment(ACTIONS, (tuple(items), path), items=items, today=None)
        assert session["csrf_token"]
        token = generate_csrf()
    assert token in html, "the request's own token is written into its copy"
    return html


def test_a_kept_form_gets_each_requests_own_csrf_token(app):
    rendered = renders(app)
    first, second = action_list(app), action_list(app)  # two sessions, two tokens
    assert first != second and rendered.count(ACTIONS) == 1
    with app.app_context():
        kept = [copy.html for copy in app.extensions["coachkit.fragments"].copies.values()]
    assert len(kept) == 1 and fragments.CSRF_MARK in kept[0]
    assert "csrf_token" in kept[0] and 'value="\x00' in kept[0]  # the mark, no token


def test_a_fragment_without_a_form_is_served_as_kept(app):
    with app.test_request_context():
        assert card(3) is card(3)
        assert "csrf_token" not in session  # no token was made for it
