"""Reading a module file into a `Module`, reporting every local problem with its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from coachkit.content.document import Header, parse_document
from coachkit.content.frontmatter import Field, parse_field
from coachkit.content.modules import (
    CHOICE_HEADING,
    CONDITIONAL,
    FRONT_KEYS,
    NODE_FIELDS,
    NODE_HEADING,
    NODE_KINDS,
    OUTCOMES,
    REQUIRED_KEYS,
    SCORE_ITEM,
    Choice,
    Condition,
    Feedback,
    Module,
    Node,
    ScoreChange,
)
from coachkit.content.problems import Collector, Problem
from coachkit.text import render_markdown


@dataclass
class _ChoiceDraft:
    target: str
    line: int
    text: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)


@dataclass
class _NodeDraft:
    id: str
    kind: str
    line: int
    fields: dict[str, Field] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    choices: list[_ChoiceDraft] = field(default_factory=list)


def _is_choice_key(key: str) -> bool:
    return key == "sets" or CONDITIONAL.match(key) is not None


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
        if text.startswith("## ") or text == "##":
            self._node_heading(number, text)
        elif text.startswith("###"):
            self._choice_heading(number, text)
        elif not self.nodes:
            self.briefing.append(raw)
        elif not text:
            self.open_field = None
            if not self.nodes[-1].choices:
                self.nodes[-1].body.append("")
        else:
            self._content(number, raw, text)

    def _node_heading(self, number: int, text: str) -> None:
        self.open_field = None
        match = NODE_HEADING.match(text)
        if match is None or match["kind"] not in NODE_KINDS:
            self.problems.add(
                number, f"expected '## step ID', '## reflect ID' or '## end ID', got {text!r}"
            )
            match_id = text.split()[-1] if len(text.split()) > 2 else f"line-{number}"
            self.nodes.append(_NodeDraft(match_id, "invalid", number))
            return
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

    def _content(self, number: int, raw: str, text: str) -> None:
        node = self.nodes[-1]
        parsed = parse_field(text, number)
        if node.choices:
            choice = node.choices[-1]
            if parsed and _is_choice_key(parsed.key):
                choice.fields.append(parsed)
                self.open_field = (choice, parsed.key)
            elif self.open_field and self.open_field[0] is choice:
                last = choice.fields[-1]
                choice.fields[-1] = Field(last.key, f"{last.value} {text}", last.line)
            else:
                choice.text.append(text)
        elif parsed and parsed.key in NODE_FIELDS.get(node.kind, set()):
            if parsed.key in node.fields:
                self.problems.add(number, f"'{parsed.key}' is given twice in '{node.id}'")
            node.fields[parsed.key] = parsed
            self.open_field = (node, parsed.key)
        elif self.open_field and self.open_field[0] is node:
            key = self.open_field[1]
            last = node.fields[key]
            node.fields[key] = Field(key, f"{last.value} {text}", last.line)
        else:
            node.body.append(raw)


def _condition(key: str) -> tuple[str, Condition]:
    """'score', 'feedback if FLAG' ... as (field name, condition); keys were checked."""
    match = CONDITIONAL.match(key)
    assert match is not None  # noqa: S101 - only choice keys reach here
    return match["name"], Condition(match["flag"], unless=match["mode"] == "unless")


def _choice(draft: _ChoiceDraft, node_id: str, problems: Collector) -> Choice:
    sets: list[str] = []
    scores: list[ScoreChange] = []
    feedback: list[Feedback] = []
    for item in draft.fields:
        if item.key == "sets":
            sets += [flag.strip() for flag in item.value.split(",") if flag.strip()]
            continue
        name, condition = _condition(item.key)
        if name == "feedback":
            feedback.append(Feedback(render_markdown(item.value), condition, item.line))
            continue
        for part in filter(None, (p.strip() for p in item.value.split(","))):
            if match := SCORE_ITEM.match(part):
                scores.append(
                    ScoreChange(match["skill"], int(match["delta"]), condition, item.line)
                )
            else:
                problems.add(item.line, f"score '{part}' is not 'skill-id +N' or 'skill-id -N'")
    if not draft.text:
        problems.add(draft.line, f"a choice in '{node_id}' has no reply text")
    if not feedback:
        problems.add(draft.line, f"a choice in '{node_id}' has no feedback")
    return Choice(
        draft.target, " ".join(draft.text), tuple(sets), tuple(scores), tuple(feedback), draft.line
    )


def _node(draft: _NodeDraft, problems: Collector) -> Node:
    fields = {key: item.value for key, item in draft.fields.items()}
    for key in NODE_FIELDS.get(draft.kind, set()) - set(fields):
        problems.add(draft.line, f"{draft.kind} '{draft.id}' needs '{key}:'")
    body = render_markdown("\n".join(draft.body).strip())
    if draft.kind == "step" and len(draft.choices) < 2:
        problems.add(draft.line, f"step '{draft.id}' needs at least two choices")
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
    )


def _minutes(header: Header, problems: Collector) -> int:
    minutes = header.front.get("minutes")
    if minutes is None or (minutes.value.isdigit() and 1 <= int(minutes.value) <= 60):
        return int(minutes.value) if minutes else 5
    problems.add(minutes.line, "minutes must be a whole number from 1 to 60")
    return 5


def _module(reader: _Reader, header: Header) -> Module | None:
    nodes: dict[str, Node] = {}
    for draft in reader.nodes:
        if draft.id in nodes:
            reader.problems.add(
                draft.line, f"duplicate id '{draft.id}' (first on line {nodes[draft.id].line})"
            )
            continue
        nodes[draft.id] = _node(draft, reader.problems)
    if not header.complete:
        return None
    return Module(
        **header.identity,
        title=header.value("title"),
        summary=header.value("summary"),
        skills=tuple(s.strip() for s in header.value("skills").split(",") if s.strip()),
        minutes=_minutes(header, reader.problems),
        start=header.value("start"),
        briefing_html=render_markdown("\n".join(reader.briefing).strip()),
        nodes=nodes,
        start_line=header.front["start"].line,
        skills_line=header.front["skills"].line,
    )


def parse_module(path: Path, raw: bytes) -> tuple[Module | None, list[Problem]]:
    """Parse one module file. Returns the module (None if unusable) and its problems."""
    return parse_document(path, raw, _Reader, known=FRONT_KEYS, required=REQUIRED_KEYS)
