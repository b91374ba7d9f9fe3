"""The module format, its validator (every problem with file and line), and the
content shipped in content/."""

from __future__ import annotations

import pytest

from coachkit import create_app
from coachkit.content.document import content_version
from coachkit.content.library import load
from coachkit.content.problems import ContentError
from tests.conftest import base_config
from tests.content.conftest import (
    CONTENT,
    line_of,
    play,
    problems_for,
    readme_example,
    run_check,
    with_change,
)


def test_shipped_content_is_valid():
    library = load(CONTENT)
    assert len(library.skills) >= 8
    assert library.modules


@pytest.mark.parametrize("slug", sorted(p.stem for p in (CONTENT / "modules").glob("*.md")))
def test_shipped_modules_have_depth(slug):
    module = load(CONTENT).modules[slug]
    assert len(module.decision_points) >= 4
    assert len(module.endings) >= 3
    for node in module.decision_points:
        assert len(node.choices) >= 2


def test_the_guides_example_is_valid(content_dir):
    library = load(content_dir)
    module = library.modules["late-delivery"]
    assert module.title == "The parcel that didn't arrive"
    assert [n.kind for n in module.nodes.values()] == ["step", "step", "reflect", "end", "end"]


def test_order_matters_acknowledging_first_scores_higher(content_dir):
    module = load(content_dir).modules["late-delivery"]
    acknowledged_then_fixed = play(module, [1, 0])
    fixed_without_acknowledging = play(module, [0, 0])
    assert acknowledged_then_fixed["fix-the-customer-first"] == 1
    assert fixed_without_acknowledging["fix-the-customer-first"] == -1
    fix = module.nodes["tracking"].choices[0]
    assert len(fix.feedback_for(frozenset())) == 2  # the "unless" feedback is added
    assert len(fix.feedback_for(frozenset({"acknowledged"}))) == 1


def test_shipped_module_rewards_acknowledging_before_fixing():
    module = load(CONTENT).modules["charged-twice"]
    first = play(module, [0, 0])  # acknowledge, then admit and reverse
    second = play(module, [1, 0])  # straight to the account, then the same fix
    assert first["fix-the-customer-first"] > second["fix-the-customer-first"]


def test_unknown_skill_is_reported_with_its_line(content_dir):
    text = with_change("score: ownership +2\n", "score: ownership +2, patience +1\n")
    assert (
        "broken.md",
        line_of(text, "score: ownership +2, patience"),
        "unknown skill 'patience'",
    ) in problems_for(content_dir, text)


def test_unlisted_skill_is_reported(content_dir):
    text = with_change("score: ownership +2\n", "score: ownership +2, trust-building +1\n")
    problems = problems_for(content_dir, text)
    assert any("'trust-building' is scored but not listed" in p[2] for p in problems)


def test_missing_target_is_reported(content_dir):
    text = with_change("### choice -> end-waiting", "### choice -> end-nowhere")
    assert (
        "broken.md",
        line_of(text, "### choice -> end-nowhere"),
        "choice leads to 'end-nowhere', which does not exist",
    ) in problems_for(content_dir, text)


def test_unreachable_node_is_reported(content_dir):
    text = readme_example() + "\n## end orphan\noutcome: poor\n\nNobody gets here.\n"
    assert (
        "broken.md",
        line_of(text, "## end orphan"),
        "'orphan' is unreachable from the start node",
    ) in problems_for(content_dir, text)


def test_path_that_never_ends_is_reported(content_dir):
    text = with_change("next: end-sorted", "next: opening")
    text = text.replace("### choice -> end-waiting", "### choice -> opening")
    problems = problems_for(content_dir, text)
    assert any(
        p[1] == line_of(text, "## step opening") and "no path reaches an end" in p[2]
        for p in problems
    )


def test_duplicate_ids_are_reported(content_dir):
    text = readme_example() + "\n## end end-sorted\noutcome: good\n\nAgain.\n"
    problems = problems_for(content_dir, text)
    second = text.rindex("## end end-sorted")
    assert (
        "broken.md",
        text[:second].count("\n") + 1,
        f"duplicate id 'end-sorted' (first on line {line_of(text, '## end end-sorted')})",
    ) in problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: The parcel that didn't arrive\n", "", "front matter is missing: title"),
        ("minutes: 3", "minutes: three", "minutes must be a whole number from 1 to 60"),
        ("minutes: 3", "minuets: 3", "unknown front matter key 'minuets'"),
        ("start: opening\n---", "start: opening\n", "front matter is not closed"),
    ],
)
def test_bad_front_matter_is_reported(content_dir, old, new, expected):
    problems = problems_for(content_dir, with_change(old, new))
    assert any(expected in reason for _name, _line, reason in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "score: ownership -1",
            "score: ownership minus one",
            "score 'ownership minus one' is not 'skill-id +N'",
        ),
        (
            "score unless acknowledged:",
            "score unless acknowleged:",
            "flag 'acknowleged' is never set",
        ),
        ("## step tracking", "## stepp tracking", "expected '## step ID'"),
        ("outcome: mixed", "outcome: meh", "outcome must be one of good, mixed, poor"),
        (
            "customer: It's 55120. Is it lost?",
            "It's 55120. Is it lost?",
            "step 'tracking' needs 'customer:'",
        ),
    ],
)
def test_other_mistakes_are_reported_with_lines(content_dir, old, new, expected):
    text = with_change(old, new)
    problems = problems_for(content_dir, text)
    matching = [p for p in problems if expected in p[2]]
    assert matching, problems
    assert all(p[1] > 0 for p in matching)


def test_every_problem_is_reported_not_just_the_first(content_dir):
    text = with_change("### choice -> end-waiting", "### choice -> end-nowhere")
    text = text.replace("score: ownership +2\n", "score: ownership +2, patience +1\n")
    assert len(problems_for(content_dir, text)) >= 2


def test_markdown_in_content_is_sanitised(content_dir):
    text = with_change(
        "You took it on and solved it in one go.",
        "Good <script>alert(1)</script>[x](javascript:alert(1))",
    )
    (content_dir / "modules" / "late-delivery.md").write_text(text)
    module = load(content_dir).modules["late-delivery"]
    html = str(module.nodes["tracking"].choices[0].feedback[0].html)
    assert "<script" not in html and "javascript:" not in html


def test_version_changes_with_any_edit():
    text = readme_example().encode()
    assert content_version(text) == content_version(text)
    assert content_version(text) != content_version(text.replace(b"party", b"parti"))


def test_app_refuses_to_start_with_a_broken_file_and_names_it(content_dir, tmp_path):
    problems_for(content_dir, with_change("### choice -> end-waiting", "### choice -> nope"))
    with pytest.raises(ContentError, match=r"broken\.md:\d+: choice leads to 'nope'"):
        create_app(base_config(f"sqlite:///{tmp_path}/x.sqlite", CONTENT_DIR=str(content_dir)))


def test_content_check_command_passes_on_good_content(content_dir):
    result = run_check(str(content_dir), cwd=CONTENT.parent)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_content_check_command_fails_with_file_and_line(content_dir):
    text = with_change("### choice -> end-waiting", "### choice -> nope")
    (content_dir / "modules" / "late-delivery.md").write_text(text)
    result = run_check(str(content_dir), cwd=CONTENT.parent)
    assert result.returncode == 1
    line = line_of(text, "### choice -> nope")
    assert f"late-delivery.md:{line}: choice leads to 'nope'" in result.stderr


@pytest.mark.parametrize("slug", sorted(p.stem for p in (CONTENT / "modules").glob("*.md")))
def test_strongest_path_ends_well(slug):
    """Scores and story agree: the highest-scoring route reaches a good ending."""
    from coachkit.training.results import strongest_path

    module = load(CONTENT).modules[slug]
    best = strongest_path(module)
    last_node, last_choice = best.steps[-1]
    ending = module.nodes[last_choice.target if last_choice else last_node.next]
    assert ending.outcome == "good", f"{slug}: strongest path ends at {ending.id}"
