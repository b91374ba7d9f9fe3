"""Reading a module file into a `Module`, reporting every local problem with its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from markupsafe import Markup

from coachkit.content.document import Header, parse_document
from coachkit.content.frontmatter import Field, parse_field
from coachkit.content.module_fields import MARKUP, is_choice_key, near_miss, reply_fields
from coachkit.content.modules import (
    CHOICE_HEADING,
    CUSTOMER_NAME,
    FEEDBACK_MODES,
    FRONT_KEYS,
    ID,
    MAX_SETTING,
    MAX_TITLE,
    NODE_FIELDS,
    NODE_HEADING,
    NODE_KINDS,
    OPTIONAL_NODE_FIELDS,
    OUTCOMES,
    REQUIRED_KEYS,
    Choice,
    FeedbackMode,
    Module,
    Node,
)
from coachkit.content.problems import Collector, Problem
from coachkit.text import render_markdown


@dataclass
class _ChoiceDraft:
    target: str
    line: int
    text: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    after_blank: bool = False  # a blank line has followed its text or fields


@dataclass
class _NodeDraft:
    id: str
    kind: str
    line: int
    fields: dict[str, Field] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    choices: list[_ChoiceDraft] = field(default_factory=list)
    text_line: int = 0  # where its text (narration, debrief) begins

    def allows(self, key: str) -> bool:
        return key in NODE_FIELDS.get(self.kind, set()) | OPTIONAL_NODE_FIELDS.get(self.kind, set())


class _Reader:
    """Walks the body lines once, building node and choice drafts."""

    def __init__(self, problems: Collector) -> None:
        self.problems = problems
        self.nodes: list[_NodeDraft] = []
        self.briefing: list[str] = []
        self.open_field: tuple[object, str] | None = None  # (owner, key) being continued

    def finish(self, header: Header) -> Module | None:
        return _module(self, header)

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        if text.startswith("###"):
            self._choice_heading(number, text)
        elif text.startswith("##"):
            self._node_heading(number, text)
        elif not self.nodes:
            self.briefing.append(raw)
        elif not text:
            self.open_field = None
            if self.nodes[-1].choices:
                choice = self.nodes[-1].choices[-1]
                choice.after_blank = bool(choice.text or choice.fields)
            else:
                self.nodes[-1].body.append("")
        elif self.nodes[-1].choices:
            self._choice_content(self.nodes[-1].choices[-1], number, text)
        else:
            self._node_content(self.nodes[-1], number, raw, text)

    def _node_heading(self, number: int, text: str) -> None:
        self.open_field = None
        match = NODE_HEADING.match(text)
        if match is None or match["kind"] not in NODE_KINDS:
            self.problems.add(
                number, f"expected '## step ID', '## reflect ID' or '## end ID', got {text!r}"
            )
            words = text.lstrip("#").split()
            self.nodes.append(
                _NodeDraft(words[-1] if len(words) > 1 else f"line-{number}", "invalid", number)
            )
            return
        if not match["space"]:
            self.problems.add(number, f"put a space after '##': '## {text[2:]}'")
        if not ID.match(match["id"]):
            self.problems.add(number, f"node id '{match['id']}' must be lowercase-with-dashes")
        self.nodes.append(_NodeDraft(match["id"], match["kind"], number))

    def _choice_heading(self, number: int, text: str) -> None:
        self.open_field = None
        match = CHOICE_HEADING.match(text)
        if match is None:
            self.problems.add(number, f"expected '### choice -> NODE-ID', got {text!r}")
            return
        if not self.nodes or self.nodes[-1].kind != "step":
            self.problems.add(number, "choices belong under a '## step' heading")
            return
        self.nodes[-1].choices.append(_ChoiceDraft(match["target"], number))

    def _choice_content(self, choice: _ChoiceDraft, number: int, text: str) -> None:
        parsed = parse_field(text, number)
        if parsed and is_choice_key(parsed.key):
            choice.fields.append(parsed)
            self.open_field = (choice, parsed.key)
            return
        if reason := near_miss(text, is_choice_key, in_choice=True):
            self.problems.add(number, reason)
        elif choice.after_blank:
            self.problems.add(
                number,
                "text after a blank line in a choice would be added to the reply: a reply "
                "is one paragraph, and a field ends at a blank line",
            )
        if self.open_field and self.open_field[0] is choice:
            last = choice.fields[-1]
            choice.fields[-1] = Field(last.key, f"{last.value} {text}", last.line)
        else:
            choice.text.append(text)

    def _node_content(self, node: _NodeDraft, number: int, raw: str, text: str) -> None:
        parsed = parse_field(text, number)
        if parsed and node.allows(parsed.key):
            if parsed.key in node.fields:
                self.problems.add(number, f"'{parsed.key}' is given twice in '{node.id}'")
            if node.text_line:
                self.problems.add(
                    number,
                    f"'{parsed.key}:' comes after the text that starts on line {node.text_line}:"
                    " a node's fields come first, then a blank line, then its text",
                )
            node.fields[parsed.key] = parsed
            self.open_field = (node, parsed.key)
            return
        if reason := near_miss(text, node.allows, in_choice=False):
            self.problems.add(number, reason)
        if self.open_field and self.open_field[0] is node:
            key = self.open_field[1]
            last = node.fields[key]
            node.fields[key] = Field(key, f"{last.value} {text}", last.line)
        else:
            node.text_line = node.text_line or number
            node.body.append(raw)


def _choice(draft: _ChoiceDraft, node_id: str, problems: Collector) -> Choice:
    sets, scores, feedback = reply_fields(draft.fields, problems)
    text = " ".join(draft.text)
    if not text:
        problems.add(draft.line, f"a choice in '{node_id}' has no reply text")
    elif MARKUP.search(text):
        problems.warn(
            draft.line, "a reply is plain text, shown as written: Markdown or HTML in it shows"
        )
    if not feedback:
        problems.add(draft.line, f"a choice in '{node_id}' has no feedback")
    return Choice(draft.target, text, sets, scores, feedback, draft.line)


def _node(draft: _NodeDraft, problems: Collector) -> Node:
    fields = {key: item.value for key, item in draft.fields.items()}
    for key in NODE_FIELDS.get(draft.kind, set()) - set(fields):
        problems.add(draft.line, f"{draft.kind} '{draft.id}' needs '{key}:'")
    body = render_markdown("\n".join(draft.body).strip())
    if draft.kind == "step" and len(draft.choices) < 2:
        problems.add(draft.line, f"step '{draft.id}' needs at least two choices")
    if len(fields.get("title", "")) > MAX_TITLE:
        problems.add(
            draft.fields["title"].line, f"a step's title is at most {MAX_TITLE} characters"
        )
    if draft.kind == "end":
        if fields.get("outcome") and fields["outcome"] not in OUTCOMES:
            problems.add(
                draft.fields["outcome"].line, f"outcome must be one of {', '.join(OUTCOMES)}"
            )
        if not str(body):
            problems.add(draft.line, f"end '{draft.id}' needs a debrief (text under it)")
    return Node(
        draft.id,
        draft.kind,
        draft.line,
        customer_html=render_markdown(fields.get("customer", ""))
        if fields.get("customer")
        else Markup(""),
        body_html=body,
        choices=tuple(_choice(choice, draft.id, problems) for choice in draft.choices),
        prompt=fields.get("prompt", ""),
        next=fields.get("next", ""),
        outcome=fields.get("outcome", ""),
        title=fields.get("title", ""),
    )


def _minutes(header: Header, problems: Collector) -> int:
    minutes = header.front.get("minutes")
    if minutes is None or (minutes.value.isdigit() and 1 <= int(minutes.value) <= 60):
        return int(minutes.value) if minutes else 5
    problems.add(minutes.line, "minutes must be a whole number from 1 to 60")
    return 5


def _skills(header: Header, problems: Collector) -> tuple[str, ...]:
    skills: list[str] = []
    for skill in filter(None, (s.strip() for s in header.value("skills").split(","))):
        if skill in skills:
            problems.add(header.front["skills"].line, f"'{skill}' is listed twice in skills")
        else:
            skills.append(skill)
    return tuple(skills)


def _customer(header: Header, problems: Collector) -> str:
    name = header.front.get("customer")
    if name is None:
        problems.warn(1, "front matter has no 'customer:' (the customer's name, e.g. Helen Marsh)")
        return ""
    if not CUSTOMER_NAME.match(name.value):
        problems.add(
            name.line,
            "customer must be a name of up to 60 letters, spaces, hyphens, apostrophes "
            "and full stops",
        )
    return name.value


def _feedback(header: Header, problems: Collector) -> FeedbackMode:
    mode = header.front.get("feedback")
    if mode is None:
        return "at-end"
    if mode.value not in FEEDBACK_MODES:
        problems.add(mode.line, f"feedback must be one of {', '.join(FEEDBACK_MODES)}")
        return "at-end"
    return cast(FeedbackMode, mode.value)


def _setting(header: Header, problems: Collector) -> str:
    """The optional `setting:` (a bank branch, a hotel front desk): one short line."""
    setting = header.front.get("setting")
    if setting is None:
        return ""
    if not 0 < len(setting.value) <= MAX_SETTING:
        problems.add(setting.line, f"setting is one short line, 1 to {MAX_SETTING} characters")
    return " ".join(setting.value.split())[:MAX_SETTING]


def _module(reader: _Reader, header: Header) -> Module | None:
    nodes: dict[str, Node] = {}
    for draft in reader.nodes:
        if draft.id in nodes:
            reader.problems.add(
                draft.line, f"duplicate id '{draft.id}' (first on line {nodes[draft.id].line})"
            )
            continue
        nodes[draft.id] = _node(draft, reader.problems)
    if not ID.match(header.slug):
        reader.problems.add(
            1, f"the file name '{header.path.name}' must be lowercase-with-dashes and end in .md"
        )
    if not header.complete:
        return None
    return Module(
        **header.identity,
        title=header.value("title"),
        summary=header.value("summary"),
        skills=_skills(header, reader.problems),
        minutes=_minutes(header, reader.problems),
        start=header.value("start"),
        briefing_html=render_markdown("\n".join(reader.briefing).strip()),
        nodes=nodes,
        start_line=header.front["start"].line,
        skills_line=header.front["skills"].line,
        customer=_customer(header, reader.problems),
        feedback=_feedback(header, reader.problems),
        setting=_setting(header, reader.problems),
    )


def parse_module(path: Path, raw: bytes) -> tuple[Module | None, list[Problem]]:
    """Parse one module file. Returns the module (None if unusable) and its problems."""
    return parse_document(path, raw, _Reader, known=FRONT_KEYS, required=REQUIRED_KEYS)
