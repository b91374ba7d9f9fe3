"""One readable scale: points placed on 1-5 between the worst and the strongest total a
module allows for the skill, an overall 0-100%, and the catalogue's words for a rating."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachkit.content.library import load
from coachkit.content.paths import strongest_route
from coachkit.training.scale import anchor, overall_percent, place, skill_result, skill_results
from tests.content.conftest import end, module_source, parsed, play, reply, step

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def module():
    """Empathy from -2 to +3 and ownership from -1 to +3 over four paths; acknowledging
    first pays off only later (a flag)."""
    return parsed(
        module_source(
            step(
                "opening",
                reply("fix", "That's awful, I'm sorry.", "sets: heard", "score: empathy +1"),
                reply("fix", "Account number?", "score: ownership +1, empathy -1"),
            ),
            step(
                "fix",
                reply("done", "Refunded now.", "score: ownership +2", "score if heard: empathy +2"),
                reply("done", "I'll raise a ticket.", "score: ownership -1, empathy -1"),
            ),
            end("done"),
        )
    )


def test_worst_path_is_1_and_strongest_is_5(module):
    results = {r.skill: r for r in skill_results(module, play(module, [0, 0]))}
    assert (results["empathy"].worst, results["empathy"].strongest) == (-2, 3)
    assert results["empathy"].rating == 5.0 and results["empathy"].points == 3
    assert (results["ownership"].worst, results["ownership"].strongest) == (-1, 3)
    worst = {r.skill: r.rating for r in skill_results(module, play(module, [1, 1]))}
    assert worst["empathy"] == 1.0  # -2: the lowest empathy total any path allows
    best_ownership = skill_result(module, "ownership", play(module, [1, 0])["ownership"])
    assert best_ownership.rating == 5.0 and best_ownership.points == 3


def test_points_between_are_placed_in_proportion_with_one_decimal():
    assert place(6, -2, 8) == 4.2  # the guide's example
    assert place(0, -1, 2) == 2.3  # 2.333...
    assert place(1, 0, 8) == 1.5
    assert place(1, -2, 6) == 2.5  # exactly half way between tenths rounds up
    assert place(1, 0, 16) == 1.3  # 1.25 rounds half up
    assert place(-9, -2, 8) == 1.0 and place(12, -2, 8) == 5.0  # outside: the nearer end
    assert place(3, 3, 3) is None  # every path gives the same total: nothing to place


def test_overall_percent_runs_from_the_lowest_total_to_the_strongest_path(module):
    assert overall_percent(module, play(module, [0, 0])) == 100  # the strongest path
    assert overall_percent(module, play(module, [1, 1])) == 0
    assert overall_percent(module, play(module, [1, 0])) == 57  # 2 between -2 and 5
    route = strongest_route(module)
    assert overall_percent(module, route.scores) == 100


def test_a_rating_reads_as_the_catalogues_anchor():
    empathy = load(CONTENT).skills["empathy"]
    assert anchor(empathy, 5.0) == empathy.anchors[5]
    assert anchor(empathy, 4.5) == empathy.anchors[5]
    assert anchor(empathy, 4.2) == empathy.anchor_for(4)
    assert anchor(empathy, 1.0) == empathy.anchors[1]
    assert anchor(empathy, 1.4) == empathy.anchors[1]


@pytest.mark.parametrize("slug", sorted(p.stem for p in (CONTENT / "modules").glob("*.md")))
def test_every_shipped_skill_is_placed_and_the_strongest_path_is_100(slug):
    module = load(CONTENT).modules[slug]
    route = strongest_route(module)
    assert overall_percent(module, route.scores) == 100
    for result in skill_results(module, route.scores):
        assert result.rating is not None and 1 <= result.rating <= 5
        assert result.worst < result.strongest
