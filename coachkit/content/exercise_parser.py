"""Reading a screening exercise file into an `Exercise`, reporting every problem with its
line: layout, fields, scoring keys, rubrics, and skills against the catalogue.

Under every `##` and `###` heading come its `key: value` lines, then a blank line, then
its text. Keeping fields first means prose is never mistaken for a field and a mistyped
key is always reported rather than shown to a candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import cast

from coachkit.content.document import Header, parse_document
from coachkit.content.exercises import (
    ANSWER_MODES,
    DEFAULT_MAX_WORDS,
    ITEM_KINDS,
    MAX_WORDS,
    MINUTES,
    RATINGS,
    RESPONSES_PER_ITEM,
    AnswerMode,
    Exercise,
    Item,
    ItemKind,
    Response,
)
from coachkit.content.frontmatter import Field, parse_field
from coachkit.content.problems import Collector, Problem
from coachkit.content.quotes import turns_as_paragraphs
from coachkit.content.skills import REQUIRED_ANCHORS
from coachkit.text import render_markdown

ITEM_HEADING = re.compile(r"^##\s+(?P<kind>\S+)\s+(?P<id>\S+)\s*$")
RESPONSE_HEADING = re.compile(r"^###\s+response\s*$")
RUBRIC_HEADING = re.compile(r"^###\s+rubric\s+(?P<skill>\S+)\s*$")
ITEM_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FRONT_KEYS = ("title", "summary", "setting", "skills", "minutes")
FIELDS = {
    "judgement": ("skills", "answer"),
    "open": ("skills", "prompt", "max-words"),
    "response": ("key", "why"),
    "rubric": tuple(str(r) for r in RATINGS),
}
OPTIONAL = {"max-words", *(str(r) for r in RATINGS if r not in REQUIRED_ANCHORS)}
CHILD_KIND = {"judgement": "response", "open": "rubric"}


@dataclass
class _Block:
    """A heading and what follows it: fields first, then text, then child blocks."""

    kind: str  # an item kind, "response", "rubric", or "ignored" after a reported heading
    name: str
    line: int
    fields: dict[str, Field] = field(default_factory=dict)
    text: list[tuple[int, str]] = field(default_factory=list)
    children: list[_Block] = field(default_factory=list)
    in_fields: bool = True

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.name}'" if self.name else self.kind

    def body(self) -> str:
        return "\n".join(raw for _number, raw in self.text).strip()


class _Reader:
    """Walks the body lines once, building item blocks and their responses or rubrics."""

    def __init__(self, problems: Collector) -> None:
        self.problems = problems
        self.intro: list[str] = []
        self.items: list[_Block] = []
        self.item: _Block | None = None  # the item that `###` blocks belong to
        self.block: _Block | None = None  # the block receiving the lines that follow

    def finish(self, header: Header) -> Exercise | None:
        return _exercise(self, header)

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        if text.startswith("###"):
            self._sub_heading(number, text)
        elif text.startswith("##"):
            self._item_heading(number, text)
        elif self.block is None:
            self.intro.append(raw)
        else:
            self._content(self.block, number, raw, text)

    def _item_heading(self, number: int, text: str) -> None:
        match = ITEM_HEADING.match(text)
        if match is None or match["kind"] not in ITEM_KINDS:
            self.problems.add(number, f"expected '## judgement ID' or '## open ID', got {text!r}")
            self.item = self.block = _Block("ignored", "", number)
            return
        if not ITEM_ID.match(match["id"]):
            self.problems.add(number, f"item id '{match['id']}' must be lowercase-with-dashes")
        self.item = self.block = _Block(match["kind"], match["id"], number)
        self.items.append(self.item)

    def _sub_heading(self, number: int, text: str) -> None:
        rubric = RUBRIC_HEADING.match(text)
        kind = "response" if RESPONSE_HEADING.match(text) else "rubric" if rubric else ""
        self.block = _Block(kind or "ignored", rubric["skill"] if rubric else "", number)
        if self.item is None:
            self.problems.add(
                number, f"{text!r} comes before the first '## judgement' or '## open'"
            )
        elif not kind:
            self.problems.add(
                number, f"expected '### response' or '### rubric SKILL-ID', got {text!r}"
            )
        elif self.item.kind in CHILD_KIND and CHILD_KIND[self.item.kind] != kind:
            self.problems.add(
                number,
                f"{self.item.label} takes '### {CHILD_KIND[self.item.kind]}' blocks, "
                f"not '### {kind}'",
            )
        else:
            self.item.children.append(self.block)

    def _content(self, block: _Block, number: int, raw: str, text: str) -> None:
        if block.in_fields:
            if not text:  # a blank line ends the fields (rubrics are all fields)
                block.in_fields = not block.fields or block.kind == "rubric"
                return
            if (parsed := parse_field(text, number)) is not None:
                self._field(block, parsed)
                return
            block.in_fields = block.kind == "rubric"  # a stray line does not end a rubric
        block.text.append((number, raw))

    def _field(self, block: _Block, parsed: Field) -> None:
        known = FIELDS.get(block.kind)
        if known is None:
            return  # under a heading that was already reported
        if parsed.key not in known:
            self.problems.add(
                parsed.line,
                f"unknown key '{parsed.key}' in {block.label} (known: {', '.join(known)})",
            )
        elif parsed.key in block.fields:
            first = block.fields[parsed.key].line
            self.problems.add(
                parsed.line,
                f"'{parsed.key}' is given twice in {block.label} (first on line {first})",
            )
        else:
            block.fields[parsed.key] = parsed


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _whole_number(item: Field | None, allowed: range, default: int, problems: Collector) -> int:
    if item is None or not item.value:  # a missing value is reported as missing
        return default
    if item.value.isdigit() and int(item.value) in allowed:
        return int(item.value)
    problems.add(
        item.line, f"{item.key} must be a whole number from {allowed.start} to {allowed.stop - 1}"
    )
    return default


def _require(block: _Block, problems: Collector) -> None:
    missing = [k for k in FIELDS[block.kind] if k not in block.fields and k not in OPTIONAL]
    missing += [k for k, f in block.fields.items() if not f.value and k not in missing]
    if missing:
        problems.add(block.line, f"{block.label} is missing: {', '.join(missing)}")


def _response(block: _Block, problems: Collector) -> Response:
    _require(block, problems)
    key = _whole_number(block.fields.get("key"), RATINGS, 0, problems)
    text = " ".join(raw.strip() for _number, raw in block.text if raw.strip())
    if not text:
        problems.add(block.line, "the response has no text (after a blank line below its fields)")
    why = block.fields["why"].value if "why" in block.fields else ""
    return Response(text, key, block.line, why)


def _judgement(block: _Block, situation: Item, problems: Collector) -> Item:
    answer = block.fields.get("answer")
    mode: AnswerMode | None = None
    if answer and answer.value in ANSWER_MODES:
        mode = cast(AnswerMode, answer.value)
    elif answer and answer.value:
        problems.add(answer.line, f"answer must be one of {', '.join(ANSWER_MODES)}")
    responses = tuple(_response(child, problems) for child in block.children)
    if len(responses) not in RESPONSES_PER_ITEM:
        problems.add(block.line, f"{block.label} has {len(responses)} responses; it needs 4 or 5")
    return replace(situation, answer=mode, responses=responses)


def _open(block: _Block, situation: Item, problems: Collector) -> Item:
    max_words = _whole_number(block.fields.get("max-words"), MAX_WORDS, DEFAULT_MAX_WORDS, problems)
    rubric: dict[str, MappingProxyType[int, str]] = {}
    for child in block.children:
        _require(child, problems)
        for number, raw in child.text:
            if raw.strip():
                problems.add(number, f"expected 'N: anchor' in {child.label}, got {raw.strip()!r}")
        if child.name in rubric:
            problems.add(child.line, f"'{child.name}' has a second rubric in {block.label}")
        elif child.name not in situation.skills:
            problems.add(
                child.line,
                f"rubric for '{child.name}', which {block.label} does not list in skills",
            )
        rubric[child.name] = MappingProxyType({int(k): f.value for k, f in child.fields.items()})
    for skill in situation.skills:
        if skill not in rubric:
            problems.add(block.line, f"{block.label} has no '### rubric {skill}'")
    prompt = block.fields["prompt"].value if "prompt" in block.fields else ""
    return replace(situation, prompt=prompt, max_words=max_words, rubric=MappingProxyType(rubric))


def _item(block: _Block, problems: Collector) -> Item:
    _require(block, problems)
    situation = render_markdown(turns_as_paragraphs(block.body()))
    if not str(situation):
        problems.add(
            block.line, f"{block.label} has no situation (text after a blank line below its fields)"
        )
    skills = block.fields.get("skills", Field("skills", "", block.line))
    common = Item(
        block.name,
        cast(ItemKind, block.kind),
        block.line,
        situation,
        _names(skills.value),
        skills_line=skills.line,
    )
    return (_judgement if block.kind == "judgement" else _open)(block, common, problems)


def _items(reader: _Reader, problems: Collector) -> list[Item]:
    items: dict[str, Item] = {}
    for block in reader.items:
        if block.name in items:
            first = items[block.name].line
            problems.add(block.line, f"duplicate item id '{block.name}' (first on line {first})")
        else:
            items[block.name] = _item(block, problems)
    if not reader.items:
        problems.add(1, "the exercise has no items ('## judgement ID' or '## open ID')")
    return list(items.values())


def _exercise(reader: _Reader, header: Header) -> Exercise | None:
    problems = reader.problems
    intro = render_markdown(turns_as_paragraphs("\n".join(reader.intro).strip()))
    if not str(intro):
        problems.add(header.body_line, "the exercise needs an introduction before its first item")
    items = _items(reader, problems)
    minutes = _whole_number(header.front.get("minutes"), MINUTES, MINUTES.start, problems)
    if not header.complete:
        return None
    return Exercise(
        **header.identity,
        title=header.value("title"),
        summary=header.value("summary"),
        setting=header.value("setting"),
        minutes=minutes,
        skills=_names(header.value("skills")),
        intro_html=intro,
        items=tuple(items),
        skills_line=header.front["skills"].line,
    )


def parse_exercise(path: Path, raw: bytes) -> tuple[Exercise | None, list[Problem]]:
    """Parse one exercise file. Returns the exercise (None if unusable) and its problems."""
    return parse_document(path, raw, _Reader, known=FRONT_KEYS, required=FRONT_KEYS)
