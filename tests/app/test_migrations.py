"""Migrations build the whole schema from nothing, and match the models."""

from __future__ import annotations

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import inspect

from coachkit import create_app
from coachkit.extensions import db
from tests.conftest import ENGINES, base_config


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_database_upgrades_to_head_and_check_is_clean(engine, databases):
    app = create_app(base_config(databases.new(engine)))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        assert "alembic_version" in tables
        check()  # raises (exits) when the models and the migrations disagree
        db.engine.dispose()
