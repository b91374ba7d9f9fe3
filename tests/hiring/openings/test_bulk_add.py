"""Adding several candidates at once on the opening's page: rows of a name and an
e-mail address, all added or, when any row is wrong, none (each error on its row,
every row kept as typed); and the page's copy buttons work without JavaScript."""

from __future__ import annotations

import pytest

from tests.conftest import page, signed_in
from tests.hiring.candidates.conftest import CODE, stored


def rows(*people: tuple[str, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for at, (name, email) in enumerate(people):
        data[f"rows-{at}-name"], data[f"rows-{at}-email"] = name, email
    return data


def test_the_opening_page_offers_rows_to_fill(app, people, make_opening):
    opening_id = make_opening()
    shown = page(signed_in(app, people.recruiter).get(f"/hiring/openings/{opening_id}"))
    assert "Add several candidates" in shown
    assert 'name="rows-4-email"' in shown and 'name="rows-5-email"' not in shown
    assert "data-add-row hidden" in shown  # the script shows the button; without it, 5 rows


def test_good_rows_are_all_added_and_the_recruiter_stays_on_the_opening(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    data = rows(("Ann Lee", " Ann@Example.org "), ("", ""), ("Bo Chen", "bo@example.org"))
    response = client.post(f"/hiring/openings/{opening_id}/candidates/bulk", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/hiring/openings/{opening_id}"
    added = stored(app, opening_id)
    assert [row[:2] for row in added] == [
        ("Ann Lee", "ann@example.org"),
        ("Bo Chen", "bo@example.org"),
    ]
    assert all(CODE.match(code) for _name, _email, code in added)
    shown = page(client.get(response.headers["Location"]))
    assert f"Added 2 candidates: Ann Lee ({added[0][2]}), Bo Chen ({added[1][2]})." in shown


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            rows(("Ann Lee", "ann@example.org"), ("Bo Chen", "not-an-address")),
            ["Enter a valid e-mail address"],
            id="a bad address",
        ),
        pytest.param(
            rows(("Ann Lee", "ann@example.org"), ("", "bo@example.org"), ("Cy Dow", "")),
            ["Enter the candidate's name.", "Enter the candidate's e-mail address."],
            id="half-filled rows",
        ),
        pytest.param(
            rows(("Ann Lee", "ann@example.org"), ("Ann Again", "ANN@example.org")),
            ["ann@example.org is already in row 1 of this form."],
            id="the same address twice",
        ),
        pytest.param(
            rows(("Ann Lee", "ann@example.org"), ("Old Hand", "old@example.org")),
            ["old@example.org is already a candidate for this opening."],
            id="already a candidate",
        ),
        pytest.param(rows(("", ""), ("", "")), ["Enter at least one candidate"], id="empty"),
    ],
)
def test_any_bad_row_adds_nobody_and_keeps_every_row(
    app, people, make_opening, make_candidate, data, errors
):
    opening_id = make_opening()
    make_candidate(opening_id, name="Old Hand", email="old@example.org")
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/bulk", data=data
    )
    assert response.status_code == 200
    shown = page(response)
    for error in errors:
        assert error in shown
    assert 'aria-invalid="true"' in shown
    for value in data.values():
        if value.strip():
            assert f'value="{value}"' in shown  # kept as typed
    assert [row[0] for row in stored(app, opening_id)] == ["Old Hand"]


def test_a_closed_opening_takes_no_rows(app, people, make_opening):
    from coachkit.database import utcnow

    opening_id = make_opening(closed_at=utcnow())
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates/bulk", data=rows(("Ann", "ann@example.org"))
    )
    assert response.status_code == 302
    assert stored(app, opening_id) == []
