"""Problems found in content files, each with its file, line and reason.

An error makes a file unusable: the app refuses to start and `content check` fails. A
warning points at something that works but misleads learners (for example the best
reply always in the same place); `content check --strict` fails on warnings too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    reason: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.reason}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if not problem.warning]


class ContentError(RuntimeError):
    """Content that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in content files:\n{lines}")


class Collector:
    """Gathers problems for one file while it is parsed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.path, line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.path, line, reason, warning=True))
