"""Migrations build the whole schema from nothing, carry a populated database up and
down every revision on both engines, and match the models."""

from __future__ import annotations

import enum
import warnings
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import Integer, MetaData, Table, func, inspect, select, text

from coachkit import create_app, demo
from coachkit.app_setup import MIGRATIONS
from coachkit.extensions import db
from tests.conftest import ENGINES, base_config, login, page


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


# ---------------------------------------------------------------- populated databases
#
# Every migration runs on a database that already holds data: the demo organisation
# (people, teams, training, coaching, hiring), made once with the current code and read
# back as plain rows. Walking the chain from the first revision, each table's rows go
# in (Core inserts into the table as that revision made it, never through the models)
# as soon as a revision creates it; every later step must keep all of them intact.
# A column a later migration adds holds that migration's default, not the demo's value:
# only the columns each table was filled with are compared.
INSERTED: dict[str, set[str]] = {}
# Columns a migration computes from the existing rows: compared with what the app keeps.
DERIVED = {"hiring_answers": {"written", "raters"}, "training_skill_scores": {"rating_tenths"}}
# At head the models read every row and real pages render; then every downgrade runs
# on the populated database and the upgrade back to head is clean.

POPULATED_PASSWORD = "populated-upgrade-passphrase"
SIGN_IN_TABLES = {"auth_sessions", "login_attempts"}


def _plain(value: Any) -> Any:
    """A value as it is compared: enums by value, timestamps as naive UTC."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _complete_authoring(author: Any) -> None:
    """An author's preview of a module file (issue 24)."""
    from coachkit.authoring.models import Preview, PreviewKind

    author.is_author = True
    preview = Preview(
        owner_id=author.id,
        kind=PreviewKind.MODULE,
        file_name="a-draft",
        source="---\ntitle: A draft\n---\n",
        progress={"steps": []},
    )
    preview.touch()
    db.session.add(preview)


def _complete_the_demo(app: Flask) -> None:
    """Rows of the kinds the demo leaves empty: a sign-in (session and attempt), a
    set-password link, a training attempt linked to a coaching session, a coach's draft
    of a session, an agenda point discussed in it, an organisation default for
    notifications and a candidate's unsubscribe."""
    from coachkit.auth import password_links
    from coachkit.auth.models import Role, User
    from coachkit.coaching.models import AgendaPoint, CoachingSession, Draft, Evidence
    from coachkit.notifications import preferences
    from coachkit.notifications.kinds import Delivery, Kind
    from coachkit.training.models import Attempt

    with app.test_request_context():
        admin = db.session.scalar(select(User).where(User.email == demo.email_for(demo.ADMIN)))
        newcomer = User(
            email="new.starter@demo.coachkit.example", name="New Starter", role=Role.EMPLOYEE
        )
        db.session.add(newcomer)
        db.session.flush()
        password_links.issue(newcomer, issued_by=admin)
        _complete_sign_in_and_provisioning()
        _complete_brand_and_replaced_link()
        _complete_authoring(admin)
        # What the demo leaves empty: an organisation default, a candidate's unsubscribe.
        preferences.save_defaults({Kind.ANSWERS_WAITING: Delivery.DIGEST})
        preferences.suppress("unsubscribed.candidate@example.org", Kind.CANDIDATE_REMINDER)
        _queue_an_http_delivery()
        _send_a_greenhouse_test()
        session, attempt = db.session.execute(
            select(CoachingSession, Attempt)
            .join(Attempt, Attempt.user_id == CoachingSession.employee_id)
            .where(Attempt.completed_at.is_not(None))
            .limit(1)
        ).one()
        db.session.add(Evidence(session_id=session.id, attempt_id=attempt.id))
        db.session.add(
            Draft(
                author_id=session.coach_id,
                employee_id=session.employee_id,
                fields={"went_well": ["Half-written"]},
            )
        )
        db.session.add(
            AgendaPoint(
                employee_id=session.employee_id,
                author_id=session.employee_id,
                text="The rota",
                discussed_in_id=session.id,
            )
        )
        db.session.commit()
    client = app.test_client()
    assert login(client, demo.email_for(demo.ADMIN), POPULATED_PASSWORD).status_code == 302


def _queue_an_http_delivery() -> None:
    """A row for the outbox of HTTP requests (`coachkit.deliveries`)."""
    from coachkit.deliveries import outbox

    outbox.enqueue(key="migration-test", target="xapi", url="http://lrs.test/x", body={"a": 1})


def _send_a_greenhouse_test() -> None:
    """Greenhouse's rows: a partner key, a test it sent to a demo candidate and an error
    it reported."""
    from coachkit.hiring.greenhouse import keys
    from coachkit.hiring.greenhouse.models import Interview, ResponseError
    from coachkit.hiring.models import Candidate

    _plain, key = keys.create("Greenhouse")
    candidate = db.session.scalars(select(Candidate).order_by(Candidate.id)).first()
    db.session.add(Interview(candidate=candidate, key_id=key.id, callback_url="https://gh.test/1"))
    db.session.add(ResponseError(key_id=key.id, api_call="list_tests", errors=["x"]))


def _complete_brand_and_replaced_link() -> None:
    """Rows for the organisation's brand and a link replaced by Resend."""
    from coachkit.hiring import invitations
    from coachkit.hiring.models import Invitation
    from coachkit.organisation import brand

    brand.save(
        brand.settings_row(),
        name="Brightline",
        accent="#0f766e",
        privacy_url="https://example.com/privacy",
        contact_email="jobs@example.com",
    )
    invitation = db.session.scalars(select(Invitation).order_by(Invitation.id)).first()
    invitations.new_token(invitation.candidate)


def _complete_sign_in_and_provisioning() -> None:
    """Rows for the tables of sign-in and provisioning: a throttled request, a single
    sign-on begun, a SCIM token (and its audit entry) and a SCIM group."""
    from datetime import timedelta

    from coachkit.auth import throttle
    from coachkit.auth.models import OidcRequest
    from coachkit.database import utcnow
    from coachkit.scim import tokens
    from coachkit.scim.models import ScimGroup
    from coachkit.teams.models import Position, Team

    tokens.create("Entra ID", by="migration test")
    team = db.session.scalars(select(Team).order_by(Team.id)).first()
    db.session.add(ScimGroup(display_name=team.name, team_id=team.id, position=Position.MEMBER))

    throttle.count("password_reset", "address:127.0.0.1")
    db.session.add(
        OidcRequest(
            id="0" * 64,
            nonce="n" * 43,
            code_verifier="v" * 64,
            next_path="/",
            expires_at=utcnow() + timedelta(minutes=10),
        )
    )


@pytest.fixture(scope="module")
def demo_rows(databases) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows of the demo organisation, made at head in a scratch database."""
    app = create_app(base_config(databases.new("sqlite")))
    with app.app_context():
        db.create_all()
        demo.create(POPULATED_PASSWORD)
        db.session.commit()
    _complete_the_demo(app)
    with app.app_context():
        rows = {
            table.name: [
                {key: _plain(value) for key, value in row._mapping.items()}
                for row in db.session.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        db.engine.dispose()
    assert [name for name, table_rows in rows.items() if not table_rows] == []
    return rows


def _chain(app: Flask) -> list[str]:
    """The revisions from the first to head (one line of history, no branches)."""
    config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, "merge the migration branches"
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _reflect() -> dict[str, Table]:
    metadata = MetaData()
    with warnings.catch_warnings():  # SQLite cannot reflect expression indexes (columns do)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
        metadata.reflect(bind=db.engine)
    return {name: table for name, table in metadata.tables.items() if name != "alembic_version"}


def _in_dependency_order(names: set[str]) -> list[str]:
    order = [table.name for table in db.metadata.sorted_tables]
    unknown = names - set(order)
    assert not unknown, f"tables the models do not know: {unknown}"
    return [name for name in order if name in names]


def _insert(tables: dict[str, Table], names: list[str], rows: dict[str, list[dict]]) -> None:
    """Insert each table's demo rows, restricted to the columns it has now. A table its
    migration filled from the existing data (a rollup) is left alone: `_assert_intact`
    then checks the migration computed what the application keeps up to date."""
    with db.engine.begin() as connection:
        for name in names:
            table = tables[name]
            if connection.scalar(select(func.count()).select_from(table)):
                continue
            values = [{k: v for k, v in row.items() if k in table.c} for row in rows[name]]
            unfilled = [
                column.name
                for column in table.c
                if not column.nullable
                and column.server_default is None
                and column.name not in values[0]
            ]
            assert unfilled == [], f"{name}: no demo value for NOT NULL {unfilled}"
            connection.execute(table.insert(), values)
            INSERTED[name] = set(values[0])
            serial = "id" in table.c and isinstance(table.c.id.type, Integer)
            if connection.dialect.name == "postgresql" and serial:
                # Explicit ids leave the sequence behind; a restored database has it set.
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {name}))"
                    )
                )


def _assert_intact(tables: dict[str, Table], names: set[str], rows: dict) -> None:
    """Every demo row is still there, unchanged in every column it was inserted with.
    Only signing in (the page journeys) may add rows, to its own bookkeeping tables."""
    with db.engine.connect() as connection:
        for name in sorted(names):
            table = tables[name]
            keys = [column.name for column in table.primary_key.columns]
            stored = {
                tuple(row._mapping[k] for k in keys): {
                    key: _plain(value) for key, value in row._mapping.items()
                }
                for row in connection.execute(table.select())
            }
            expected = {tuple(row[k] for k in keys): row for row in rows[name]}
            if name not in SIGN_IN_TABLES:
                assert len(stored) == len(expected), name
            for key, want in expected.items():
                got = stored.get(key)
                assert got is not None, f"{name} lost row {key}"
                compared = INSERTED.get(name, set(want)) | DERIVED.get(name, set())
                common = set(got) & set(want) & compared
                assert {k: got[k] for k in common} == {k: want[k] for k in common}, name


def _assert_models_read_everything(rows: dict[str, list[dict]]) -> None:
    """Every mapped class loads every row, each column attribute readable."""
    from coachkit.extensions import Base

    for mapper in Base.registry.mappers:
        table = mapper.local_table
        loaded = db.session.scalars(select(mapper.class_)).all()
        assert len(loaded) == len(rows[table.name]), table.name
        for instance in loaded:
            for attribute in mapper.column_attrs:
                getattr(instance, attribute.key)
    db.session.remove()


def _assert_pages_render(app: Flask) -> None:
    """The people inserted as rows sign in and use real pages."""
    from coachkit.coaching.models import CoachingSession
    from coachkit.hiring.models import Candidate

    with app.app_context():
        session_id = db.session.scalar(select(CoachingSession.id).order_by(CoachingSession.id))
        candidate = db.session.scalar(
            select(Candidate).where(Candidate.submitted_at.is_not(None)).order_by(Candidate.id)
        )
        opening_id, candidate_id = candidate.opening_id, candidate.id
        db.session.remove()
    journeys = {
        demo.ADMIN: ["/", "/people/", "/teams/", f"/coaching/sessions/{session_id}"],
        demo.TEAMS[0].manager: ["/", "/coaching/", "/training/", "/handovers/"],
        demo.TEAMS[0].members[0]: ["/", "/coaching/mine/", "/training/"],
        demo.RECRUITER: [
            "/",
            f"/hiring/openings/{opening_id}",
            f"/hiring/openings/{opening_id}/candidates/{candidate_id}",
            f"/hiring/openings/{opening_id}/compare",
        ],
    }
    for name, paths in journeys.items():
        client = app.test_client()
        assert login(client, demo.email_for(name), POPULATED_PASSWORD).status_code == 302, name
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (name, path)
            assert name in page(response) or path != "/", (name, path)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_migration_runs_on_a_populated_database(engine, databases, demo_rows):
    app = create_app(base_config(databases.new(engine)))
    INSERTED.clear()
    try:
        with app.app_context():
            chain = _chain(app)
            filled: set[str] = set()
            for revision in chain:
                upgrade(revision=revision)
                tables = _reflect()
                new = _in_dependency_order(set(tables) - filled)
                _insert(tables, new, demo_rows)
                filled |= set(new)
                _assert_intact(tables, filled, demo_rows)
            missing = set(db.metadata.tables) - filled
            assert not missing, f"tables of the models that no migration creates: {missing}"
            _assert_models_read_everything(demo_rows)
        _assert_pages_render(app)
        with app.app_context():
            # Every downgrade, on data, keeps the rows of the tables that remain.
            for earlier in reversed(chain[:-1]):
                downgrade(revision=earlier)
                tables = _reflect()
                _assert_intact(tables, set(tables), demo_rows)
            # Back up to head over the remaining data: clean, and the models agree.
            kept = set(tables)
            upgrade()
            _assert_intact(_reflect(), kept, demo_rows)
            check()
            downgrade(revision="base")
            assert set(_reflect()) == set()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
