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


REBUILD_USERS = """
from alembic import op
import sqlalchemy as sa

revision = "rebuild_users_test"
down_revision = {head!r}


def upgrade():
    with op.batch_alter_table("users", recreate="always") as batch:
        batch.alter_column("name", type_=sa.String(160))
"""


def test_sqlite_table_rebuild_keeps_rows_that_refer_to_it(databases, tmp_path):
    """A batch migration that rebuilds `users` must not cascade-delete its memberships."""
    import shutil

    from alembic.script import ScriptDirectory
    from sqlalchemy import func, select

    from coachkit.app_setup import MIGRATIONS
    from coachkit.auth.models import Role, User
    from coachkit.teams.models import Membership, Position, Team

    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory)
    app = create_app(base_config(databases.new("sqlite")))
    with app.app_context():
        upgrade(directory=str(directory))
        user = User(email="a@example.com", name="A", role=Role.MANAGER)
        db.session.add(Membership(team=Team(name="T"), user=user, position=Position.MANAGER))
        db.session.commit()
        db.session.remove()
        config = app.extensions["migrate"].migrate.get_config(str(directory))
        head = ScriptDirectory.from_config(config).get_current_head()
        (directory / "versions" / "rebuild_users.py").write_text(REBUILD_USERS.format(head=head))
        upgrade(directory=str(directory))
        assert db.session.scalar(select(func.count(Membership.id))) == 1
        db.engine.dispose()
