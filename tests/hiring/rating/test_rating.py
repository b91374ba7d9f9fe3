"""Blind rating of written answers: what waits for whom, scoring against the rubric,
seeing the others only afterwards, and never seeing who the candidate is."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    ExerciseVersion,
    Opening,
    RaterScore,
    SkillResult,
)
from coachkit.hiring.rating import blinding
from coachkit.hiring.rating.queue import QueuePage, next_waiting, overview
from tests.conftest import page, signed_in
from tests.hiring.conftest import OPEN_ITEM, SKILLS, rate, rate_url, statements_for, status_of

CSRF_VALUE = re.compile(
    r'(?<=name="csrf_token" value=")[^"]*|(?<=name="csrf_token" type="hidden" value=")[^"]*'
)
KEYED_ITEM = "cut-off-mid-interview"
OLD_ITEM = "evenings-keep-dropping-before"  # the open item's id in an earlier version


def form(*ratings: int | None) -> dict[str, str]:
    """The rating form as posted: one rating per rubric skill, None left out."""
    return {f"rate-{s}": str(r) for s, r in zip(SKILLS, ratings, strict=True) if r is not None}


def chosen(text: str) -> dict[str, str]:
    """The checked rating per skill in a rating page."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", text):
        if " checked" in tag and 'type="radio"' in tag:
            name = re.search(r'name="rate-([^"]+)"', tag)
            value = re.search(r'value="([^"]+)"', tag)
            if name and value:
                found[name.group(1)] = value.group(1)
    return found


def scores_of(app, candidate_id: int, rater_id: int | None = None) -> dict[tuple[int, str], int]:
    with app.app_context():
        statement = select(RaterScore).where(RaterScore.candidate_id == candidate_id)
        if rater_id is not None:
            statement = statement.where(RaterScore.rater_id == rater_id)
        return {(s.rater_id, s.skill): s.rating for s in db.session.scalars(statement)}


# Redaction (pure)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm Zelda Quixwell.", "I'm [name] [name]."),
        ("zelda here, QUIXWELL family", "[name] here, [name] family"),
        ("Zeldas and Quixwellian stay", "Zeldas and Quixwellian stay"),  # whole words only
        ("Write to zelda.quixwell@Example.org", "Write to [e-mail]"),
        ("Zelda's reply", "[name]'s reply"),
    ],
)
def test_redact_hides_name_parts_and_email(text, expected):
    assert blinding.redact(text, "Zelda Quixwell", "zelda.quixwell@example.org") == expected


def test_redact_skips_one_letter_parts_and_splits_hyphens():
    text = "J. Anne-Marie O'Neil: a jolly Neil"
    assert blinding.redact(text, "J. Anne-Marie O'Neil", "x@example.org") == (
        "J. [name]-[name] O'[name]: a jolly [name]"
    )


def test_names_that_are_everyday_words_are_blanked_only_when_capitalised():
    text = "I will hope this helps, and you may call me. Thanks, Will Hope"
    assert blinding.redact(text, "Will Hope", "will@example.org") == (
        "I will hope this helps, and you may call me. Thanks, [name] [name]"
    )
    assert blinding.redact("quixwell here", "Zelda Quixwell", "z@example.org") == "[name] here"


# What waits for whom


@pytest.fixture
def opening(make_opening):
    return make_opening()


def test_index_counts_answers_waiting_for_me(
    app, people, opening, make_candidate, submitted, give_scores
):
    first, second, blank, _invited = (make_candidate(opening) for _ in range(4))
    submitted(first)
    submitted(second)
    submitted(blank, text="")  # nothing written: nothing to rate
    with app.app_context():
        open_ = db.session.get(Opening, opening)
        recruiter = db.session.get(User, people.recruiter.id)
        assert overview([open_], recruiter)[0].waiting == 2
    give_scores(first, people.recruiter.id, dict.fromkeys(SKILLS, 3))
    give_scores(first, people.second_recruiter.id, dict.fromkeys(SKILLS, 4))
    with app.app_context():
        open_ = db.session.get(Opening, opening)
        counts = {
            person.id: overview([open_], db.session.get(User, person.id))[0]
            for person in (people.recruiter, people.admin)
        }
    # Mine is done; the admin is not needed on `first` (it has its two raters).
    assert (counts[people.recruiter.id].waiting, counts[people.recruiter.id].done) == (1, 1)
    assert (counts[people.admin.id].waiting, counts[people.admin.id].answers) == (1, 2)
    text = page(signed_in(app, people.recruiter).get("/hiring/rating/"))
    assert "Care adviser" in text and "1 of 2" in text


def test_index_lists_open_openings_and_closed_ones_with_answers_waiting(
    app, people, make_opening, make_candidate, submitted
):
    make_opening("Still hiring")
    make_opening("Long closed", closed_at=utcnow())
    recently_closed = make_opening("Just closed", closed_at=utcnow())
    submitted(make_candidate(recently_closed))
    text = page(signed_in(app, people.recruiter).get("/hiring/rating/"))
    assert "Still hiring" in text and "Long closed" not in text
    assert "Just closed" in text and "Closed" in text


def test_queue_shows_codes_and_marks_my_done_answers(
    app, people, opening, make_candidate, submitted, give_scores
):
    first, second = make_candidate(opening), make_candidate(opening)
    submitted(first)
    submitted(second)
    give_scores(first, people.recruiter.id, dict.fromkeys(SKILLS, 3))
    response = signed_in(app, people.recruiter).get(f"/hiring/rating/openings/{opening}")
    text = page(response)
    assert response.status_code == 200
    with app.app_context():
        codes = {c.id: c.code for c in db.session.scalars(select(Candidate))}
    assert codes[first] in text and codes[second] in text
    assert "Done" in text and "Evenings keep dropping" in text
    # Waiting answers come first.
    assert text.index(codes[second]) < text.index(codes[first])


def test_queue_pages_list_waiting_answers_first_then_the_rest(
    app, people, opening, make_candidate, submitted, give_scores
):
    """Every page size gives the same order: the answers waiting for me, oldest hand-in
    first, then mine and those with enough raters; each answer exactly once."""
    made = [make_candidate(opening) for _ in range(7)]
    for candidate in made:
        submitted(candidate)
    me, other, third = people.recruiter.id, people.second_recruiter.id, people.admin.id
    give_scores(made[0], me, dict.fromkeys(SKILLS, 3))  # mine
    give_scores(made[2], other, dict.fromkeys(SKILLS, 4))  # one rater: still waiting
    for rater in (other, third):  # enough raters
        give_scores(made[4], rater, dict.fromkeys(SKILLS, 2))
    with app.app_context():
        order = [
            c.id
            for c in db.session.scalars(
                select(Candidate).order_by(Candidate.submitted_at, Candidate.id)
            )
        ]
        rest = {made[0], made[4]}
        expected = [c for c in order if c not in rest] + [c for c in order if c in rest]
        opening_row = db.session.get_one(Opening, opening)
        rater = db.session.get_one(User, me)
        for per_page in (1, 2, 3, 5, 7, 10):
            seen, number, has_next = [], 1, True
            while has_next:
                result = QueuePage(opening_row, rater, number, per_page)
                assert len(result.items) <= per_page
                seen += [entry.candidate_id for entry in result.items]
                has_next, number = result.has_next, number + 1
            assert seen == expected, per_page
        beyond = QueuePage(opening_row, rater, 9, 5)
        assert beyond.items == [] and not beyond.has_next
        assert next_waiting(opening_row, rater).candidate_id == expected[0]
    client = signed_in(app, people.recruiter)
    text = page(client.get(f"/hiring/rating/openings/{opening}?page=99"))
    assert "No more answers" in text


def test_queue_pages_link_to_each_other_without_counting_every_answer(
    app, people, opening, add_candidates
):
    """The pager under the queue (the one pagination macro): Next while more answers
    follow, Previous after the first page, and the page number alone, since the queue
    does not count every answer."""
    add_candidates(opening, 51)  # one more than a page
    client = signed_in(app, people.recruiter)
    queue = f"/hiring/rating/openings/{opening}"
    first, second = page(client.get(queue)), page(client.get(f"{queue}?page=2"))
    assert f'<a href="{queue}?page=2">Next</a>' in first and "Previous" not in first
    assert "<span>Page 1</span>" in first
    assert f'<a href="{queue}?page=1">Previous</a>' in second and ">Next<" not in second
    assert "<span>Page 2</span>" in second and second.count('<th scope="row">') == 1


def test_queue_links_each_answer_to_its_rating_page(
    app, people, opening, make_candidate, submitted, give_scores
):
    """Each row links its answer to its rating page and follows its answer's raters."""
    made = [make_candidate(opening) for _ in range(3)]
    for candidate in made:
        submitted(candidate)
    client = signed_in(app, people.recruiter)
    queue = f"/hiring/rating/openings/{opening}"
    text = page(client.get(queue))
    links = re.findall(r'href="([^"]*/candidates/[^"]*)"', text)
    assert links == [rate_url(opening, candidate) for candidate in made]
    assert client.get(links[0]).status_code == 200
    assert text.count("0 of 2") == 3
    give_scores(made[1], people.second_recruiter.id, dict.fromkeys(SKILLS, 3))
    after = page(client.get(queue))
    assert after.count("0 of 2") == 2 and after.count("1 of 2") == 1


def test_queue_never_loses_an_answer_short_of_raters_on_a_fully_rated_candidate(
    app, people, opening, make_candidate, submitted
):
    """The waiting part only walks candidates not yet fully rated; an answer short of
    raters on a candidate flagged fully rated still shows, once, with its Rate button."""
    flagged, plain = make_candidate(opening), make_candidate(opening)
    submitted(flagged)
    submitted(plain)
    with app.app_context():
        db.session.get_one(Candidate, flagged).fully_rated = True
        db.session.commit()
        opening_row = db.session.get_one(Opening, opening)
        rater = db.session.get_one(User, people.recruiter.id)
        entries = QueuePage(opening_row, rater, 1, 10).items
        # (SQLite lists it with the rest, PostgreSQL among the waiting: once either way.)
        assert sorted(entry.candidate_id for entry in entries) == sorted([plain, flagged])
        assert all(entry.waiting(opening_row.raters_required) for entry in entries)
        assert next_waiting(opening_row, rater).candidate_id in (plain, flagged)


# Scoring one answer


def test_rate_page_shows_the_item_rubric_and_the_answer(
    app, people, opening, make_candidate, submitted
):
    candidate = make_candidate(opening)
    submitted(candidate, text="I can see three drop-outs; an engineer can come Thursday.")
    text = page(signed_in(app, people.recruiter).get(rate_url(opening, candidate)))
    assert "Write the chat reply you would send her." in text
    assert "an engineer can come Thursday" in text
    assert "Active listening" in text  # the skill's catalogue name
    assert "Books or firmly offers the Thursday visit" in text  # an anchor of this item
    assert text.count('type="radio"') == 15


def test_other_raters_scores_show_only_after_mine(
    app, people, opening, make_candidate, submitted, give_scores
):
    candidate = make_candidate(opening)
    submitted(candidate)
    give_scores(candidate, people.second_recruiter.id, {s: 2 for s in SKILLS})
    client = signed_in(app, people.recruiter)
    before = page(client.get(rate_url(opening, candidate)))
    assert people.second_recruiter.name not in before
    assert "Everyone's scores" not in before
    response = client.post(rate_url(opening, candidate), data=form(4, 5, 3))
    assert response.status_code == 302
    after = page(client.get(rate_url(opening, candidate)))
    assert "Everyone's scores" in after and people.second_recruiter.name in after
    assert "3.0" in after and "3.5" in after  # means: (2+4)/2, (2+5)/2
    assert chosen(after) == {"active-listening": "4", "ownership": "5", "candid-communication": "3"}


def test_saving_scores_refreshes_results_and_moves_to_scored(
    app, people, opening, make_candidate, submitted, give_scores
):
    candidate = make_candidate(opening)
    submitted(candidate)
    give_scores(candidate, people.second_recruiter.id, {s: 2 for s in SKILLS})
    client = signed_in(app, people.recruiter)
    response = client.post(rate_url(opening, candidate), data=form(4, 4, 4))
    assert response.headers["Location"] == f"/hiring/rating/openings/{opening}"
    assert "Nothing else waits for you here" in page(client.get(response.headers["Location"]))
    with app.app_context():
        saved = db.session.get(Candidate, candidate)
        assert saved.status == CandidateStatus.SCORED
        results = {r.skill: r.score for r in saved.skill_results}
    assert scores_of(app, candidate, people.recruiter.id) == {
        (people.recruiter.id, s): 4 for s in SKILLS
    }
    # active-listening: the open item's mean 3 and the keyed items' scores; at least
    # the open item's rating counts (the submitted fixture answers keyed items best).
    assert set(SKILLS) <= set(results)


def test_after_saving_the_next_waiting_answer_opens(
    app, people, opening, make_candidate, submitted
):
    first, second = make_candidate(opening), make_candidate(opening)
    submitted(first)
    submitted(second)
    client = signed_in(app, people.recruiter)
    response = client.post(rate_url(opening, first), data=form(3, 3, 3))
    assert response.headers["Location"] == rate_url(opening, second)


def test_changing_my_scores_updates_them_without_duplicates(
    app, people, opening, make_candidate, submitted
):
    candidate = make_candidate(opening)
    submitted(candidate)
    client = signed_in(app, people.recruiter)
    client.post(rate_url(opening, candidate), data=form(2, 2, 2))
    client.post(rate_url(opening, candidate), data=form(5, 4, 3))
    client.post(rate_url(opening, candidate), data=form(5, 4, 3))  # a double submit
    assert scores_of(app, candidate) == {
        (people.recruiter.id, "active-listening"): 5,
        (people.recruiter.id, "ownership"): 4,
        (people.recruiter.id, "candid-communication"): 3,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(4, None, 3), "Choose a rating from 1 to 5 for Ownership."),
        (form(4, 6, 3), "Choose a rating from 1 to 5 for Ownership."),
        ({**form(4, 1, 3), "rate-ownership": "lots"}, "Choose a rating from 1 to 5 for Ownership."),
    ],
)
def test_bad_ratings_are_refused_on_the_field(
    app, people, opening, make_candidate, submitted, data, message
):
    candidate = make_candidate(opening)
    submitted(candidate)
    response = signed_in(app, people.recruiter).post(rate_url(opening, candidate), data=data)
    text = page(response)
    assert response.status_code == 200
    assert message in text and 'id="rate-ownership-error"' in text
    assert chosen(text)["active-listening"] == "4"  # what was chosen is kept
    assert scores_of(app, candidate) == {}


def test_unrateable_answers_are_not_found(
    app, people, opening, make_opening, make_candidate, submitted
):
    other_opening = make_opening("Shop floor")
    stranger = make_candidate(other_opening)
    submitted(stranger)
    blank, started = make_candidate(opening), make_candidate(opening)
    submitted(blank, text="")
    with app.app_context():  # typing, not handed in
        db.session.add(Answer(candidate_id=started, item_id=OPEN_ITEM, value={"text": "Hi"}))
        db.session.get(Candidate, started).status = CandidateStatus.STARTED
        db.session.commit()
    ready = make_candidate(opening)
    submitted(ready)
    client = signed_in(app, people.recruiter)
    for url in (
        rate_url(opening, stranger),  # another opening's candidate via this opening
        rate_url(opening, blank),
        rate_url(opening, started),
        rate_url(opening, ready, KEYED_ITEM),
        rate_url(opening, ready, "no-such-item"),
        rate_url(999_999, ready),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data=form(3, 3, 3)).status_code == 404, url
    assert client.get("/hiring/rating/openings/999999").status_code == 404
    assert scores_of(app, stranger) == {}


# Who may rate


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_managers_and_employees_may_not_rate(app, people, opening, make_candidate, who):
    candidate = make_candidate(opening)
    client = signed_in(app, getattr(people, who))
    for url in (
        "/hiring/rating/",
        f"/hiring/rating/openings/{opening}",
        rate_url(opening, candidate),
    ):
        assert client.get(url).status_code == 403
    assert client.post(rate_url(opening, candidate), data=form(3, 3, 3)).status_code == 403


def test_anonymous_is_sent_to_sign_in(app, client, opening, make_candidate):
    candidate = make_candidate(opening)
    for url in (
        "/hiring/rating/",
        f"/hiring/rating/openings/{opening}",
        rate_url(opening, candidate),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_admin_may_rate(app, people, opening, make_candidate, submitted):
    candidate = make_candidate(opening)
    submitted(candidate)
    client = signed_in(app, people.admin)
    assert client.post(rate_url(opening, candidate), data=form(3, 3, 3)).status_code == 302
    assert len(scores_of(app, candidate, people.admin.id)) == 3


# Blindness


def test_no_rater_page_reveals_who_the_candidate_is(
    app, people, opening, make_candidate, submitted, give_scores
):
    name, email = "Zelda Quixwell", "zelda.quixwell@example.org"
    candidate = make_candidate(opening, name=name, email=email)
    submitted(
        candidate,
        text=f"Hello, this is ZELDA quixwell ({email.upper()}). Zelda will book Thursday.",
    )
    give_scores(candidate, people.second_recruiter.id, {s: 3 for s in SKILLS})
    client = signed_in(app, people.recruiter)
    pages = {
        "index": client.get("/hiring/rating/"),
        "queue": client.get(f"/hiring/rating/openings/{opening}"),
        "before": client.get(rate_url(opening, candidate)),
    }
    pages["saved"] = client.post(
        rate_url(opening, candidate), data=form(4, 4, 4), follow_redirects=True
    )
    pages["after"] = client.get(rate_url(opening, candidate))
    pages["bad input"] = client.post(rate_url(opening, candidate), data=form(4, None, 4))
    for label, response in pages.items():
        # CSRF tokens are random: one may contain "720" by chance.
        text = CSRF_VALUE.sub("", page(response).lower())
        assert response.status_code == 200, label
        for secret in ("zelda", "quixwell", email, "12 min", "720"):
            assert secret not in text, (label, secret)
    assert "[name] [name] ([e-mail]). [name] will book thursday." in page(pages["after"]).lower()


# Query counts


def test_rating_pages_query_count_does_not_grow_with_candidates(
    app, people, opening, add_candidates, give_scores
):
    ids = add_candidates(opening, 3)
    give_scores(ids[0], people.second_recruiter.id, {s: 3 for s in SKILLS})
    client = signed_in(app, people.recruiter)
    paths = ["/hiring/rating/", f"/hiring/rating/openings/{opening}", rate_url(opening, ids[0])]
    for path in paths:
        client.get(path)  # warm up
    small = [statements_for(app, client, path) for path in paths]
    more = add_candidates(opening, 27)
    for candidate in more[:5]:
        give_scores(candidate, people.second_recruiter.id, {s: 2 for s in SKILLS})
    assert [statements_for(app, client, path) for path in paths] == small
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Candidate)) == 30


def test_answers_to_an_edited_exercise_are_rated_against_the_pinned_version(
    app, people, make_opening, make_candidate
):
    """The opening was created before the file changed (its open item had another id):
    the answer is still in the queue, rateable against the old item, and scored."""
    opening_id = make_opening()
    with app.app_context():
        current = versions.exercise_of(db.session.get(Opening, opening_id))
        source = current.path.read_text().replace(f"## open {OPEN_ITEM}", f"## open {OLD_ITEM}")
        db.session.add(
            ExerciseVersion(slug=current.slug, version="old0000001", title="Old", source=source)
        )
        db.session.get(Opening, opening_id).exercise_version = "old0000001"
        db.session.commit()
    candidate_id = make_candidate(opening_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        db.session.add(Answer(candidate_id=candidate_id, item_id=OLD_ITEM, value={"text": "Hi"}))
        candidate.status, candidate.submitted_at = CandidateStatus.SUBMITTED, utcnow()
        db.session.commit()
    client = signed_in(app, people.recruiter)
    assert f"items/{OLD_ITEM}" in page(client.get(f"/hiring/rating/openings/{opening_id}"))
    assert rate(client, opening_id, candidate_id, 4, OLD_ITEM).status_code == 302
    second = signed_in(app, people.second_recruiter)
    assert rate(second, opening_id, candidate_id, 2, OLD_ITEM).status_code == 302
    assert status_of(app, candidate_id) == CandidateStatus.SCORED
    with app.app_context():
        results = dict(
            db.session.execute(
                select(SkillResult.skill, SkillResult.score).where(
                    SkillResult.candidate_id == candidate_id
                )
            ).all()
        )
        assert "ownership" in results
