"""Loading the content directory once, at start-up: skills, modules and screening
exercises, validated.

A broken file stops the app from starting (and `flask content check` from passing) with
every problem's file, line and reason; it never becomes an error at request time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app

from coachkit.content.exercise_parser import parse_exercise
from coachkit.content.exercises import Exercise, check_exercise
from coachkit.content.graph import check_module
from coachkit.content.module_parser import parse_module
from coachkit.content.modules import Module
from coachkit.content.problems import ContentError, Problem, errors
from coachkit.content.scoring import check_scoring
from coachkit.content.skills import Skill, parse_skills

SKILLS_FILE = "skills.md"
MODULES_DIR = "modules"
EXERCISES_DIR = "exercises"
EXTENSION_KEY = "coachkit.content"
Parsed = TypeVar("Parsed", Module, Exercise)


@dataclass(frozen=True)
class Library:
    skills: dict[str, Skill]
    modules: dict[str, Module]  # by slug, in title order
    exercises: dict[str, Exercise] = field(default_factory=dict)  # by slug, in title order


def checked_module(
    path: Path, raw: bytes, skill_ids: set[str]
) -> tuple[Module | None, list[Problem]]:
    """One module file parsed and given every check `content check` makes."""
    module, problems = parse_module(path, raw)
    if module is not None:
        problems += check_module(module, skill_ids) + check_scoring(module)
    return module, problems


def checked_exercise(
    path: Path, raw: bytes, skill_ids: set[str]
) -> tuple[Exercise | None, list[Problem]]:
    """One exercise file parsed and given every check `content check` makes."""
    exercise, problems = parse_exercise(path, raw)
    if exercise is not None:
        problems += check_exercise(exercise, skill_ids)
    return exercise, problems


def read(directory: Path) -> tuple[Library, list[Problem]]:
    """Parse and check everything under `directory`; return what loaded and all problems
    (errors and warnings)."""
    problems: list[Problem] = []
    skills_path = directory / SKILLS_FILE
    if skills_path.is_file():
        skills, found = parse_skills(skills_path, skills_path.read_text(encoding="utf-8"))
        problems += found
    else:
        skills = {}
        problems.append(Problem(skills_path, 1, "the skill catalogue is missing"))
    modules: list[Module] = []
    for path in sorted((directory / MODULES_DIR).glob("*.md")):
        module, found = checked_module(path, path.read_bytes(), set(skills))
        problems += found
        if module is not None:
            modules.append(module)
    exercises: list[Exercise] = []
    for path in sorted((directory / EXERCISES_DIR).glob("*.md")):
        exercise, found = checked_exercise(path, path.read_bytes(), set(skills))
        problems += found
        if exercise is not None:
            exercises.append(exercise)
    modules.sort(key=lambda module: module.title.lower())
    exercises.sort(key=lambda exercise: exercise.title.lower())
    ordered = Library(skills, {m.slug: m for m in modules}, {e.slug: e for e in exercises})
    return ordered, sorted(problems)


class UnreadableVersion(LookupError):
    """A stored version of a module or exercise that no longer parses."""


@functools.lru_cache(maxsize=320)
def parse_stored(
    parse: Callable[[Path, bytes], tuple[Parsed | None, list[Problem]]],
    slug: str,
    version: str,
    source: str,
) -> Parsed:
    """A module or exercise from the copy stored when its version was first used
    (`parse_module` or `parse_exercise` as `parse`), parsed once per process."""
    parsed, _problems = parse(Path(f"{slug}.md"), source.encode("utf-8"))
    if parsed is None:
        raise UnreadableVersion(f"stored version {slug}@{version} no longer parses")
    return parsed


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    files = [
        directory / SKILLS_FILE,
        *sorted((directory / MODULES_DIR).glob("*.md")),
        *sorted((directory / EXERCISES_DIR).glob("*.md")),
    ]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


_loaded: dict[tuple[Path, tuple[tuple[str, int, int], ...]], Library] = {}


def load(directory: Path) -> Library:
    """The library, or ContentError naming every error (warnings do not stop it).

    Parsed once per process for unchanged files (several apps in one process, as in
    tests, share it); an edited file is read again.
    """
    key = (directory.resolve(), _fingerprint(directory))
    if key not in _loaded:
        library, problems = read(directory)
        if found := errors(problems):
            raise ContentError(found)
        _loaded.clear()
        _loaded[key] = library
    return _loaded[key]


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = load(Path(app.config["CONTENT_DIR"]))


def library() -> Library:
    """The current app's content, loaded at start-up."""
    return current_app.extensions[EXTENSION_KEY]
