"""Front matter and field lines: `key: value`, parsed with their line numbers.

Deliberately smaller than YAML: one `key: value` per line, so a trainer never meets
YAML's surprises and every value has a line to report problems against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coachkit.content.problems import Collector

FIELD = re.compile(r"^(?P<key>[a-z0-9][a-z0-9 _-]*?)\s*:\s*(?P<value>.*)$")
DELIMITER = "---"


@dataclass(frozen=True)
class Field:
    key: str
    value: str
    line: int


def split_front_matter(lines: list[str], problems: Collector) -> tuple[dict[str, Field], int]:
    """Parse the `---` block at the top; return its fields and the first body line index."""
    if not lines or lines[0].strip() != DELIMITER:
        problems.add(1, "the file must start with front matter between two '---' lines")
        return {}, 0
    fields: dict[str, Field] = {}
    for index in range(1, len(lines)):
        text = lines[index].strip()
        if text == DELIMITER:
            return fields, index + 1
        if not text or text.startswith("#"):
            continue
        match = FIELD.match(text)
        if match is None:
            problems.add(index + 1, f"front matter line is not 'key: value': {text!r}")
            continue
        key = match["key"]
        if key in fields:
            problems.add(index + 1, f"'{key}' is given twice (first on line {fields[key].line})")
        fields[key] = Field(key, match["value"].strip(), index + 1)
    problems.add(1, "front matter is not closed by a '---' line")
    return fields, len(lines)


def parse_field(text: str, line: int) -> Field | None:
    match = FIELD.match(text.strip())
    return Field(match["key"], match["value"].strip(), line) if match else None


def decoded_lines(raw: bytes, problems: Collector) -> list[str] | None:
    """The file's lines, or None (with the problem recorded) when it is not UTF-8."""
    try:
        return raw.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        problems.add(raw[: error.start].count(b"\n") + 1, "the file is not valid UTF-8")
        return None
