"""The results page on the one readable scale: each skill as "4.2 / 5" with its bar and
anchor, the points and the range they were placed in beside; an overall 0-100%; the
ending, the path with its feedback and the strongest path. Old attempts are measured
with the version they played."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.content.module_parser import parse_module
from coachkit.extensions import db
from coachkit.training.models import Attempt
from coachkit.training.results import overall, skill_lines
from tests.conftest import login
from tests.training.test_player import SLUG, page, play_best, start

CONTENT = Path(__file__).resolve().parents[2] / "content"
FIGURE = re.compile(r'<span class="scale-figure">(\d\.\d)<span class="scale-of"> / 5</span>')


def figures(body: str) -> list[str]:
    return FIGURE.findall(body)


def stored_scores(app, attempt_id) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.get_one(Attempt, attempt_id).scores)


def test_results_show_each_skill_on_the_scale_with_its_anchor_and_points(app, client, learner):
    attempt_id = start(client)
    play_best(client, attempt_id)
    body = html.unescape(page(client.get(f"/training/attempts/{attempt_id}/results")))
    scores = stored_scores(app, attempt_id)
    with app.app_context():
        module = library().modules[SLUG]
        lines = skill_lines(module, scores, library().skills)
        total = overall(module, scores)
    assert figures(body) == [f"{line.result.rating:.1f}" for line in lines]
    assert len(lines) == len(module.skills) and all(line.anchor for line in lines)
    for line in lines:
        result = line.result
        assert line.anchor in body  # the catalogue's words for the rating
        assert (
            f"{result.points} point" in body and f"of {result.worst} to {result.strongest}" in body
        )
    first = lines[0]
    assert first.name == "Fix the customer first" and first.result.points == 2
    assert f"2 points of {first.result.worst} to {first.result.strongest}" in body
    assert f'<span class="scale-figure">{total.percent}%</span>' in body
    assert f"{total.total} points of {total.lowest} to {total.strongest}" in body
    assert "Good ending" in body and "The strongest path" in body
    assert "You named the two things that matter to her" in body  # the path's feedback


def test_the_module_page_lists_each_attempt_overall(app, client, learner):
    attempt_id = start(client)
    play_best(client, attempt_id)
    start(client)  # a second attempt, in progress: no figure yet
    with app.app_context():
        percent = overall(library().modules[SLUG], stored_scores(app, attempt_id)).percent
    body = page(client.get(f"/training/{SLUG}"))
    assert '<th scope="col">Overall</th>' in body
    assert f"<td>{percent}%</td>" in body
    assert body.count("%</td>") == 1


def test_an_old_attempt_is_shown_on_its_own_versions_scale(app_factory, make_user, tmp_path):
    """Raising a reply's points widens the skill's range in the new version; the attempt
    played before is still placed in the range of the version it played."""
    content = tmp_path / "content"
    (content / "modules").mkdir(parents=True)
    shutil.copy(CONTENT / "skills.md", content / "skills.md")
    source = (CONTENT / "modules" / f"{SLUG}.md").read_text()
    (content / "modules" / f"{SLUG}.md").write_text(source)
    person = make_user(Role.EMPLOYEE)
    client = app_factory(CONTENT_DIR=str(content)).test_client()
    login(client, person)
    attempt_id = start(client)
    play_best(client, attempt_id)
    before = page(client.get(f"/training/attempts/{attempt_id}/results"))

    edited = source.replace(
        "score: ownership +2, trust-building +2, candid-communication +1",
        "score: ownership +3, trust-building +3, candid-communication +1",
    )
    assert edited != source
    (content / "modules" / f"{SLUG}.md").write_text(edited)
    app = app_factory(CONTENT_DIR=str(content))
    client = app.test_client()
    login(client, person)
    after = page(client.get(f"/training/attempts/{attempt_id}/results"))
    assert figures(after) == figures(before)
    scores = stored_scores(app, attempt_id)
    with app.app_context():
        current = library().modules[SLUG]
        now = [f"{line.result.rating:.1f}" for line in skill_lines(current, scores, {})]
    assert now != figures(before)  # today's version would have placed it differently
    assert html.unescape(after).count("points of") == html.unescape(before).count("points of")


FLAT_EMPATHY = """---
title: Every reply is kind
skills: empathy, ownership
customer: Sam Test
start: opening
---

A customer calls.

## step opening
customer: Can you help?

### choice -> done
Sorry, let me fix it.
score: empathy +1, ownership +1
feedback: Kind, and it owns the fix.

### choice -> done
Sorry. Account number?
score: empathy +1, ownership -1
feedback: Kind, but nobody owns the fix.

## end done
outcome: good

How it ended.
"""


def test_a_skill_every_path_scores_the_same_has_no_rating():
    module, _problems = parse_module(Path("flat.md"), FLAT_EMPATHY.encode())
    assert module is not None
    lines = {line.result.skill: line for line in skill_lines(module, {"empathy": 1}, {})}
    assert lines["empathy"].name == "empathy"  # not in this catalogue: its id
    assert lines["empathy"].result.rating is None and lines["empathy"].anchor == ""
    assert lines["ownership"].result.rating == 3.0  # 0 points, halfway from -1 to 1
