"""The `key: value` lines of a module's nodes and replies, and the near misses that would
otherwise be shown to learners as text: a capital letter (`Score:`), an unknown key
(`set:`), a condition with more than one word (`feedback if not x:`), a field in the
wrong place. And a reply's fields read into its flags, scores and feedback."""

from __future__ import annotations

import re
from collections.abc import Callable

from coachkit.content.frontmatter import Field
from coachkit.content.modules import (
    CONDITIONAL,
    ID,
    MAX_SCORE_CHANGE,
    NODE_FIELDS,
    OPTIONAL_NODE_FIELDS,
    SCORE_ITEM,
    Condition,
    Feedback,
    ScoreChange,
)
from coachkit.content.problems import Collector
from coachkit.text import render_markdown

# A line that starts like a field, in any case: "Score: ...", "feedback if not x: ..."
LOOKS_LIKE_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 _-]*?)\s*:(?:\s|$)")
NODE_KEYS = {
    key
    for fields in (NODE_FIELDS, OPTIONAL_NODE_FIELDS)
    for keys in fields.values()
    for key in keys
}
CHOICE_WORDS = {"score", "scores", "feedback", "set", "sets", "flag", "flags", "if", "unless"}
CHOICE_FIELDS = "sets, score, feedback, 'score if FLAG', 'score unless FLAG', 'feedback if FLAG'"
MARKUP = re.compile(r"\*\*|__|\]\(|<[a-zA-Z/]|^#|`")  # Markdown or HTML a reply would show as is


def is_choice_key(key: str) -> bool:
    return key == "sets" or CONDITIONAL.match(key) is not None


def _why_not(key: str, words: list[str], in_choice: bool) -> str:
    if words[0] in ("score", "feedback") and len(words) > 1 and words[1] in ("if", "unless"):
        return (
            f"'{key}:' is not a condition: a condition is 'if' or 'unless' and one flag "
            "(for 'if not x' write 'unless x'; 'and', 'or' and 'not' are not supported)"
        )
    if in_choice and words[0] in NODE_KEYS:
        return f"'{key}:' belongs to the node, above its first '### choice'"
    if not in_choice and words[0] in CHOICE_WORDS:
        return f"'{key}:' belongs to a reply, under a '### choice -> ID' heading"
    if in_choice:
        return f"unknown field '{key}:' in a choice (fields: {CHOICE_FIELDS})"
    return f"unknown field '{key}:' here"


def near_miss(text: str, allowed: Callable[[str], bool], in_choice: bool) -> str | None:
    """Why `text` looks like a field but is not one where it stands; None when it is a
    field here, or ordinary text."""
    match = LOOKS_LIKE_FIELD.match(text)
    if match is None:
        return None
    key = match["key"].strip()
    words = key.lower().split()
    if words[0] not in CHOICE_WORDS | NODE_KEYS or (key == key.lower() and allowed(key)):
        return None
    if allowed(key.lower()):
        return f"'{key}:' must be lowercase: '{key.lower()}:'"
    return _why_not(key, words, in_choice)


def _condition(key: str) -> tuple[str, Condition]:
    """'score', 'feedback if FLAG' ... as (field name, condition); keys were checked."""
    match = CONDITIONAL.match(key)
    assert match is not None  # noqa: S101 - only choice keys reach here
    return match["name"], Condition(match["flag"], unless=match["mode"] == "unless")


def _flag(name: str, line: int, problems: Collector) -> str:
    if not ID.match(name):
        problems.add(line, f"flag '{name}' must be one lowercase-with-dashes word")
    return name


def _score(part: str, condition: Condition, line: int, problems: Collector) -> ScoreChange | None:
    match = SCORE_ITEM.match(part)
    if match is None:
        problems.add(line, f"score '{part}' is not 'skill-id +N' or 'skill-id -N'")
        return None
    delta = int(match["delta"])
    if not 0 < abs(delta) <= MAX_SCORE_CHANGE:
        problems.add(
            line,
            f"score '{part}': a change is from -{MAX_SCORE_CHANGE} to +{MAX_SCORE_CHANGE}, "
            "and not 0",
        )
    return ScoreChange(match["skill"], delta, condition, line)


def reply_fields(
    fields: list[Field], problems: Collector
) -> tuple[tuple[str, ...], tuple[ScoreChange, ...], tuple[Feedback, ...]]:
    """A reply's flags (`sets:`), score changes and feedback, in the order written."""
    sets: list[str] = []
    scores: list[ScoreChange] = []
    feedback: list[Feedback] = []
    for item in fields:
        if item.key == "sets":
            sets += [
                _flag(f.strip(), item.line, problems) for f in item.value.split(",") if f.strip()
            ]
            continue
        name, condition = _condition(item.key)
        if condition.flag:
            _flag(condition.flag, item.line, problems)
        if name == "feedback":
            feedback.append(Feedback(render_markdown(item.value), condition, item.line))
            continue
        for part in filter(None, (p.strip() for p in item.value.split(","))):
            if change := _score(part, condition, item.line, problems):
                scores.append(change)
    return tuple(sets), tuple(scores), tuple(feedback)
