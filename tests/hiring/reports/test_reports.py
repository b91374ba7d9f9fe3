"""The statistics reports of an opening, on data made through the models, against
hand-computed values: rater agreement, exercise quality and the four-fifths rule."""

from __future__ import annotations

from itertools import product

import pytest

from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.candidates import deletion
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    Opening,
    RaterScore,
    SelfIdentification,
)
from coachkit.hiring.models import scores_changed as revise_scores
from coachkit.hiring.reports import fairness, quality, statistics
from coachkit.hiring.self_identification import PREFER_NOT
from coachkit.statistics.agreement import icc_2_1, icc_2_k, krippendorff_alpha
from coachkit.statistics.contingency import fisher_exact, rate_ratio_interval
from coachkit.statistics.item_analysis import cronbach_alpha, cronbach_interval
from tests.conftest import page, signed_in
from tests.hiring.conftest import EXERCISE, OPEN_ITEM, statements_for

SKILLS = ("active-listening", "ownership", "candid-communication")
REPORTS = ("agreement", "quality", "fairness")
FLAG = '<span class="tag tag-warn">Needs calibration</span>'


def url(opening_id: int, report: str) -> str:
    return f"/hiring/reports/openings/{opening_id}/{report}"


def report_of(app, opening_id: int, build):
    with app.app_context():
        return build(db.session.get(Opening, opening_id))


@pytest.fixture
def opening(make_opening):
    return make_opening()


@pytest.fixture
def rated(add_candidates, give_scores):
    """rated(opening, {rater_id: [rating per candidate or None]}) -> candidate ids, each
    rater giving that rating on every rubric skill of the written answer."""

    def make(opening_id: int, ratings: dict[int, list[int | None]]) -> list[int]:
        count = len(next(iter(ratings.values())))
        ids = add_candidates(opening_id, count)
        for rater, column in ratings.items():
            for candidate, rating in zip(ids, column, strict=True):
                if rating is not None:
                    give_scores(candidate, rater, dict.fromkeys(SKILLS, rating))
        return ids

    return make


# Agreement


def test_two_raters_give_interval_alpha_and_percent_agreement(app, people, opening, rated):
    # Pairs (first, second): (1,1) (2,3) (3,3) (5,4), on each of the three skills.
    # Interval alpha by hand (Krippendorff 2011, via sums): the 8 ratings have N = 8,
    # S1 = 22, S2 = 74, so expected = 2 N S2 - 2 S1^2 = 216; observed, per answer
    # (2 m S2_u - 2 S1_u^2) / (m - 1): 0 + 2 + 0 + 2 = 4. alpha = 1 - 7 * 4 / 216 = 47/54.
    # The 12 pooled units: N = 24, S1 = 66, S2 = 222: expected 1944, observed 12,
    # alpha = 1 - 23 * 12 / 1944 = 139/162 = 0.858.
    rated(opening, {people.recruiter.id: [1, 2, 3, 5], people.second_recruiter.id: [1, 3, 3, 4]})
    report = report_of(app, opening, statistics.agreement_report)
    assert report.overall.value == pytest.approx(139 / 162)
    assert (report.overall.answers, report.overall.units, report.overall.raters) == (4, 12, 2)
    (item,) = report.items
    assert [skill for skill, _ in item.skills] == list(SKILLS)
    assert all(f.value == pytest.approx(47 / 54) for _, f in item.skills)
    assert not item.needs_calibration
    # Exact: (1,1) and (3,3) of 4 pairs; within one point: all 4.
    assert (report.overall.percent.exact, report.overall.percent.within_one) == (0.5, 1.0)
    # Every rater scored every unit: ICC(2,1) and ICC(2,k) as well.
    table = [[1, 1], [2, 3], [3, 3], [5, 4]] * 3
    assert report.overall.icc == pytest.approx(icc_2_1(table))
    assert report.overall.icc_mean == pytest.approx(icc_2_k(table))
    assert report.overall.interval is not None  # 12 units: a bootstrap interval
    text = page(signed_in(app, people.recruiter).get(url(opening, "agreement")))
    assert "0.86" in text and "Good agreement" in text and "Weighted kappa" not in text
    assert (
        '50%</span><span class="stat-label">of paired scores exactly the same; 100% within' in text
    )
    assert "ICC(2,2), reliability of the averaged score candidates get" in text
    assert "4 answers, 2 raters" in text and FLAG not in text


def test_three_raters_with_missing_ratings_give_krippendorffs_alpha(app, people, opening, rated):
    ratings = {
        people.recruiter.id: [1, 2, 4, 5, 3],
        people.second_recruiter.id: [2, 2, None, 4, 3],
        people.admin.id: [1, 3, 4, None, 2],
    }
    rated(opening, ratings)
    units = [[ratings[r][c] for r in ratings] for c in range(5)]
    report = report_of(app, opening, statistics.agreement_report)
    assert report.overall.value == pytest.approx(krippendorff_alpha(units * 3, "interval"))
    skill = report.items[0].skills[0][1]
    assert skill.value == pytest.approx(krippendorff_alpha(units, "interval"))
    assert (skill.answers, skill.raters) == (5, 3)
    assert report.overall.icc is None  # not every rater scored every answer
    text = page(signed_in(app, people.recruiter).get(url(opening, "agreement")))
    assert "Krippendorff's alpha" in text and f"{skill.value:.2f}" in text


def test_three_raters_on_every_answer_also_give_icc(app, people, opening, rated):
    ratings = {
        people.recruiter.id: [1, 2, 4, 5],
        people.second_recruiter.id: [2, 2, 4, 4],
        people.admin.id: [1, 3, 5, 5],
    }
    rated(opening, ratings)
    skill = report_of(app, opening, statistics.agreement_report).items[0].skills[0][1]
    assert skill.icc == pytest.approx(icc_2_1([[ratings[r][c] for r in ratings] for c in range(4)]))


def test_low_agreement_is_flagged_for_calibration(app, people, opening, rated):
    rated(opening, {people.recruiter.id: [1, 5, 2, 4], people.second_recruiter.id: [5, 1, 4, 2]})
    report = report_of(app, opening, statistics.agreement_report)
    assert report.overall.value < 0 and report.items[0].needs_calibration
    text = page(signed_in(app, people.admin).get(url(opening, "agreement")))
    assert FLAG in text and "each rater scores the same three or four" in text


def test_agreement_waits_for_a_second_rater(app, people, opening, rated):
    rated(opening, {people.recruiter.id: [3, 4, 2]})
    report = report_of(app, opening, statistics.agreement_report)
    assert report.overall.value is None and report.overall.single == 9
    text = page(signed_in(app, people.recruiter).get(url(opening, "agreement")))
    assert "Not enough ratings yet" in text and FLAG not in text


def test_raters_who_always_agree_on_one_score_are_told_so(app, people, opening, rated):
    rated(opening, {people.recruiter.id: [3, 3, 3], people.second_recruiter.id: [3, 3, 3]})
    report = report_of(app, opening, statistics.agreement_report)
    assert report.overall.no_variation and not report.items[0].needs_calibration
    text = page(signed_in(app, people.recruiter).get(url(opening, "agreement")))
    assert "they agree completely" in text and "Agree, no variation" in text
    assert "Not enough ratings yet" not in text and FLAG not in text


# Quality

# Ten candidates' 0-1 scores on the exercise's six items (five judgement, then the
# written one). By hand, with sample variances:
#   item variances 5/36, 43/480, 43/480, 149/1440, 7/72, 43/480 -> sum 73/120
#   totals 5.5 5.25 4.5 3.5 3.5 2.5 2.25 1.75 0.75 0.5 -> variance 37/12
#   alpha = 6/5 * (1 - (73/120) / (37/12)) = 6/5 * 297/370 = 891/925 = 0.963
MATRIX = [
    [1, 1, 0.75, 1, 0.75, 1],
    [1, 0.75, 1, 0.75, 1, 0.75],
    [0.75, 0.75, 0.5, 1, 0.75, 0.75],
    [0.75, 0.5, 0.75, 0.5, 0.5, 0.5],
    [0.5, 0.75, 0.5, 0.5, 0.75, 0.5],
    [0.5, 0.5, 0.25, 0.5, 0.25, 0.5],
    [0.25, 0.5, 0.5, 0.25, 0.5, 0.25],
    [0.25, 0.25, 0.25, 0.5, 0.25, 0.25],
    [0, 0.25, 0, 0.25, 0.25, 0],
    [0, 0, 0.25, 0, 0, 0.25],
]


@pytest.fixture
def scored_rows(app, people):
    """scored_rows(opening, rows, rate=True): candidates whose keyed credits and raters'
    scores give exactly these 0-1 rows (the written item's score s is a rating of
    1 + 4s on each skill, by both of the two raters an opening requires; rate=1: by one
    rater only). None in a row is a blank answer."""

    counter = iter(range(1, 100_000))

    def make(opening_id: int, rows: list[list[float | None]], rate: bool | int = True) -> None:
        raters = [people.recruiter.id, people.second_recruiter.id][: 2 if rate is True else rate]
        with app.app_context():
            items = library().exercises[EXERCISE].items
            for row in rows:
                number = next(counter)
                candidate = Candidate(
                    opening_id=opening_id,
                    code=f"Q{number:03d}",
                    name=f"Quality Person{number}",
                    email=f"q{number}@example.org",
                    status=(CandidateStatus.SCORED, CandidateStatus.SHORTLISTED)[number % 2],
                    submitted_at=utcnow(),
                )
                db.session.add(candidate)
                db.session.flush()
                for item, score in zip(items, row, strict=True):
                    if item.keyed:
                        db.session.add(
                            Answer(
                                candidate_id=candidate.id, item_id=item.id, credit=score, value={}
                            )
                        )
                        continue
                    db.session.add(
                        Answer(
                            candidate_id=candidate.id,
                            item_id=item.id,
                            value={"text": "Hi" if score is not None else ""},
                        )
                    )
                    if score is None:
                        continue
                    for skill, rater in product(item.rubric, raters):
                        db.session.add(
                            RaterScore(
                                candidate_id=candidate.id,
                                opening_id=opening_id,
                                item_id=item.id,
                                skill=skill,
                                rater_id=rater,
                                rating=round(1 + 4 * score),
                            )
                        )
            db.session.commit()

    return make


def test_quality_report_matches_hand_computed_alpha(app, people, opening, scored_rows):
    scored_rows(opening, MATRIX)
    report = report_of(app, opening, quality.quality_report)
    assert report.ready and report.included == 10
    assert report.alpha == pytest.approx(891 / 925)
    assert [q.difficulty for q in report.items] == pytest.approx(
        [0.5, 0.525, 0.475, 0.525, 0.5, 0.475]
    )
    assert report.items[-1].item.id == OPEN_ITEM
    assert all(q.discrimination > 0.8 for q in report.items)
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "0.96" in text and "Cronbach's alpha: good" in text
    assert "Moderate difficulty" in text and "Good" in text


def test_quality_report_waits_for_enough_candidates(app, people, opening, scored_rows):
    scored_rows(opening, MATRIX[:9])
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "9 candidates have handed in so far" in text and "1 more to go" in text
    assert "Cronbach's alpha:" not in text


def test_quality_report_leaves_out_unrated_written_answers(app, people, opening, scored_rows):
    scored_rows(opening, MATRIX[:9])
    scored_rows(opening, MATRIX[9:], rate=False)
    report = report_of(app, opening, quality.quality_report)
    assert (report.answered, report.included, report.ready) == (10, 9, False)
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "only 9 have every written answer rated" in text


def test_one_rater_of_two_does_not_make_a_candidate_complete(app, people, opening, scored_rows):
    # The opening requires two raters per written answer: the tenth candidate's answer
    # has one rater's scores on every skill, which used to count as complete.
    scored_rows(opening, MATRIX[:9])
    scored_rows(opening, MATRIX[9:], rate=1)
    report = report_of(app, opening, quality.quality_report)
    assert (report.answered, report.included, report.ready) == (10, 9, False)
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "only 9 have every written answer rated by both of its raters" in text
    scored_rows(opening, MATRIX[9:])  # another candidate, rated by both: complete
    assert report_of(app, opening, quality.quality_report).included == 10


def test_awaiting_raters_counts_raters_per_skill(app):
    with app.app_context():
        item = library().exercises[EXERCISE].item(OPEN_ITEM)
        keyed = next(i for i in library().exercises[EXERCISE].items if i.keyed)
    both = dict.fromkeys(item.rubric, 2)
    assert not quality.awaiting_raters(item, True, both, required=2)
    assert quality.awaiting_raters(item, True, {**both, next(iter(item.rubric)): 1}, required=2)
    assert not quality.awaiting_raters(item, False, {}, required=2)  # blank: nothing to rate
    assert not quality.awaiting_raters(keyed, True, {}, required=2)


def test_a_blank_answer_is_missing_not_the_lowest_score(app, people, opening, scored_rows):
    with app.app_context():
        item = library().exercises[EXERCISE].item(OPEN_ITEM)
        keyed = next(i for i in library().exercises[EXERCISE].items if i.keyed)
    assert quality.item_score(item, None, False, {}) is None
    assert quality.item_score(keyed, None, False, {}) is None
    assert quality.item_score(item, None, True, dict.fromkeys(SKILLS, 4.0)) == 0.75
    # Two candidates (scoring 0.75 and 0.25 in MATRIX) leave the written answer blank:
    # its difficulty is over the 8 who wrote, (4.75 - 0.75 - 0.25) / 8 = 0.46875, not
    # 3.75 / 10 = 0.375 with blanks as 0; alpha uses the 8 complete rows.
    blanks = [row[:-1] + [None] if i in (2, 9) else row for i, row in enumerate(MATRIX)]
    scored_rows(opening, blanks)
    report = report_of(app, opening, quality.quality_report)
    assert report.included == 10 and report.alpha_candidates == 8
    assert report.items[-1].answered == 8
    assert report.items[-1].difficulty == pytest.approx(0.46875)
    complete = [row for row in blanks if None not in row]
    assert report.alpha == pytest.approx(cronbach_alpha(complete))
    assert report.interval == cronbach_interval(report.alpha, 8, 6)
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "Alpha uses the 8 candidates who answered every question; 2 left at least" in text


def test_quality_figures_from_few_candidates_say_they_are_too_uncertain(
    app, people, opening, scored_rows
):
    scored_rows(opening, MATRIX)
    report = report_of(app, opening, quality.quality_report)
    assert report.ready and not report.settled
    assert report.interval is not None and report.interval.low < report.alpha
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "Based on 10 candidates: too few to act on" in text and "first look only" in text
    assert f"95% interval {report.interval.low:.2f} to" in text
    scored_rows(opening, MATRIX * 2)
    report = report_of(app, opening, quality.quality_report)
    assert report.settled and not any(q.provisional for q in report.items)
    text = page(signed_in(app, people.recruiter).get(url(opening, "quality")))
    assert "too few to act on" not in text and "first look only" not in text


# Fairness


@pytest.fixture
def identified(app):
    """identified(opening, sex, total, selected, undecided=0): `total` candidates who
    handed in and gave `sex` (None: no self-identification at all), the first
    `selected` of them shortlisted and hired in turn, the next `undecided` waiting for
    a decision, the rest rejected."""
    counter = iter(range(1, 10_000))

    def make(
        opening_id: int, sex: str | None, total: int, selected: int, undecided: int = 0
    ) -> None:
        with app.app_context():
            for index in range(total):
                number = next(counter)
                status = (
                    (CandidateStatus.SHORTLISTED, CandidateStatus.HIRED)[index % 2]
                    if index < selected
                    else CandidateStatus.SCORED
                    if index < selected + undecided
                    else CandidateStatus.REJECTED
                )
                candidate = Candidate(
                    opening_id=opening_id,
                    code=f"F{number:04d}",
                    name=f"Fair Person{number}",
                    email=f"f{number}@example.org",
                    status=status,
                    submitted_at=utcnow(),
                )
                db.session.add(candidate)
                db.session.flush()
                if sex is not None:
                    db.session.add(
                        SelfIdentification(
                            candidate_id=candidate.id, opening_id=opening_id, sex=sex
                        )
                    )
            db.session.commit()

    return make


def test_fairness_report_applies_the_four_fifths_rule(
    app, people, opening, identified, make_candidate
):
    identified(opening, "Woman", 20, 8)
    identified(opening, "Man", 20, 4)
    identified(opening, PREFER_NOT, 3, 1)
    identified(opening, None, 2, 0)
    invited = make_candidate(opening)  # not assessed: never counted
    with app.app_context():
        db.session.add(SelfIdentification(candidate_id=invited, opening_id=opening, sex="Man"))
        db.session.commit()
    report = report_of(app, opening, fairness.fairness_report)
    assert (report.assessed, report.selected, report.undecided) == (45, 13, 0)
    sex = report.categories[0]
    rows = {group.group: group for group in sex.impact.groups}
    # Women 8/20 = 0.40, men 4/20 = 0.20: ratio 0.20 / 0.40 = 0.5, below four-fifths.
    assert (rows["Woman"].selection_rate, rows["Woman"].impact_ratio) == (0.4, 1.0)
    assert (rows["Man"].selection_rate, rows["Man"].impact_ratio) == (0.2, 0.5)
    assert rows["Man"].below_four_fifths and not rows["Woman"].below_four_fifths
    assert sex.impact.small_sample  # groups under 30
    assert (sex.prefer_not, sex.not_answered) == (3, 2)
    assert report.categories[1].not_answered == 45
    text = page(signed_in(app, people.recruiter).get(url(opening, "fairness")))
    assert "Below 0.8" in text and "0.50" in text and "40%" in text and "20%" in text
    assert "The numbers are small" in text
    assert "3 preferred not to say, 2 did not answer" in text
    assert "Fair Person" not in text and "F0001" not in text  # counts, never people


def test_fairness_counts_shortlisted_or_hired_separately_and_leaves_out_undecided(
    app, people, opening, identified
):
    identified(opening, "Woman", 20, 8, undecided=3)
    identified(opening, "Man", 20, 4)
    # Shortlisted or hired, against rejected: women 8 of 17 decided, men 4 of 20.
    report = report_of(app, opening, fairness.fairness_report)
    assert (report.assessed, report.selected, report.undecided) == (40, 12, 3)
    rows = {group.group: group for group in report.categories[0].impact.groups}
    assert (rows["Woman"].total, rows["Woman"].selected) == (17, 8)
    assert rows["Man"].impact_ratio == pytest.approx(0.2 / (8 / 17))
    # Hired only: the shortlisted are still undecided. Women 4 hired of 13 decided,
    # men 2 of 18.
    hired = report_of(app, opening, lambda o: fairness.fairness_report(o, fairness.Basis.HIRED))
    assert (hired.selected, hired.undecided) == (6, 3 + 4 + 2)
    rows = {group.group: group for group in hired.categories[0].impact.groups}
    assert [(rows[g].selected, rows[g].total) for g in ("Woman", "Man")] == [(4, 13), (2, 18)]
    client = signed_in(app, people.recruiter)
    text = page(client.get(url(opening, "fairness") + "?selected=hired"))
    assert '<option value="hired" selected>Hired</option>' in text
    assert "Selected here means hired" in text and "shortlisted ones included" in text
    text = page(client.get(url(opening, "fairness") + "?selected=nonsense"))
    assert '<option value="shortlisted" selected>Shortlisted or hired</option>' in text
    assert "waiting for a decision (left out)" in text


def test_fairness_rows_carry_fisher_p_the_interval_and_the_rule_that_fired(
    app, people, opening, identified
):
    identified(opening, "Woman", 20, 8)
    identified(opening, "Man", 20, 4)
    report = report_of(app, opening, fairness.fairness_report)
    man = report.categories[0].impact.groups[1]
    assert man.p_value == pytest.approx(fisher_exact((4, 20), (8, 20)))
    assert man.interval == rate_ratio_interval((4, 20), (8, 20))
    text = page(signed_in(app, people.recruiter).get(url(opening, "fairness")))
    assert f"{man.p_value:.3f}" in text
    assert f"95% interval {man.interval.low:.2f} to {man.interval.high:.2f}" in text
    assert "flagged by the four-fifths rule. Moving one selection from Woman" in text


def test_a_difference_of_one_person_is_shown_but_not_flagged(app, people, opening, identified):
    # Women 4 of 10, men 3 of 10: ratio 0.75, but one selection moved reverses it.
    identified(opening, "Woman", 10, 4)
    identified(opening, "Man", 10, 3)
    text = page(signed_in(app, people.recruiter).get(url(opening, "fairness")))
    assert "Below 0.8, within one person" in text and "not flagged, by the one-person check" in text
    assert "At least one group" not in text and 'tag-warn">Below 0.8' not in text


def test_one_group_large_enough_has_nothing_to_compare(app, people, opening, identified):
    identified(opening, "Woman", 10, 5)
    identified(opening, "Man", 3, 1)  # under the privacy minimum: not shown
    text = page(signed_in(app, people.recruiter).get(url(opening, "fairness")))
    assert "Nothing to compare: only one group (Woman, 10 candidates)" in text
    assert "At or above 0.8" not in text and "1.00" not in text


def test_a_ratio_just_below_four_fifths_never_shows_as_0_80(app, people, opening, identified):
    # Women 39 of 49 against men 10 of 10: ratio 0.7959, which rounds to "0.80".
    identified(opening, "Woman", 49, 39)
    identified(opening, "Man", 10, 10)
    text = page(signed_in(app, people.recruiter).get(url(opening, "fairness")))
    assert "<strong>0.796</strong>" in text and "<strong>0.80</strong>" not in text
    assert "Below 0.8" in text


# Access and query counts


@pytest.mark.parametrize("report", REPORTS)
def test_reports_are_for_recruiters_and_admins(app, people, client, opening, report):
    for person in (people.recruiter, people.admin):
        assert signed_in(app, person).get(url(opening, report)).status_code == 200
    for person in (people.manager, people.employee):
        assert signed_in(app, person).get(url(opening, report)).status_code == 403
    response = client.get(url(opening, report))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert signed_in(app, people.recruiter).get(url(999_999, report)).status_code == 404


def test_reports_query_count_does_not_grow_with_candidates(
    app, people, opening, rated, identified, scored_rows
):
    rated(opening, {people.recruiter.id: [1, 2, 3], people.second_recruiter.id: [2, 2, 3]})
    identified(opening, "Woman", 2, 1)
    scored_rows(opening, MATRIX)
    client = signed_in(app, people.recruiter)
    paths = [url(opening, report) for report in REPORTS]
    for path in paths:
        client.get(path)  # warm up
    cached = [statements_for(app, client, path) for path in paths]
    scores_changed(app, opening)  # the agreement report must be computed afresh
    small = [statements_for(app, client, path) for path in paths]
    ratings = [1, 2, 3, 4, 5] * 6
    rated(opening, {people.recruiter.id: ratings, people.second_recruiter.id: ratings[::-1]})
    identified(opening, "Man", 20, 3)
    scored_rows(opening, MATRIX * 9)
    assert [statements_for(app, client, path) for path in paths] == small
    assert [statements_for(app, client, path) for path in paths] == cached
    assert cached[0] == small[0] - 1  # reused: no scores read


def scores_changed(app, opening_id):
    with app.app_context():
        revise_scores([opening_id])
        db.session.commit()


def test_agreement_report_is_reused_until_a_score_changes(app, people, opening, rated):
    """Computed once per revision of the opening's scores, in every worker alike: a new
    score, a changed score and a deleted candidate each show at once."""
    candidates = rated(opening, {people.recruiter.id: [1, 2], people.second_recruiter.id: [1, 2]})
    client = signed_in(app, people.recruiter)

    def figure() -> str:
        text = page(client.get(url(opening, "agreement")))
        return text[text.index("<main") :]

    perfect = figure()
    assert "2 answers, 2 raters" in perfect
    assert figure() == perfect  # reused
    rated(opening, {people.recruiter.id: [5], people.second_recruiter.id: [1]})
    assert "3 answers, 2 raters" in figure()
    with app.app_context():
        candidate = db.session.get(Candidate, candidates[-1])
        assert candidate is not None
        deletion.delete_candidate(candidate)
        db.session.commit()
    assert "2 answers, 2 raters" in figure()


def test_fairness_report_leaves_out_groups_too_small_to_stay_anonymous(
    app, make_opening, make_candidate
):
    opening_id = make_opening()
    groups = ["White"] * 6 + ["Black, African or Caribbean"]
    ids = [make_candidate(opening_id) for _group in groups]
    with app.app_context():
        for number, (candidate_id, group) in enumerate(zip(ids, groups, strict=True)):
            candidate = db.session.get(Candidate, candidate_id)
            candidate.status, candidate.submitted_at = CandidateStatus.REJECTED, utcnow()
            db.session.add(
                SelfIdentification(
                    candidate_id=candidate.id, opening_id=opening_id, ethnicity=group
                )
            )
            if number == 0:
                candidate.status = CandidateStatus.SHORTLISTED
        db.session.commit()
        report = fairness.fairness_report(db.session.get(Opening, opening_id))
    ethnicity = next(c for c in report.categories if c.category.field == "ethnicity")
    assert [group.group for group in ethnicity.impact.groups] == ["White"]
    assert ethnicity.hidden == 1
