"""Each opening's candidates counted by status: the rollup every status count reads
(`hiring.models.STATUS_COUNTS`) and the list of counts the recruiter's pages show.
Every test also checks the rollups against their rows when it ends (tests/conftest.py)."""

from __future__ import annotations

import re
from collections import Counter

from flask import get_template_attribute

from coachkit.extensions import db
from coachkit.hiring.candidates import deletion
from coachkit.hiring.models import Candidate, CandidateStatus
from coachkit.hiring.status_counts import StatusCounts, status_counts
from tests.conftest import signed_in
from tests.hiring.conftest import back_date, opening_form, rate, stored_status_counts


def counts_of(app, opening_id: int) -> dict[str, int]:
    kept, counted = stored_status_counts(app)
    assert kept == counted
    return {status.value: n for (opening, status), n in kept.items() if opening == opening_id}


def test_every_change_of_status_moves_one_count(
    app, people, make_opening, make_candidate, invite, submitted
):
    opening_id = make_opening(raters_required=1)
    other = make_opening("Team lead")
    first, second, third = (make_candidate(opening_id) for _ in range(3))
    make_candidate(other)
    assert counts_of(app, opening_id) == {"new": 3}
    invite(second)
    submitted(third)
    assert counts_of(app, opening_id) == {"new": 1, "invited": 1, "submitted": 1}
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{third}"
    assert client.post(f"{url}/decision", data={"decision": "shortlisted"}).status_code == 302
    delete = f"/hiring/openings/{opening_id}/candidates/{first}/delete"
    assert client.post(delete, data={"confirm": "y"}).status_code == 302
    assert counts_of(app, opening_id) == {"invited": 1, "shortlisted": 1}
    assert counts_of(app, other) == {"new": 1}


def test_raters_required_changing_moves_the_counts_in_bulk(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(raters_required=2)
    ids = [make_candidate(opening_id) for _ in range(3)]
    for candidate_id in ids:
        submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    for candidate_id in ids[:2]:  # one rater each: fully rated once one is required
        assert rate(client, opening_id, candidate_id, 4).status_code == 302
    assert counts_of(app, opening_id) == {"submitted": 3}
    edit = f"/hiring/openings/{opening_id}/edit"
    assert client.post(edit, data=opening_form(raters_required="1")).status_code == 302
    assert counts_of(app, opening_id) == {"submitted": 1, "scored": 2}
    assert client.post(edit, data=opening_form(raters_required="3")).status_code == 302
    assert counts_of(app, opening_id) == {"submitted": 3}


def test_purge_takes_the_deleted_off_the_counts(app, make_opening, make_candidate, invite):
    opening_id = make_opening()
    old, invited_old, recent = (make_candidate(opening_id) for _ in range(3))
    invite(invited_old)
    back_date(app, old, 400)
    back_date(app, invited_old, 400)
    with app.app_context():
        assert deletion.purge(365) == 2
        db.session.commit()
    assert counts_of(app, opening_id) == {"new": 1}
    with app.app_context():
        assert db.session.get(Candidate, recent) is not None


def test_a_delete_takes_off_the_status_the_row_held_and_only_once(
    app, make_opening, make_candidate, invite
):
    """The recruiter's page read the candidate as new; meanwhile an invite went out.
    Deleting takes one invited candidate off the counts; deleting again (a second
    click, a purge first) takes nothing."""
    opening_id = make_opening()
    candidate_id, kept = make_candidate(opening_id), make_candidate(opening_id)

    def read_stale() -> Candidate:
        candidate = db.session.get_one(Candidate, candidate_id)
        assert candidate.status == CandidateStatus.NEW
        db.session.expunge(candidate)
        db.session.rollback()
        return candidate

    with app.app_context():
        stale, stale_again = read_stale(), read_stale()
        invite(candidate_id)
        assert counts_of(app, opening_id) == {"new": 1, "invited": 1}
        for copy in (stale, stale_again):
            db.session.add(copy)
            deletion.delete_candidate(copy)
            db.session.commit()
            assert counts_of(app, opening_id) == {"new": 1}
        assert db.session.get(Candidate, kept) is not None


def test_status_counts_read_the_rollup_in_one_query(
    app, make_opening, make_candidate, count_queries
):
    ids = [make_opening(f"Opening {n}") for n in range(3)]
    for opening_id in ids:
        for _ in range(opening_id % 3 + 1):
            make_candidate(opening_id)
    with app.app_context():
        found = {}
        assert count_queries(lambda: found.update(status_counts([*ids, 999])), "SELECT") == 1
        db.session.remove()
    assert {key: value.total for key, value in found.items()} == {
        **{opening_id: opening_id % 3 + 1 for opening_id in ids},
        999: 0,
    }


def status_counts_macro():
    """The template macro every page shows an opening's counts with."""
    return get_template_attribute("hiring/_macros.html", "status_counts")


def test_the_counts_list_every_status_in_order_and_mute_the_zeros(app):
    counts = StatusCounts(Counter({CandidateStatus.NEW: 3, CandidateStatus.HIRED: 1}))
    with app.test_request_context():
        html = str(status_counts_macro()(counts))
    names = re.findall(r'class="status-name">([^<]+)<', html)
    assert names == [status.label.lower() for status in CandidateStatus]
    assert re.findall(r'<li( class="is-zero")?><span class="status-count">(\d+)', html) == [
        ("", "3"),
        *[(' class="is-zero"', "0")] * 6,
        ("", "1"),
    ]
    assert "<a " not in html


def test_linked_counts_filter_the_candidates_by_status(app):
    counts = StatusCounts(Counter({CandidateStatus.SUBMITTED: 2}))
    opening = type("OpeningStub", (), {"id": 7})()
    with app.test_request_context():
        html = str(status_counts_macro()(counts, opening, "hiring.candidates.index"))
    assert re.findall(r'href="([^"]+)"', html) == ["/hiring/openings/7/candidates?status=submitted"]
