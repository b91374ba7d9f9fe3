"""Stored copies of modules and exercises (what an attempt or an opening began with),
parsed again by one function for both."""

from __future__ import annotations

import pytest

from coachkit.content.exercise_parser import parse_exercise
from coachkit.content.exercises import Exercise
from coachkit.content.library import UnreadableVersion, parse_stored
from coachkit.content.module_parser import parse_module
from coachkit.content.modules import Module
from tests.content.conftest import CONTENT

MODULE = "the-wedding-suit"
EXERCISE = "an-afternoon-on-the-help-line"


def test_a_stored_module_and_a_stored_exercise_parse_once_per_process():
    module_source = (CONTENT / "modules" / f"{MODULE}.md").read_text()
    exercise_source = (CONTENT / "exercises" / f"{EXERCISE}.md").read_text()
    module = parse_stored(parse_module, MODULE, "v1", module_source)
    exercise = parse_stored(parse_exercise, EXERCISE, "v1", exercise_source)
    assert isinstance(module, Module) and module.slug == MODULE
    assert isinstance(exercise, Exercise) and exercise.slug == EXERCISE
    assert parse_stored(parse_module, MODULE, "v1", module_source) is module


@pytest.mark.parametrize("parse", [parse_module, parse_exercise])
def test_a_stored_version_that_no_longer_parses_is_named(parse):
    with pytest.raises(UnreadableVersion, match="stored version gone@v0 no longer parses"):
        parse_stored(parse, "gone", "v0", "no front matter at all")
