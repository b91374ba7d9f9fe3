"""The comparison of an opening's candidates: sorting in SQL, filtering, pagination,
the CSV export, blindness, provisional scores, and a query count that does not grow
with candidates."""

from __future__ import annotations

import pytest

from coachkit.extensions import db
from coachkit.hiring.candidates import comparison
from coachkit.hiring.models import Candidate, CandidateStatus, SkillResult
from tests.conftest import csv_rows, page, signed_in
from tests.hiring.conftest import rate, status_of

SKILLS = ("active-listening", "empathy")
NAMES = {
    "strong": "Strong Sam",
    "middling": "Middling Mo",
    "quick": "Quick Quinn",
    "waiting": "Waiting Wen",
}


def set_result(
    app,
    candidate_id: int,
    *,
    overall: float | None = None,
    seconds: int | None = None,
    status: CandidateStatus | None = None,
    scores: dict[str, float] | None = None,
    timed_out: bool = False,
) -> str:
    """Give a candidate stored results directly; return their code."""
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.overall, candidate.seconds_taken = overall, seconds
        candidate.timed_out = timed_out
        if status is not None:
            candidate.status = status
            candidate.fully_rated = status != CandidateStatus.SUBMITTED
        for skill, score in (scores or {}).items():
            db.session.add(SkillResult(candidate_id=candidate_id, skill=skill, score=score))
        db.session.commit()
        return candidate.code


@pytest.fixture
def field(app, people, make_opening, make_candidate):
    """Four candidates with different results, and a signed-in recruiter."""
    opening_id = make_opening()
    codes = {
        "strong": set_result(
            app,
            make_candidate(opening_id, name="Strong Sam"),
            overall=4.6,
            seconds=900,
            status=CandidateStatus.SCORED,
            scores={"empathy": 4.0, "active-listening": 5.0},
        ),
        "middling": set_result(
            app,
            make_candidate(opening_id, name="Middling Mo"),
            overall=3.25,
            seconds=500,
            status=CandidateStatus.SHORTLISTED,
            scores={"empathy": 4.8, "active-listening": 2.0},
        ),
        "quick": set_result(
            app,
            make_candidate(opening_id, name="Quick Quinn"),
            overall=2.0,
            seconds=200,
            status=CandidateStatus.SUBMITTED,
            scores={"active-listening": 1.0},  # no empathy result yet
            timed_out=True,
        ),
        "waiting": set_result(app, make_candidate(opening_id, name="Waiting Wen")),
    }
    return opening_id, codes, signed_in(app, people.recruiter)


def order(client, opening_id: int, query: str, codes: dict[str, str]) -> list[str]:
    """Which candidates the comparison lists, in order, by their fixture names."""
    text = page(client.get(f"/hiring/openings/{opening_id}/compare?{query}"))
    shown = codes if "names=0" in query else NAMES
    found = sorted((text.find(key), label) for label, key in shown.items() if key in text)
    return [label for _at, label in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["strong", "middling", "quick", "waiting"]),  # overall, best first
        ("sort=overall&dir=asc", ["quick", "middling", "strong", "waiting"]),  # nulls last
        ("sort=empathy", ["middling", "strong", "quick", "waiting"]),
        ("sort=empathy&dir=asc", ["strong", "middling", "quick", "waiting"]),
        ("sort=active-listening&dir=desc", ["strong", "middling", "quick", "waiting"]),
        ("sort=time", ["quick", "middling", "strong", "waiting"]),
        ("sort=time&dir=desc", ["strong", "middling", "quick", "waiting"]),
        ("sort=status", ["waiting", "quick", "strong", "middling"]),
        ("sort=status&dir=desc", ["middling", "strong", "quick", "waiting"]),
        ("sort=bogus&dir=sideways", ["strong", "middling", "quick", "waiting"]),
        ("sort=name&names=0", ["strong", "middling", "quick", "waiting"]),  # names hidden
        ("sort=name", ["middling", "quick", "strong", "waiting"]),  # names shown: default
        ("sort=trust-building", ["strong", "middling", "quick", "waiting"]),  # not this exercise
    ],
)
def test_sorting(field, query, expected):
    opening_id, codes, client = field
    assert order(client, opening_id, query, codes) == expected


def test_sort_by_code(field):
    opening_id, codes, client = field
    listed = order(client, opening_id, "sort=code", codes)
    assert [codes[label] for label in listed] == sorted(codes.values())


def test_filter_by_status(field):
    opening_id, codes, client = field
    assert order(client, opening_id, "status=shortlisted", codes) == ["middling"]
    assert len(order(client, opening_id, "status=nonsense", codes)) == 4
    empty = page(client.get(f"/hiring/openings/{opening_id}/compare?status=hired"))
    assert "No candidates are hired." in empty


def test_page_shows_scores_time_and_skill_columns(field):
    opening_id, codes, client = field
    text = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    assert "Active listening" in text and "Empathy" in text and "Ownership" in text
    assert ">4.6<" in text.replace("<strong>", "").replace("</strong>", "")
    assert "3.2" in text or "3.3" in text
    assert "15 min 0 s" in text
    assert "3 min 20 s, timed out" in text
    assert 'aria-sort="descending"' in text
    assert text.count("<h1") == 1


def test_names_by_default_and_codes_on_request(field):
    opening_id, codes, client = field
    blind = page(client.get(f"/hiring/openings/{opening_id}/compare?names=0"))
    assert all(code in blind for code in codes.values())
    assert "Strong Sam" not in blind
    assert "Raters always score blind" in blind
    named = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    assert "Strong Sam" in named and "Hide names" in named


def test_pages_of_fifty(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    for number in range(53):
        set_result(app, make_candidate(opening_id), overall=1 + number / 20)
    client = signed_in(app, people.recruiter)
    first = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    second = page(client.get(f"/hiring/openings/{opening_id}/compare?page=2"))
    assert "Page 1 of 2" in first
    assert first.count('<tr>\n      <th scope="row">') == 50
    assert second.count('<tr>\n      <th scope="row">') == 3
    assert "3.6" in first and "1.1" in second  # best first, so the lowest come last


def test_pages_under_a_status_filter_count_only_that_status(
    app, people, make_opening, make_candidate
):
    """The page count comes from the status counts shown above the table."""
    opening_id = make_opening()
    for number in range(55):
        status = CandidateStatus.SCORED if number < 52 else CandidateStatus.REJECTED
        set_result(app, make_candidate(opening_id), overall=1 + number / 20, status=status)
    client = signed_in(app, people.recruiter)
    everyone = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    scored = page(client.get(f"/hiring/openings/{opening_id}/compare?status=scored&page=2"))
    rejected = page(client.get(f"/hiring/openings/{opening_id}/compare?status=rejected"))
    assert "Page 1 of 2" in everyone
    assert "Page 2 of 2" in scored and scored.count('<th scope="row">') == 2
    assert "Page 1 of" not in rejected and rejected.count('<th scope="row">') == 3


def test_a_page_past_the_end_is_not_found(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    set_result(app, make_candidate(opening_id), overall=3.0)
    client = signed_in(app, people.recruiter)
    assert client.get(f"/hiring/openings/{opening_id}/compare?page=2").status_code == 404
    assert client.get(f"/hiring/openings/{opening_id}/compare?page=1").status_code == 200


def test_unscored_candidates_come_last_in_either_direction(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    low = set_result(app, make_candidate(opening_id), overall=1.5)
    high = set_result(app, make_candidate(opening_id), overall=4.5)
    unscored = set_result(app, make_candidate(opening_id))
    client = signed_in(app, people.recruiter)
    for direction, first in (("desc", high), ("asc", low)):
        text = page(
            client.get(
                f"/hiring/openings/{opening_id}/compare?sort=overall&dir={direction}&names=0"
            )
        )
        order = sorted((low, high, unscored), key=text.index)
        assert order[0] == first and order[-1] == unscored


def test_query_count_is_the_same_for_5_and_50_candidates(
    app, people, make_opening, make_candidate, count_queries
):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    urls = [
        f"/hiring/openings/{opening_id}/compare",
        f"/hiring/openings/{opening_id}/compare?sort=empathy&dir=asc&names=1",
        f"/hiring/openings/{opening_id}/compare?status=scored&sort=time",
    ]

    def grow(count: int) -> list[int]:
        for number in range(count):
            set_result(
                app,
                make_candidate(opening_id),
                overall=3.0,
                seconds=600 + number,
                status=CandidateStatus.SCORED,
                scores={"empathy": 3.0, "active-listening": 4.0, "ownership": 2.5},
            )
        return [count_queries(lambda url=url: client.get(url)) for url in urls]

    assert grow(5) == grow(45)


# CSV export ------------------------------------------------------------------------


def test_export_has_codes_scores_and_time(field):
    opening_id, codes, client = field
    response = client.get(f"/hiring/openings/{opening_id}/compare.csv?names=0")
    assert response.mimetype == "text/csv"
    header, *rows = csv_rows(response)
    assert header[:3] == ["Code", "Status", "Active listening"]
    assert header[-4:] == ["Overall", "Provisional", "Seconds taken", "Timed out"]
    assert "Name" not in header
    assert [row[0] for row in rows] == [
        codes[k] for k in ("strong", "middling", "quick", "waiting")
    ]
    strong = rows[0]
    assert strong[1] == "Scored"
    assert strong[header.index("Active listening")] == "5.0"
    assert strong[header.index("Empathy")] == "4.0"
    assert strong[-4:] == ["4.6", "no", "900", "no"]
    assert rows[2][-1] == "yes"
    assert rows[2][-3] == "yes"  # submitted: written answers wait for raters
    assert rows[3][-4:] == ["", "no", "", "no"]
    assert not any("Strong Sam" in cell for row in rows for cell in row)


def test_export_follows_filters_and_the_names_switch(field):
    opening_id, codes, client = field
    response = client.get(f"/hiring/openings/{opening_id}/compare.csv?status=shortlisted&names=1")
    header, *rows = csv_rows(response)
    assert header[:3] == ["Code", "Name", "Status"]
    assert [row[:2] for row in rows] == [[codes["middling"], "Middling Mo"]]
    assert "with-names" in response.headers["Content-Disposition"]
    blind = client.get(f"/hiring/openings/{opening_id}/compare.csv?names=0")
    assert "with-names" not in blind.headers["Content-Disposition"]


def test_export_is_formula_safe(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    make_candidate(opening_id, name='=HYPERLINK("http://evil.example","x")')
    make_candidate(opening_id, name="@SUM(A1)")
    client = signed_in(app, people.recruiter)
    _header, *rows = csv_rows(client.get(f"/hiring/openings/{opening_id}/compare.csv?names=1"))
    names = sorted(row[1] for row in rows)
    assert names == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"]


# The view's arguments --------------------------------------------------------------


def test_parse_never_fails_on_odd_arguments():
    view = comparison.parse(
        {"sort": "'; drop table x", "dir": "up", "status": "x", "names": "maybe"},
        SKILLS,
        names_allowed=True,
    )
    assert view == comparison.View()
    assert comparison.parse({"sort": "empathy"}, SKILLS, names_allowed=True).direction == "desc"
    assert comparison.parse({"sort": "time"}, SKILLS, names_allowed=True).direction == "asc"
    assert not comparison.parse({"names": "1"}, SKILLS, names_allowed=False).names


def test_heading_links_flip_direction_of_the_current_sort():
    view = comparison.View(sort="empathy", direction="desc", names=True)
    assert view.sorted_by("empathy") == {"sort": "empathy", "dir": "asc"}
    assert view.sorted_by("time") == {"sort": "time", "dir": "asc"}
    blind = comparison.View(sort="empathy", direction="desc", names=False)
    assert blind.sorted_by("time") == {"sort": "time", "dir": "asc", "names": 0}
    assert view.aria_sort("empathy") == "descending" and view.aria_sort("time") == "none"


def test_scores_waiting_for_raters_are_marked_provisional(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    client.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "shortlisted"},
    )
    compare = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    assert 'class="provisional"' in compare
    candidate = page(client.get(f"/hiring/openings/{opening_id}/candidates/{candidate_id}"))
    assert "Provisional: written answers are still waiting" in candidate
    for reviewer in (people.recruiter, people.second_recruiter):
        rate(signed_in(app, reviewer), opening_id, candidate_id, 3)
    assert status_of(app, candidate_id) == CandidateStatus.SHORTLISTED  # decision kept
    assert 'class="provisional"' not in page(client.get(f"/hiring/openings/{opening_id}/compare"))
