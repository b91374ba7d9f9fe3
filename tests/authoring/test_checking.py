"""A previewed file is checked as `flask content check` checks it, and each problem is
shown beside the line it is about."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.authoring.conftest import new_preview
from tests.conftest import page

BROKEN = """---
title: Broken on purpose
skills: empathy
start: opening
customer: Helen Marsh
---

A customer rings about a late parcel.

## step opening
customer: Where is my parcel?

### choice -> nowhere
Let me look.
score: empathy +1
feedback: A start.

### choice -> end-good
I'm sorry it's late; let me find it now.
Score: empathy +2
feedback: Warm and quick.

## end end-good
outcome: great

She gets her parcel.
"""
EXPECTED = {
    13: "choice leads to 'nowhere', which does not exist",
    20: "'Score:' must be lowercase: 'score:'",
    24: "outcome must be one of good, mixed, poor",
}


def row(text: str, number: int) -> str:
    found = re.search(rf'<tr id="line-{number}"[^>]*>(.*?)</tr>', text, re.S)
    assert found, f"no row for line {number}"
    return found.group(1)


def test_each_problem_is_beside_its_line(author_client: FlaskClient):
    preview_id = new_preview(author_client, BROKEN, name="broken-on-purpose")
    text = page(author_client.get(f"/authoring/previews/{preview_id}"))
    for number, reason in EXPECTED.items():
        beside = row(text, number)
        assert reason in beside
        assert "source-error" in re.search(rf'<tr id="line-{number}"[^>]*>', text).group(0)
        # and the summary links to the line
        assert f'<a href="#line-{number}">Line {number}</a>' in text
    assert BROKEN.splitlines()[12] in row(text, 13)  # the line's own text beside it
    clean = row(text, 11)
    assert "error" not in clean and "Where is my parcel?" in clean
    assert "Fix the errors to play it" in text
    assert "Play it as a learner" not in text


def test_a_file_with_errors_cannot_be_played(author_client: FlaskClient):
    preview_id = new_preview(author_client, BROKEN, name="broken-on-purpose")
    assert author_client.get(f"/authoring/previews/{preview_id}/module/play").status_code == 404
    exercise_id = new_preview(author_client, BROKEN, kind="exercise", name="not-an-exercise")
    text = page(author_client.get(f"/authoring/previews/{exercise_id}"))
    assert "unknown front matter key" in text
    assert author_client.get(f"/authoring/previews/{exercise_id}/exercise/").status_code == 404


def test_warnings_are_shown_and_still_let_it_play(author_client: FlaskClient):
    text = BROKEN.replace("choice -> nowhere", "choice -> end-good").replace("Score:", "score:")
    text = text.replace("outcome: great", "outcome: good").replace("customer: Helen Marsh\n", "")
    preview_id = new_preview(author_client, text, name="only-warnings")
    shown = page(author_client.get(f"/authoring/previews/{preview_id}"))
    assert "front matter has no 'customer:'" in row(shown, 1)
    assert "warning" in row(shown, 1)
    assert "Play it as a learner" in shown
