"""Training modules: branching customer conversations parsed from Markdown files.

The format is documented, with a complete example, in content/README.md. Parsing only
builds the structure and reports local problems; `graph.check_module` checks how the
nodes connect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markupsafe import Markup

NODE_HEADING = re.compile(r"^##(?P<space>\s*)(?P<kind>\S+)\s+(?P<id>\S+)\s*$")
CHOICE_HEADING = re.compile(r"^###\s+choice\s*->\s*(?P<target>\S+)\s*$")
NODE_KINDS = ("step", "reflect", "end")
OUTCOMES = ("good", "mixed", "poor")
SCORE_ITEM = re.compile(r"^(?P<skill>[a-z0-9-]+)\s+(?P<delta>[+-]\d+)$")
CONDITIONAL = re.compile(r"^(?P<name>score|feedback)(?:\s+(?P<mode>if|unless)\s+(?P<flag>\S+))?$")
FRONT_KEYS = ("title", "summary", "skills", "minutes", "start", "customer", "feedback", "setting")
REQUIRED_KEYS = ("title", "start", "skills")
NODE_FIELDS = {"step": {"customer"}, "reflect": {"prompt", "next"}, "end": {"outcome"}}
OPTIONAL_NODE_FIELDS = {"step": {"title"}}  # a step's name in reports
MAX_SETTING = 60  # characters in a module's `setting:`
MAX_TITLE = 80  # characters in a step's title, and in the heading made from its customer line
CUSTOMER_NAME = re.compile(r"^(?=.{1,60}$)[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # node ids, flags and file names
FeedbackMode = Literal["after-each", "at-end"]
FEEDBACK_MODES: tuple[FeedbackMode, ...] = ("after-each", "at-end")
MAX_SCORE_CHANGE = 3  # what one reply may change one skill by, either way
MAX_SKILL_TOTAL = 20  # what a skill's total may reach on any path, either way


@dataclass(frozen=True)
class Condition:
    """Applies always (flag None), or only if / unless a flag was set earlier."""

    flag: str | None = None
    unless: bool = False

    def holds(self, flags: frozenset[str]) -> bool:
        return self.flag is None or ((self.flag in flags) != self.unless)


@dataclass(frozen=True)
class ScoreChange:
    skill: str
    delta: int
    condition: Condition
    line: int


@dataclass(frozen=True)
class Feedback:
    html: Markup
    condition: Condition
    line: int


@dataclass(frozen=True)
class Choice:
    target: str
    text: str
    sets: tuple[str, ...]
    scores: tuple[ScoreChange, ...]
    feedback: tuple[Feedback, ...]
    line: int

    def score_changes(self, flags: frozenset[str]) -> dict[str, int]:
        """Skill deltas of this choice given the flags set before it."""
        totals: dict[str, int] = {}
        for change in self.scores:
            if change.condition.holds(flags):
                totals[change.skill] = totals.get(change.skill, 0) + change.delta
        return totals

    def feedback_for(self, flags: frozenset[str]) -> list[Markup]:
        return [item.html for item in self.feedback if item.condition.holds(flags)]


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    line: int
    customer_html: Markup = Markup("")
    body_html: Markup = Markup("")
    choices: tuple[Choice, ...] = ()
    prompt: str = ""
    next: str = ""
    outcome: str = ""
    title: str = ""  # the author's name for a step, for reports

    @property
    def heading(self) -> str:
        """What reports call this step: its `title:`, or the start of what the customer
        says there (the first sentence, or the words that fit in MAX_TITLE characters)."""
        return self.title or opening_words(self.customer_html.striptags())


def opening_words(text: str, limit: int = MAX_TITLE) -> str:
    """The whole sentences `text` starts with that fit in `limit` characters; when not
    even the first fits, the whole words that do, followed by an ellipsis."""
    text = " ".join(text.split())
    sentences = re.findall(r".+?(?:[.!?]+(?=\s|$)|$)", text)
    fitting = ""
    for sentence in (s.strip() for s in sentences):
        joined = f"{fitting} {sentence}".strip()
        if len(joined) > limit:
            break
        fitting = joined
    if fitting:
        return fitting
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–—")
    return f"{cut}…"


@dataclass(frozen=True)
class Module:
    slug: str
    path: Path
    version: str
    title: str
    summary: str
    skills: tuple[str, ...]
    minutes: int
    start: str
    briefing_html: Markup
    nodes: dict[str, Node] = field(repr=False)
    start_line: int = 1
    skills_line: int = 1
    customer: str = ""  # the customer's name, e.g. "Helen Marsh"
    feedback: FeedbackMode = "at-end"  # when a reply's feedback is shown
    setting: str = ""  # where the conversation happens, e.g. "bank branch" (a filter)

    @property
    def customer_initials(self) -> str:
        """Up to two letters for an avatar: the first and last words' initials."""
        words = [word for word in self.customer.split() if word[0].isalpha()]
        if not words:
            return ""
        return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()

    @property
    def decision_points(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "step"]

    @property
    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.kind == "end"]
