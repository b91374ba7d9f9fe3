"""The migration that adds practice ratings rates every stored skill score on the scale
of the module version its attempt played, and fills the totals from them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, Table, select

from coachkit import create_app
from coachkit.content.module_parser import parse_module
from coachkit.extensions import db
from coachkit.training.scale import rating_tenths
from tests.conftest import ENGINES, base_config

BEFORE = "a7c4e9d13b52"  # skill totals, without ratings
CONTENT = Path(__file__).resolve().parents[2] / "content"
SLUG = "charged-twice"
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _sources() -> dict[int, str]:
    """Three stored versions: today's file, an older one whose replies score more (so a
    skill's range differs), and one that no longer parses (no front matter)."""
    today = (CONTENT / "modules" / f"{SLUG}.md").read_text()
    older = today.replace(
        "score: ownership +2, trust-building +2, candid-communication +1",
        "score: ownership +3, trust-building +3, candid-communication +1",
    )
    assert older != today
    return {1: today, 2: older, 3: "no front matter, so nothing to measure"}


@pytest.mark.parametrize("engine", ENGINES)
def test_stored_scores_are_rated_on_their_own_versions_scale(engine, databases):
    app = create_app(base_config(databases.new(engine)))
    sources = _sources()
    with app.app_context():
        upgrade(revision=BEFORE)
        tables = {
            name: Table(name, MetaData(), autoload_with=db.engine)
            for name in (
                "users",
                "module_versions",
                "training_attempts",
                "training_skill_scores",
                "training_skill_totals",
            )
        }
        rows = {
            "users": [
                {"id": 1, "email": "a@example.com", "name": "A", "role": "employee"}
                | {"active": True, "created_at": NOW}
            ],
            "module_versions": [
                {"id": v, "slug": SLUG, "version": f"v{v}", "title": "T", "source": source}
                | {"created_at": NOW}
                for v, source in sources.items()
            ],
            "training_attempts": [
                {"id": v, "user_id": 1, "module_slug": SLUG, "module_version_id": v}
                | {"status": "completed", "current_node": "end-partner", "step_count": 4}
                | {"flags": [], "scores": {"ownership": 4}, "ending": "end-partner"}
                | {"outcome": "good", "started_at": NOW, "completed_at": NOW}
                for v in sources
            ],
            "training_skill_scores": [
                {"id": v, "attempt_id": v, "user_id": 1, "module_slug": SLUG}
                | {"skill": "ownership", "points": 4, "completed_at": NOW}
                for v in sources
            ],
            "training_skill_totals": [
                {"user_id": 1, "skill": "ownership", "points": 12, "attempts": 3}
            ],
        }
        with db.engine.begin() as connection:
            for name, values in rows.items():
                connection.execute(tables[name].insert(), values)
        upgrade()
        after = MetaData()
        scores = Table("training_skill_scores", after, autoload_with=db.engine)
        totals = Table("training_skill_totals", after, autoload_with=db.engine)
        stored = dict(db.session.execute(select(scores.c.attempt_id, scores.c.rating_tenths)).all())
        total = db.session.execute(select(totals.c.rating_tenths, totals.c.rated)).one()
        db.session.remove()
        db.engine.dispose()
    expected = {}
    for version, source in sources.items():
        module, _problems = parse_module(Path(f"{SLUG}.md"), source.encode())
        expected[version] = module and rating_tenths(module, "ownership", 4)
    assert expected[1] != expected[2] and expected[3] is None
    assert stored == expected
    assert tuple(total) == (expected[1] + expected[2], 2)
