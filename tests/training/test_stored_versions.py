"""A version stored before today's checks still plays, finishes and is measured: the
parser reports new mistakes but never refuses a stored copy over them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.content.module_parser import parse_module
from coachkit.extensions import db
from coachkit.training import player
from coachkit.training.models import SkillScore
from coachkit.training.results import path_taken, strongest_path
from coachkit.training.scale import overall_percent, skill_results

CONTENT = Path(__file__).resolve().parents[2] / "content"
SLUG = "charged-twice"


def older_version(tmp_path: Path) -> Path:
    """charged-twice as it might have been stored: a skill listed twice (which used to
    end the attempt in an error), a capital `Score:` and a paragraph after a blank line."""
    text = (CONTENT / "modules" / f"{SLUG}.md").read_text()
    skills = next(line for line in text.splitlines() if line.startswith("skills:"))
    text = text.replace(skills, f"{skills}, empathy", 1)
    text = text.replace("\nscore: ownership -2\n", "\nScore: ownership -2\n", 1)
    text = text.replace("\nfeedback: ", "\n\nAn afterthought.\nfeedback: ", 1)
    path = tmp_path / f"{SLUG}.md"
    path.write_text(text)
    return path


def test_an_older_stored_version_plays_to_the_end(app, make_user, tmp_path):
    path = older_version(tmp_path)
    module, problems = parse_module(path, path.read_bytes())
    assert module is not None and problems  # today's checks would refuse it
    person = make_user(Role.EMPLOYEE)
    with app.app_context():
        user = db.session.get_one(User, person.id)
        attempt = player.start(user, module)
        db.session.commit()
        stored = player.module_of(attempt)
        assert stored.version == module.version  # parsed from the stored copy
        for pick in (0, 0, 0, None):  # acknowledge, admit, same-day return; reflect
            text = "The rent." if pick is None else None
            position = attempt.step_count
            player.answer(attempt, stored, position=position, choice=pick, reflection=text)
        assert attempt.status.value == "completed"
        db.session.commit()
        skills = db.session.scalars(
            select(SkillScore.skill).where(SkillScore.attempt_id == attempt.id)
        ).all()
        assert sorted(skills) == sorted(set(stored.skills))
        assert path_taken(attempt, stored) and strongest_path(stored).total > 0
        assert all(r.rating is not None for r in skill_results(stored, attempt.scores))
        assert 0 <= overall_percent(stored, attempt.scores) <= 100
