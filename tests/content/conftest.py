"""What the content tests share: the shipped content folder and the authoring guide."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
