"""What every content file with front matter shares: decoding, the front matter, a walk
over the body lines, the known and required keys, and the file's identity (slug, path,
version). Modules and exercises differ only in how they read their body and what they
build from it, which `parse_document` leaves to a `Draft`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypedDict, TypeVar

from coachkit.content.frontmatter import Field, decoded_lines, split_front_matter
from coachkit.content.problems import Collector, Problem

T_co = TypeVar("T_co", covariant=True)


def content_version(raw: bytes) -> str:
    """A file's version: derived from its exact content, so any edit makes a new one."""
    return hashlib.sha256(raw).hexdigest()[:12]


class Identity(TypedDict):
    """What identifies a parsed file: its slug (the file name), path and version."""

    slug: str
    path: Path
    version: str


@dataclass(frozen=True)
class Header:
    """A file's identity and its front matter."""

    slug: str
    path: Path
    version: str
    front: dict[str, Field]
    body_line: int  # the first line after the front matter
    complete: bool  # every required key is present and not empty

    @property
    def identity(self) -> Identity:
        return Identity(slug=self.slug, path=self.path, version=self.version)

    def value(self, key: str, default: str = "") -> str:
        return self.front[key].value if key in self.front else default


class Draft(Protocol[T_co]):
    """Reads a file's body one line at a time, then builds what the file describes."""

    def line(self, number: int, raw: str) -> None: ...

    def finish(self, header: Header) -> T_co | None:
        """Check what was read and build it; when the header is not complete, only
        report problems and build nothing."""
        ...


def _complete_front(
    front: dict[str, Field], known: Sequence[str], required: Sequence[str], problems: Collector
) -> bool:
    for key, item in front.items():
        if key not in known:
            problems.add(item.line, f"unknown front matter key '{key}' (known: {', '.join(known)})")
    missing = [key for key in required if not (key in front and front[key].value)]
    if missing:
        problems.add(1, f"front matter is missing: {', '.join(missing)}")
    return not missing


def parse_document(
    path: Path,
    raw: bytes,
    draft: Callable[[Collector], Draft[T_co]],
    *,
    known: Sequence[str],
    required: Sequence[str],
) -> tuple[T_co | None, list[Problem]]:
    """Parse one content file with `draft`; the result (None if unusable) and every
    problem found, each with its line."""
    problems = Collector(path)
    lines = decoded_lines(raw, problems)
    if lines is None:
        return None, problems.problems
    front, start = split_front_matter(lines, problems)
    reader = draft(problems)
    for index in range(start, len(lines)):
        reader.line(index + 1, lines[index])
    complete = _complete_front(front, known, required, problems)
    header = Header(path.stem, path, content_version(raw), front, start + 1, complete)
    return reader.finish(header), problems.problems
