"""What `content check` catches in modules that authors actually get wrong, each with
its file and line; warnings, `--strict`; and stored older versions still parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachkit.content import paths
from coachkit.content.library import load
from coachkit.content.module_parser import parse_module
from tests.content.conftest import (
    CONTENT,
    end,
    line_of,
    module_source,
    parsed,
    problems_in,
    readme_example,
    reply,
    run_check,
    step,
    with_change,
)

# (what the author wrote instead, the line it is reported on, the reason)
MISTAKES = [
    pytest.param(
        (
            "skills: empathy, fix-the-customer-first, ownership",
            "skills: empathy, ownership, empathy",
        ),
        "skills:",
        "'empathy' is listed twice in skills",
        id="skill-listed-twice",
    ),
    pytest.param(
        ("score: ownership -1", "Score: ownership -1"),
        "Score: ownership -1",
        "'Score:' must be lowercase: 'score:'",
        id="capital-key",
    ),
    pytest.param(
        ("sets: acknowledged", "set: acknowledged"),
        "set: acknowledged",
        "unknown field 'set:' in a choice",
        id="set-for-sets",
    ),
    pytest.param(
        ("feedback unless acknowledged:", "feedback if not acknowledged:"),
        "feedback if not acknowledged:",
        "'feedback if not acknowledged:' is not a condition: a condition is 'if' or 'unless' "
        "and one flag",
        id="if-not",
    ),
    pytest.param(
        ("score unless acknowledged:", "score unless acknowledged or apologised:"),
        "score unless acknowledged or",
        "is not a condition",
        id="or",
    ),
    pytest.param(
        ("sure.\n", "sure.\n\nI'll keep an eye on it for you.\n"),
        "I'll keep an eye on it",
        "text after a blank line in a choice would be added to the reply",
        id="paragraph-after-blank-line",
    ),
    pytest.param(
        (
            "skills: empathy, fix-the-customer-first, ownership",
            "skills: empathy, fix-the-customer-first, ownership, trust-building",
        ),
        "skills:",
        "'trust-building' is listed in skills but no reply scores it",
        id="listed-skill-never-scored",
    ),
    pytest.param(
        (
            "score: ownership +1\nfeedback: Quick",
            "score: ownership +1\nscore if acknowledged: ownership +1\nfeedback: Quick",
        ),
        "score if acknowledged: ownership +1",
        "'if acknowledged' can never hold here: no path sets 'acknowledged' before this step",
        id="flag-only-set-later",
    ),
    pytest.param(
        ("### choice -> end-waiting", "### choice -> opening"),
        "### choice -> opening",
        "a reply on a loop (a way back to where the learner was) scores points",
        id="scoring-loop",
    ),
    pytest.param(
        ("score: ownership +2\n", "score: ownership +4\n"),
        "score: ownership +4",
        "score 'ownership +4': a change is from -3 to +3, and not 0",
        id="change-too-big",
    ),
    pytest.param(
        ("score: ownership +2\n", "score: ownership +2, ownership +2\n"),
        "### choice -> reflect-on-it",
        "this reply changes 'ownership' by +4 at once",
        id="reply-too-big",
    ),
    pytest.param(
        ("## step tracking", "##step tracking"),
        "##step tracking",
        "put a space after '##': '## step tracking'",
        id="heading-without-space",
    ),
    pytest.param(
        ("customer: Jo Adeyemi", "customer: Jo <b>Adeyemi</b>"),
        "customer: Jo <b>",
        "customer must be a name of up to 60 letters",
        id="customer-name",
    ),
    pytest.param(
        ("feedback: after-each", "feedback: sometimes"),
        "feedback: sometimes",
        "feedback must be one of after-each, at-end",
        id="feedback-mode",
    ),
    pytest.param(
        ("sets: acknowledged", "sets: Acknowledged"),
        "sets: Acknowledged",
        "flag 'Acknowledged' must be one lowercase-with-dashes word",
        id="flag-name",
    ),
    pytest.param(
        (
            "customer: It's 55120. Is it lost?\n\nThe tracking shows it stuck at the depot. "
            "You can send a replacement by express today.\n",
            "The tracking shows it stuck at the depot.\n\ncustomer: It's 55120. Is it lost?\n",
        ),
        "customer: It's 55120",
        "'customer:' comes after the text that starts on line",
        id="narration-before-the-customer",
    ),
    pytest.param(
        ("score: ownership -1\n", "score: ownership -1\ncustomer: And the party?\n"),
        "customer: And the party?",
        "'customer:' belongs to the node, above its first '### choice'",
        id="node-field-in-a-choice",
    ),
    pytest.param(
        (
            "customer: It's 55120. Is it lost?\n",
            "customer: It's 55120. Is it lost?\nscore: empathy +1\n",
        ),
        "score: empathy +1\n\nThe",
        "'score:' belongs to a reply, under a '### choice -> ID' heading",
        id="choice-field-above-the-choices",
    ),
    pytest.param(
        (
            "customer: It's 55120. Is it lost?\n",
            f"customer: It's 55120. Is it lost?\ntitle: {'A very long name for this step ' * 3}\n",
        ),
        "title: A very long",
        "a step's title is at most 80 characters",
        id="title-too-long",
    ),
    pytest.param(
        (
            "customer: It's 55120. Is it lost?\n",
            "customer: It's 55120. Is it lost?\nTitle: Lost?\n",
        ),
        "Title: Lost?",
        "'Title:' must be lowercase: 'title:'",
        id="capital-title",
    ),
    pytest.param(
        ("outcome: mixed\n", "outcome: mixed\ntitle: Too late\n"),
        "title: Too late",
        "unknown field 'title:' here",
        id="title-on-an-ending",
    ),
]


def reported(content_dir, change, at, reason):
    """The problem `reason` names once the guide's example has `change`, and the line
    of `at` ('---': the first line) it should be on."""
    text = with_change(*change)
    line = 1 if at == "---" else line_of(text, at)
    problems = problems_in(content_dir, text)
    matching = [p for p in problems if reason in p.reason and p.line == line]
    assert matching, problems
    return matching[0], line


@pytest.mark.parametrize(("change", "at", "reason"), MISTAKES)
def test_a_mistake_is_an_error_on_its_line(content_dir, change, at, reason):
    problem, line = reported(content_dir, change, at, reason)
    assert not problem.warning
    assert str(problem).endswith(f"/broken.md:{line}: {problem.reason}")


def test_a_heading_without_its_space_is_the_only_problem(content_dir):
    text = with_change("## step tracking", "##step tracking")
    assert [(p.line, p.warning) for p in problems_in(content_dir, text)] == [
        (line_of(text, "##step tracking"), False)
    ]


def test_a_steps_title_names_it_in_reports_or_else_what_the_customer_says():
    text = with_change(
        "customer: It's 55120. Is it lost?\n",
        "customer: It's 55120. Is it lost?\ntitle: The parcel number\n",
    )
    module = parsed(text)
    assert module.nodes["tracking"].title == "The parcel number"
    assert module.nodes["tracking"].heading == "The parcel number"
    assert module.nodes["opening"].heading == "My parcel was meant to come yesterday."
    assert "title" not in str(module.nodes["tracking"].body_html)


def test_a_skill_listed_twice_is_kept_once():
    """Stored copies with the mistake still finish: one score row per skill."""
    text = with_change(
        "skills: empathy, fix-the-customer-first, ownership", "skills: empathy, ownership, empathy"
    )
    assert parsed(text).skills == ("empathy", "ownership")


def test_totals_are_bounded(content_dir):
    big = [
        step(
            f"s{n}",
            reply(f"s{n + 1}", "Yes.", "score: ownership +3"),
            reply(f"s{n + 1}", "No.", "score: empathy +1"),
        )
        for n in range(1, 8)
    ]
    text = module_source(*big, end("s8"))
    problems = problems_in(content_dir, text)
    assert any(
        p.line == line_of(text, "skills:")
        and "'ownership' can total from +0 to +21 over a conversation; "
        "keep every skill within -20 to +20"
        in p.reason
        for p in problems
    ), problems


def test_too_many_flag_combinations_is_an_error(content_dir, monkeypatch):
    monkeypatch.setattr(paths, "MAX_STATES", 2)
    text = with_change("was due yesterday.", "was due on Monday.")  # a version not measured yet
    problems = problems_in(content_dir, text)
    assert any(
        p.path.name == "broken.md" and p.line == 1 and "too complex to measure" in p.reason
        for p in problems
    ), problems


WARNINGS = [
    pytest.param(
        ("customer: Jo Adeyemi\n", ""),
        "---",
        "front matter has no 'customer:'",
        id="no-customer",
    ),
    pytest.param(
        ("Can you give me your order number?", "Can you give me your **order number**?"),
        "### choice -> tracking",
        "a reply is plain text, shown as written",
        id="markdown-in-a-reply",
    ),
    pytest.param(
        (
            "score: ownership +1\nfeedback: Quick",
            "score: ownership +1\nscore unless acknowledged: empathy -1\nfeedback: Quick",
        ),
        "score unless acknowledged: empathy -1",
        "'unless acknowledged' always holds here: no path sets 'acknowledged' before this step",
        id="unless-always-holds",
    ),
]


@pytest.mark.parametrize(("change", "at", "reason"), WARNINGS)
def test_a_misleading_module_is_warned_about_on_its_line(content_dir, change, at, reason):
    problem, line = reported(content_dir, change, at, reason)
    assert problem.warning
    assert str(problem).endswith(f"/broken.md:{line}: warning: {problem.reason}")


def test_a_skill_every_path_scores_the_same_is_warned_about(content_dir):
    text = module_source(
        step(
            "opening",
            reply("done", "Sorry, I'll fix it.", "score: empathy +1, ownership +1"),
            reply("done", "That's odd.", "score: empathy -1, ownership +1"),
        ),
        end("done"),
    )
    problems = problems_in(content_dir, text)
    assert [(p.line, p.reason, p.warning) for p in problems if "same total" in p.reason] == [
        (
            line_of(text, "skills:"),
            "every path gives 'ownership' the same total (+1), so it cannot tell a strong "
            "conversation from a weak one",
            True,
        )
    ]


def giveaway_module(best_first=True, best_longest=True):
    """Three steps whose best reply is first (or last) and longest (or shortest)."""
    nodes = []
    for number in range(1, 4):
        target = f"s{number + 1}" if number < 3 else "done"
        best = (
            "I'm so sorry, let me put that right for you straight away."
            if best_longest
            else "Sorry. I'll fix it."
        )
        weak = (
            "Please hold."
            if best_longest
            else "That should sort itself out in a few days, these things usually do."
        )
        replies = [
            reply(target, best, "score: empathy +1"),
            reply(target, weak, "score: empathy -1"),
        ]
        nodes.append(step(f"s{number}", *(replies if best_first else replies[::-1])))
    return module_source(*nodes, end("done"), skills="empathy")


def test_the_best_reply_in_one_place_or_longest_is_warned_about(content_dir):
    reasons = [p.reason for p in problems_in(content_dir, giveaway_module()) if p.warning]
    assert (
        "the best reply is the first in 3 of 3 steps: "
        "vary where it sits, or learners can find it by its place" in reasons
    )
    assert any(r.startswith("the best reply is also the longest in 3 of 3 steps") for r in reasons)
    later = [p.reason for p in problems_in(content_dir, giveaway_module(False, False)) if p.warning]
    assert any(r.startswith("the best reply is the second in 3 of 3 steps") for r in later)
    assert not any("longest" in r for r in later)


def test_the_guides_example_has_no_warnings(content_dir):
    assert problems_in(content_dir, readme_example(), "late-delivery.md") == []


def test_a_file_name_must_be_lowercase_with_dashes(content_dir):
    problems = problems_in(content_dir, readme_example(), "Late_Delivery.md")
    assert any(
        p.line == 1 and "the file name 'Late_Delivery.md' must be lowercase-with-dashes" in p.reason
        for p in problems
    )


def test_a_node_id_must_be_lowercase_with_dashes(content_dir):
    text = (
        readme_example()
        .replace("-> tracking", "-> Tracking")
        .replace("## step tracking", "## step Tracking")
    )
    problems = problems_in(content_dir, text)
    assert [(p.line, p.reason) for p in problems] == [
        (line_of(text, "## step Tracking"), "node id 'Tracking' must be lowercase-with-dashes")
    ]


def test_shipped_modules_pass_strict_check():
    result = run_check("--strict", str(CONTENT), cwd=CONTENT.parent)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_warnings_fail_the_check_only_with_strict(content_dir):
    text = with_change("customer: Jo Adeyemi\n", "")
    (content_dir / "modules" / "late-delivery.md").write_text(text)
    relaxed = run_check(str(content_dir), cwd=CONTENT.parent)
    assert relaxed.returncode == 0 and "1 warning(s)" in relaxed.stdout
    assert "late-delivery.md:1: warning: front matter has no 'customer:'" in relaxed.stderr
    strict = run_check("--strict", str(content_dir), cwd=CONTENT.parent)
    assert strict.returncode == 1
    assert load(content_dir).modules["late-delivery"].customer == ""  # the app still starts


def test_a_stored_version_with_todays_mistakes_still_parses():
    """Attempts keep the version they played; checks added since never lock them out."""
    text = module_source(
        step(
            "opening",
            reply("opening", "Sorry?", "score: empathy +1", "Score: empathy +1"),
            reply(
                "fix", "Right away.", "score if heard: ownership +1", "feedback if not heard: Hm."
            ),
        ),
        step(
            "fix",
            reply("done", "Done.", "score: ownership +5"),
            reply("done", "Later.", "score: ownership -1", "", "An afterthought."),
        ),
        end("done"),
        skills="empathy, ownership, empathy, trust-building",
    ).replace("customer: Sam Test\n", "")
    module, problems = parse_module(Path("old-version.md"), text.encode())
    assert module is not None and len(problems) >= 5
    assert module.skills == ("empathy", "ownership", "trust-building")
    assert [len(node.choices) for node in module.decision_points] == [2, 2]
    assert paths.strongest_route(module).total == 5
    assert paths.skill_range(module, "trust-building") == (0, 0)
