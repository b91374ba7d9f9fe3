"""Screening exercises: the format, its validator (every problem with file and line), the
scoring rules, and the exercises shipped in content/exercises."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from coachkit.content.exercises import (
    Item,
    Response,
    keyed_rating,
    score_best_worst,
    score_ratings,
    skill_scores,
)
from coachkit.content.library import load, read
from coachkit.content.problems import ContentError
from tests.content.conftest import CONTENT, content_folder, guide_example, run_check

SHIPPED = sorted(p.stem for p in (CONTENT / "exercises").glob("*.md"))


def readme_example() -> str:
    """The complete exercise the authoring guide tells authors to copy."""
    return guide_example("### A complete small exercise to copy")


@pytest.fixture
def content_dir(tmp_path):
    """A content folder with the real skill catalogue and the guide's example exercise."""
    return content_folder(tmp_path, "exercises", "parcel-desk.md", readme_example())


def problems_for(content_dir, text, name="parcel-desk.md"):
    (content_dir / "exercises" / name).write_text(text)
    _library, problems = read(content_dir)
    return [(p.path.name, p.line, p.reason) for p in problems]


def with_change(old, new, text=None):
    text = readme_example() if text is None else text
    assert old in text
    return text.replace(old, new, 1)


def line_of(text, fragment):
    return text[: text.index(fragment)].count("\n") + 1


# The shipped exercises


def test_shipped_exercises_load_without_problems():
    library, problems = read(CONTENT)
    assert problems == []
    assert len(library.exercises) >= 3
    assert list(library.exercises) == SHIPPED  # file names are the slugs


@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_exercise_meets_the_brief(slug):
    exercise = load(CONTENT).exercises[slug]
    assert 8 <= exercise.minutes <= 15
    assert exercise.setting and exercise.summary and str(exercise.intro_html)
    assert 5 <= len(exercise.items) <= 8
    assert 1 <= sum(not item.keyed for item in exercise.items) <= 2
    for item in exercise.items:
        if item.keyed:
            assert len(item.responses) in (4, 5)
            assert all(response.text and response.why for response in item.responses)
        else:
            assert set(item.rubric) == set(item.skills)
            assert item.prompt and item.max_words
    for skill in exercise.skills:  # no skill score rests on a single answer
        assert sum(skill in item.skills for item in exercise.items) >= 2, skill


def test_shipped_exercises_cover_five_skills_of_the_catalogue():
    library = load(CONTENT)
    covered = {skill for exercise in library.exercises.values() for skill in exercise.skills}
    assert len(covered) >= 5
    assert covered <= set(library.skills)


def test_shipped_best_responses_do_not_give_themselves_away():
    """Test-wise candidates learn 'pick the longest' or 'pick the same slot': keep both rare."""
    items = [
        item
        for exercise in load(CONTENT).exercises.values()
        for item in exercise.items
        if item.answer == "best-worst"
    ]
    longest = [
        item.id
        for item in items
        if len(item.responses[item.best_index].text) >= max(len(r.text) for r in item.responses)
    ]
    assert len(longest) <= len(items) / 3, longest
    assert len({item.best_index for item in items}) >= 3


# The guide's example


def test_the_guides_example_is_valid(content_dir):
    library, problems = read(content_dir)
    assert problems == []
    exercise = library.exercises["parcel-desk"]
    assert exercise.title == "The parcel help desk"
    assert exercise.setting == "Contact centre"
    assert exercise.skills == ("empathy", "ownership", "candid-communication")
    assert [(i.id, i.kind, i.answer) for i in exercise.items] == [
        ("missed-birthday", "judgement", "best-worst"),
        ("wrong-address", "judgement", "rate"),
        ("unhappy-review", "open", None),
    ]
    birthday = exercise.item("missed-birthday")
    assert [r.key for r in birthday.responses] == [3, 5, 1, 2]
    assert (birthday.best_index, birthday.worst_index) == (1, 2)
    assert birthday.responses[1].text.startswith("With the party tomorrow")  # lines joined
    review = exercise.item("unhappy-review")
    assert review.max_words == 120
    assert set(review.rubric["empathy"]) == {1, 3, 5}
    assert review.anchor_for("empathy", 4) == review.rubric["empathy"][3]
    assert "Third late parcel" in str(review.situation_html)


def test_the_guides_worked_example_adds_up(content_dir):
    exercise = load(content_dir).exercises["parcel-desk"]
    credit = score_best_worst(exercise.item("missed-birthday"), best=0, worst=2)
    assert credit == 0.75
    assert keyed_rating(credit) == 4.0
    scores = skill_scores(
        exercise, {"missed-birthday": credit}, {"unhappy-review": {"empathy": 3.5}}
    )
    assert scores["empathy"] == 3.75


# The validator: every problem, with its line

REMOVED_PROMPT = "prompt: Write the reply you would post under this review.\n"
RUBRIC_ANCHOR_3 = (
    "3: Apologises politely but in general terms; nothing shows it was written for her.\n"
)


@pytest.mark.parametrize(
    ("old", "new", "at", "expected"),
    [
        ("title: The parcel help desk\n", "", None, "front matter is missing: title"),
        ("minutes: 8", "minutes: 8\nlevel: 2", "level: 2", "unknown front matter key 'level'"),
        ("minutes: 8", "minutes: 20", "minutes: 20", "minutes must be a whole number from 8 to 15"),
        ("minutes: 8", "minutes: ten", "minutes: ten", "minutes must be a whole number"),
        ("minutes: 8\n---", "minutes: 8\n", None, "front matter is not closed"),
        (
            "You answer calls",
            "## open x\n\nYou answer calls",
            "\n## open x",
            "needs an introduction",
        ),
        (
            "## judgement wrong-address",
            "## essay wrong-address",
            "## essay",
            "expected '## judgement ID' or '## open ID', got '## essay wrong-address'",
        ),
        (
            "## judgement wrong-address",
            "## judgement Wrong_Address",
            "## judgement Wrong",
            "item id 'Wrong_Address' must be lowercase-with-dashes",
        ),
        (
            "answer: best-worst",
            "answer: best-worst\nweight: 2",
            "weight: 2",
            "unknown key 'weight' in judgement 'missed-birthday' (known: skills, answer)",
        ),
        (
            "answer: rate",
            "answer: rate\nanswer: rate",
            "answer: rate\n\n",
            "'answer' is given twice in judgement 'wrong-address'",
        ),
        (
            "answer: best-worst\n",
            "",
            "## judgement missed-birthday",
            "judgement 'missed-birthday' is missing: answer",
        ),
        ("answer: rate", "answer: pick", "answer: pick", "answer must be one of best-worst, rate"),
        ("key: 4\n", "key: 6\n", "key: 6", "key must be a whole number from 1 to 5"),
        ("key: 4\n", "", "### response\nwhy: Honest", "response is missing: key"),
        (
            "why: True, but it defends the company before anyone has helped her.",
            "why:",
            "### response\nkey: 1\nwhy:\n",
            "response is missing: why",
        ),
        (
            "\nI'm sorry it's late. It's at our local depot and will be with you tomorrow"
            " afternoon.\n",
            "",
            "### response\nkey: 3",
            "the response has no text",
        ),
        (
            'A caller says the driver marked his parcel "delivered", but it is not at his door.\n'
            "Tracking has a photo of the parcel on a doorstep with a red door; his door is blue.\n",
            "",
            "## judgement wrong-address",
            "judgement 'wrong-address' has no situation",
        ),
        (
            "### rubric empathy",
            "### anchors empathy",
            "### anchors",
            "expected '### response' or '### rubric SKILL-ID', got '### anchors empathy'",
        ),
        (
            "### rubric empathy",
            "### response\nkey: 3\nwhy: x\n\nHello.\n\n### rubric empathy",
            "### response\nkey: 3\nwhy: x",
            "open 'unhappy-review' takes '### rubric' blocks, not '### response'",
        ),
        (
            "You answer calls",
            "### response\n\nYou answer calls",
            "### response\n\nYou answer",
            "'### response' comes before the first '## judgement' or '## open'",
        ),
        (REMOVED_PROMPT, "", "## open", "open 'unhappy-review' is missing: prompt"),
        ("max-words: 120", "max-words: 1000", "max-words", "max-words must be a whole number"),
        (RUBRIC_ANCHOR_3, "", "### rubric empathy", "rubric 'empathy' is missing: 3"),
        (
            RUBRIC_ANCHOR_3,
            "Apologises politely.\n",
            "Apologises politely.",
            "expected 'N: anchor' in rubric 'empathy', got 'Apologises politely.'",
        ),
        (
            "### rubric candid-communication",
            "### rubric ownership",
            "### rubric ownership",
            "rubric for 'ownership', which open 'unhappy-review' does not list in skills",
        ),
        (
            "### rubric candid-communication",
            "### rubric ownership",
            "## open",
            "open 'unhappy-review' has no '### rubric candid-communication'",
        ),
        (
            "### rubric candid-communication",
            "### rubric empathy",
            "### rubric empathy\n1: Promises",
            "'empathy' has a second rubric in open 'unhappy-review'",
        ),
        (
            "skills: empathy, ownership, candid-communication",
            "skills: empathy, ownership, candid-communication, patience",
            "skills: empathy, ownership, candid",
            "unknown skill 'patience' in skills",
        ),
        (
            "skills: empathy, ownership, candid-communication",
            "skills: empathy, ownership, candid-communication, trust-building",
            "skills: empathy, ownership, candid",
            "'trust-building' is in skills but no item measures it",
        ),
        (
            "skills: ownership, candid-communication",
            "skills: ownership, candour",
            "skills: ownership, candour",
            "unknown skill 'candour' in judgement 'wrong-address'",
        ),
        (
            "skills: empathy, ownership\n",
            "skills: empathy, ownership, trust-building\n",
            "skills: empathy, ownership, trust-building\n",
            "judgement 'missed-birthday' measures 'trust-building', which the front matter's",
        ),
    ],
)
def test_mistakes_are_reported_with_their_line(content_dir, old, new, at, expected):
    text = with_change(old, new)
    problems = problems_for(content_dir, text)
    line = line_of(text, at) if at else 1
    matching = [p for p in problems if expected in p[2]]
    assert matching, problems
    assert ("parcel-desk.md", line) in [(name, number) for name, number, _reason in matching]


def test_too_few_and_too_many_responses_are_reported(content_dir):
    text = readme_example()
    last_birthday = text[
        text.index("### response\nkey: 2\nwhy: A kind") : text.index("## judgement w")
    ]
    address = text[text.index("### response\nkey: 4") : text.index("## open")]
    text = with_change(last_birthday, "", text)
    text = with_change(address, address * 2, text)
    problems = problems_for(content_dir, text)
    assert (
        "parcel-desk.md",
        line_of(text, "## judgement missed-birthday"),
        "judgement 'missed-birthday' has 3 responses; it needs 4 or 5",
    ) in problems
    assert (
        "parcel-desk.md",
        line_of(text, "## judgement wrong-address"),
        "judgement 'wrong-address' has 8 responses; it needs 4 or 5",
    ) in problems


def test_best_worst_needs_one_best_and_one_worst(content_dir):
    text = with_change("key: 3\n", "key: 5\n")
    text = with_change("key: 2\nwhy: A kind", "key: 1\nwhy: A kind", text)
    problems = problems_for(content_dir, text)
    first_best = line_of(text, "### response\nkey: 5\nwhy: Accurate")
    second_best = line_of(text, "### response\nkey: 5\nwhy: Names")
    first_worst = line_of(text, "### response\nkey: 1\nwhy: True")
    second_worst = line_of(text, "### response\nkey: 1\nwhy: A kind")
    assert problems == [
        (
            "parcel-desk.md",
            second_best,
            "best-worst item 'missed-birthday' needs one response with the highest key, "
            f"but this one shares 5 with line {first_best}",
        ),
        (
            "parcel-desk.md",
            second_worst,
            "best-worst item 'missed-birthday' needs one response with the lowest key, "
            f"but this one shares 1 with line {first_worst}",
        ),
    ]


def test_rate_items_may_share_keys(content_dir):
    text = with_change("key: 4\n", "key: 5\n")
    assert problems_for(content_dir, text) == []


def test_duplicate_item_ids_are_reported(content_dir):
    text = with_change("## judgement wrong-address", "## judgement missed-birthday")
    second = text.index(
        "## judgement missed-birthday", text.index("## judgement missed-birthday") + 1
    )
    assert (
        "parcel-desk.md",
        text[:second].count("\n") + 1,
        f"duplicate item id 'missed-birthday' (first on line {line_of(text, '## judgement')})",
    ) in problems_for(content_dir, text)


def test_an_exercise_without_items_is_reported(content_dir):
    text = readme_example()
    text = text[: text.index("## judgement")]
    problems = problems_for(content_dir, text)
    assert (
        "parcel-desk.md",
        1,
        "the exercise has no items ('## judgement ID' or '## open ID')",
    ) in problems


def test_a_file_that_is_not_utf8_is_reported(content_dir):
    (content_dir / "exercises" / "parcel-desk.md").write_bytes(b"---\ntitle: caf\xe9\n")
    _library, problems = read(content_dir)
    assert [(p.line, p.reason) for p in problems] == [(2, "the file is not valid UTF-8")]


def test_every_problem_is_reported_not_just_the_first(content_dir):
    text = with_change("minutes: 8", "minutes: 30")
    text = with_change("key: 4\n", "key: 9\n", text)
    text = with_change(RUBRIC_ANCHOR_3, "", text)
    reasons = [reason for _name, _line, reason in problems_for(content_dir, text)]
    assert len(reasons) == 3, reasons


def test_markdown_in_a_situation_is_sanitised(content_dir):
    text = with_change(
        "afternoon round.", "afternoon round. <script>alert(1)</script>[x](javascript:alert(1))"
    )
    (content_dir / "exercises" / "parcel-desk.md").write_text(text)
    html = str(load(content_dir).exercises["parcel-desk"].item("missed-birthday").situation_html)
    assert "<script" not in html and "javascript:" not in html


def test_a_broken_exercise_stops_loading_and_is_named(content_dir):
    (content_dir / "exercises" / "parcel-desk.md").write_text(with_change("key: 4\n", "key: 6\n"))
    with pytest.raises(ContentError, match=r"parcel-desk\.md:\d+: key must be a whole number"):
        load(content_dir)


def test_an_edited_exercise_is_read_again(content_dir):
    first = load(content_dir).exercises["parcel-desk"]
    path = content_dir / "exercises" / "parcel-desk.md"
    path.write_text(with_change("The parcel help desk", "The parcel help desk, revised"))
    second = load(content_dir).exercises["parcel-desk"]
    assert second.title == "The parcel help desk, revised"
    assert second.version != first.version


# Scoring


def judgement(keys, answer):
    responses = tuple(Response(f"response {i}", key, i) for i, key in enumerate(keys))
    return Item("q", "judgement", 1, Markup(""), ("empathy",), answer, responses)


@pytest.mark.parametrize(
    ("best", "worst", "credit"),
    [
        (1, 2, 1.0),  # the keyed best (5) and worst (1)
        (2, 1, 0.0),  # exactly the wrong way round
        (0, 2, 0.75),  # best pick has key 3: (3 - 1 + 5 - 1) / 8
        (1, 3, 0.875),  # worst pick has key 2: (5 - 1 + 5 - 2) / 8
        (3, 0, 0.375),  # (2 - 1 + 5 - 3) / 8
    ],
)
def test_best_worst_credit(best, worst, credit):
    assert score_best_worst(judgement([3, 5, 1, 2], "best-worst"), best, worst) == credit


@pytest.mark.parametrize(("best", "worst"), [(1, 1), (-1, 2), (1, 4)])
def test_best_worst_refuses_impossible_answers(best, worst):
    with pytest.raises(ValueError):
        score_best_worst(judgement([3, 5, 1, 2], "best-worst"), best, worst)


@pytest.mark.parametrize(
    ("keys", "ratings", "credit"),
    [
        ([4, 2, 5, 1], [4, 2, 5, 1], 1.0),
        ([1, 5, 1, 5], [5, 1, 5, 1], 0.0),
        ([4, 2, 5, 1], [5, 2, 3, 1], 0.8125),  # distances 1, 0, 2, 0: 1 - 0.75 / 4
        ([4, 2, 5, 1], [1, 5, 1, 5], 0.125),  # distances 3, 3, 4, 4: 1 - 3.5 / 4
    ],
)
def test_rating_credit(keys, ratings, credit):
    assert score_ratings(judgement(keys, "rate"), ratings) == credit


@pytest.mark.parametrize("ratings", [[4, 2, 5], [4, 2, 5, 1, 3], [0, 2, 5, 1], [4, 2, 6, 1]])
def test_ratings_must_be_one_per_response_from_1_to_5(ratings):
    with pytest.raises(ValueError):
        score_ratings(judgement([4, 2, 5, 1], "rate"), ratings)


def test_scoring_refuses_the_wrong_answer_mode():
    with pytest.raises(ValueError):
        score_ratings(judgement([3, 5, 1, 2], "best-worst"), [3, 5, 1, 2])
    with pytest.raises(ValueError):
        score_best_worst(judgement([3, 5, 1, 2], "rate"), 1, 2)


@pytest.mark.parametrize(("credit", "rating"), [(0, 1.0), (1, 5.0), (0.5, 3.0), (0.8125, 4.25)])
def test_keyed_credit_on_the_rating_scale(credit, rating):
    assert keyed_rating(credit) == rating


def test_skill_scores_average_keyed_and_rated_items(content_dir):
    exercise = load(content_dir).exercises["parcel-desk"]
    scores = skill_scores(
        exercise,
        {"missed-birthday": 0.75, "wrong-address": 0.8125},  # 4.0 and 4.25
        {"unhappy-review": {"empathy": 3.5, "candid-communication": 2}},
    )
    assert scores == {"empathy": 3.75, "ownership": 4.125, "candid-communication": 3.125}
    assert list(scores) == list(exercise.skills)


def test_skills_without_a_scored_item_have_no_score(content_dir):
    exercise = load(content_dir).exercises["parcel-desk"]
    assert skill_scores(exercise, {"missed-birthday": 1.0}, {}) == {
        "empathy": 5.0,
        "ownership": 5.0,
    }


@pytest.mark.parametrize(
    ("credits", "ratings"),
    [
        ({"no-such-item": 1.0}, {}),
        ({"missed-birthday": 1.5}, {}),
        ({}, {"unhappy-review": {"empathy": 6}}),
    ],
)
def test_skill_scores_refuse_impossible_inputs(content_dir, credits, ratings):
    exercise = load(content_dir).exercises["parcel-desk"]
    with pytest.raises(ValueError):
        skill_scores(exercise, credits, ratings)


# `flask content check`


def test_content_check_counts_exercises():
    result = run_check(str(CONTENT), cwd=CONTENT.parent)
    assert result.returncode == 0, result.stderr
    assert f"and {len(SHIPPED)} exercises, no problems" in result.stdout


def test_content_check_reports_a_broken_exercise_with_file_and_line(content_dir):
    text = with_change("key: 4\n", "key: 6\n")
    text = with_change(RUBRIC_ANCHOR_3, "", text)
    (content_dir / "exercises" / "parcel-desk.md").write_text(text)
    result = run_check(str(content_dir), cwd=CONTENT.parent)
    assert result.returncode == 1
    assert (
        f"parcel-desk.md:{line_of(text, 'key: 6')}: key must be a whole number from 1 to 5"
        in result.stderr
    )
    assert (
        f"parcel-desk.md:{line_of(text, '### rubric empathy')}: rubric 'empathy' is missing: 3"
        in result.stderr
    )
