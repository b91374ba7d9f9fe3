"""A rating reads as the catalogue describes it: a 2 or a 4, which have no words of their
own, read as between their described neighbours, never as the lower level alone."""

from __future__ import annotations

import pytest

from coachkit.content.library import load
from tests.content.conftest import CONTENT

SKILLS = load(CONTENT).skills


@pytest.mark.parametrize("skill_id", sorted(SKILLS))
def test_every_rating_1_to_5_reads_right(skill_id):
    skill = SKILLS[skill_id]
    one, three, five = skill.anchors[1], skill.anchors[3], skill.anchors[5]
    assert skill.anchor_for(1) == one
    assert skill.anchor_for(3) == three
    assert skill.anchor_for(5) == five
    assert skill.anchor_for(2) == f"Between 1 and 3. 1: {one} 3: {three}"
    assert skill.anchor_for(4) == f"Between 3 and 5. 3: {three} 5: {five}"
    assert skill.anchor_for(4) != three and skill.anchor_for(2) != one


def test_a_described_in_between_level_keeps_its_own_words():
    skill = SKILLS["empathy"]
    described = type(skill)(skill.id, skill.name, skill.description, {**skill.anchors, 4: "Four"})
    assert described.anchor_for(4) == "Four"
    assert described.anchor_for(2).startswith("Between 1 and 3.")
