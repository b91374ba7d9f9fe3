"""Checking a previewed file with every check `flask content check` makes, and setting
each problem beside the line it is about."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from coachkit.authoring.models import Preview, PreviewKind
from coachkit.content.exercises import Exercise
from coachkit.content.library import checked_exercise, checked_module, library
from coachkit.content.modules import Module
from coachkit.content.problems import Problem


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class CheckedFile:
    kind: PreviewKind
    parsed: Module | Exercise | None
    problems: tuple[Problem, ...]
    lines: tuple[SourceLine, ...]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.warning]

    @property
    def playable(self) -> bool:
        """It parses with no errors (warnings still let it play, as at start-up)."""
        return self.parsed is not None and not self.errors

    @property
    def module(self) -> Module | None:
        return self.parsed if isinstance(self.parsed, Module) and self.playable else None

    @property
    def exercise(self) -> Exercise | None:
        return self.parsed if isinstance(self.parsed, Exercise) and self.playable else None


def _beside(source: str, problems: list[Problem]) -> tuple[SourceLine, ...]:
    """The file's lines, each with its problems; one past the end goes on the last."""
    texts = source.splitlines() or [""]
    by_line: dict[int, list[Problem]] = {}
    for problem in problems:
        by_line.setdefault(min(max(problem.line, 1), len(texts)), []).append(problem)
    return tuple(
        SourceLine(number, text, tuple(by_line.get(number, ())))
        for number, text in enumerate(texts, start=1)
    )


@functools.lru_cache(maxsize=64)
def _check(kind: PreviewKind, file_name: str, source: str, skills: frozenset[str]) -> CheckedFile:
    path = Path(f"{file_name}.md")
    raw = source.encode("utf-8")
    checked = checked_module if kind == PreviewKind.MODULE else checked_exercise
    parsed, problems = checked(path, raw, set(skills))
    problems = sorted(problems, key=lambda p: (p.line, p.warning, p.reason))
    return CheckedFile(kind, parsed, tuple(problems), _beside(source, problems))


def check(preview: Preview) -> CheckedFile:
    """The preview's file checked (once per version of its text, per process)."""
    skills = frozenset(library().skills)
    return _check(preview.kind, preview.file_name, preview.source, skills)
