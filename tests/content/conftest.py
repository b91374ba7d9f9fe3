"""What the content tests share: the shipped content folder and the authoring guide."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coachkit.content.library import read
from coachkit.content.problems import Problem

CONTENT = Path(__file__).resolve().parents[2] / "content"
README = CONTENT / "README.md"


def guide_example(heading: str) -> str:
    """The first Markdown block after `heading` in content/README.md."""
    text = README.read_text()
    marker = text.index(heading)
    found = re.search(r"```markdown\n(.*?)```", text[marker:], re.S)
    assert found, f"no example under {heading!r}"
    return found.group(1)


def content_folder(tmp_path: Path, folder: str, name: str, text: str) -> Path:
    """A content folder with the real skill catalogue and one file in `folder`."""
    (tmp_path / folder).mkdir()
    shutil.copy(CONTENT / "skills.md", tmp_path / "skills.md")
    (tmp_path / folder / name).write_text(text)
    return tmp_path


def readme_example() -> str:
    """The complete module the authoring guide tells authors to copy."""
    return guide_example("## A complete small module to copy")


@pytest.fixture
def content_dir(tmp_path):
    """A content folder with the real skill catalogue and the guide's example module."""
    return content_folder(tmp_path, "modules", "late-delivery.md", readme_example())


def problems_in(content_dir: Path, text: str, name: str = "broken.md") -> list[Problem]:
    """Every problem and warning `content check` finds once `text` is saved as `name`."""
    (content_dir / "modules" / name).write_text(text)
    _library, problems = read(content_dir)
    return problems


def problems_for(content_dir: Path, text: str, name: str = "broken.md"):
    return [(p.path.name, p.line, p.reason) for p in problems_in(content_dir, text, name)]


def with_change(old: str, new: str, text: str | None = None) -> str:
    example = readme_example() if text is None else text
    assert old in example
    return example.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    flask = Path(sys.executable).parent / "flask"
    return subprocess.run(
        [str(flask), "--app", "coachkit", "content", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Modules built in a test: small helpers that write the Markdown an author would.


def reply(target: str, text: str = "I can help with that.", *fields: str) -> str:
    """A '### choice' block; `fields` are its lines ('score: empathy +1', 'sets: x')."""
    lines = [f"### choice -> {target}", text, *fields, "feedback: Because."]
    return "\n".join(lines) + "\n"


def step(node_id: str, *replies: str, customer: str = "Can you help me?") -> str:
    return f"## step {node_id}\ncustomer: {customer}\n\n" + "\n".join(replies) + "\n"


def end(node_id: str, outcome: str = "good") -> str:
    return f"## end {node_id}\noutcome: {outcome}\n\nHow it ended.\n\n"


def module_source(*nodes: str, skills: str = "empathy, ownership", start: str = "") -> str:
    """A whole module file: front matter (starting at the first node), a briefing, nodes."""
    first = start or nodes[0].split()[2]
    front = f"---\ntitle: Test\nskills: {skills}\ncustomer: Sam Test\nstart: {first}\n---\n"
    return front + "\nA customer calls.\n\n" + "\n".join(nodes)


def parsed(text: str, name: str = "test-module.md"):
    """The module `text` describes, parsed without the catalogue's checks."""
    from coachkit.content.module_parser import parse_module

    module, _problems = parse_module(Path(name), text.encode())
    assert module is not None
    return module


def play(module, picks):
    """Follow choice indexes from the start; return the summed skill scores."""
    node, flags, totals = module.nodes[module.start], frozenset(), {}
    for pick in picks:
        choice = node.choices[pick]
        for skill, delta in choice.score_changes(flags).items():
            totals[skill] = totals.get(skill, 0) + delta
        flags |= set(choice.sets)
        node = module.nodes[choice.target]
    return totals
