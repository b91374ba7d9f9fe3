"""The skill catalogue shared by training, coaching and hiring (content/skills.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from coachkit.content.frontmatter import parse_field, split_front_matter
from coachkit.content.problems import Collector, Problem

SKILL_HEADING = re.compile(r"^##\s+(?P<id>\S+)\s*$")
SKILL_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
REQUIRED_ANCHORS = (1, 3, 5)
RATINGS = range(1, 6)


@dataclass(frozen=True)
class Skill:
    id: str
    name: str
    description: str
    anchors: Mapping[int, str]  # rating (1-5) -> what that rating looks like

    def anchor_for(self, rating: int) -> str:
        """The anchor for `rating`; a rating with no words of its own (a 2 or a 4) reads
        as between its described neighbours, never as the lower one alone."""
        if rating in self.anchors:
            return self.anchors[rating]
        lower = max(r for r in self.anchors if r < rating)
        upper = min((r for r in self.anchors if r > rating), default=None)
        if upper is None:
            return self.anchors[lower]
        return (
            f"Between {lower} and {upper}. {lower}: {self.anchors[lower]} "
            f"{upper}: {self.anchors[upper]}"
        )


def _skill(skill_id: str, heading_line: int, fields: dict, problems: Collector) -> Skill | None:
    missing = [key for key in ("name", "description") if key not in fields]
    missing += [str(r) for r in REQUIRED_ANCHORS if str(r) not in fields]
    if missing:
        problems.add(heading_line, f"skill '{skill_id}' is missing: {', '.join(missing)}")
        return None
    for key, field in fields.items():
        if key not in {"name", "description", *(str(r) for r in RATINGS)}:
            problems.add(field.line, f"unknown field '{key}' in skill '{skill_id}'")
    anchors = {r: fields[str(r)].value for r in RATINGS if str(r) in fields}
    return Skill(
        skill_id, fields["name"].value, fields["description"].value, MappingProxyType(anchors)
    )


def parse_skills(path: Path, text: str) -> tuple[dict[str, Skill], list[Problem]]:
    """Parse the catalogue; every problem is reported with its line."""
    problems = Collector(path)
    lines = text.splitlines()
    _front, start = split_front_matter(lines, problems)
    skills: dict[str, Skill] = {}
    current: tuple[str, int] | None = None
    fields: dict = {}

    def finish() -> None:
        if current is not None:
            if current[0] in skills:
                problems.add(current[1], f"duplicate skill id '{current[0]}'")
            elif skill := _skill(current[0], current[1], fields, problems):
                skills[skill.id] = skill

    for index in range(start, len(lines)):
        number, text_line = index + 1, lines[index].strip()
        if heading := SKILL_HEADING.match(text_line):
            finish()
            current, fields = (heading["id"], number), {}
            if not SKILL_ID.match(heading["id"]):
                problems.add(number, f"skill id '{heading['id']}' must be lowercase-with-dashes")
        elif text_line and not text_line.startswith("#") and current is not None:
            field = parse_field(text_line, number)
            if field is None:
                problems.add(number, f"expected 'key: value', got {text_line!r}")
            else:
                fields[field.key] = field
    finish()
    if not skills and not problems.problems:
        problems.add(1, "the catalogue defines no skills")
    return skills, problems.problems
