"""`flask demo`, `flask users create` and `flask prune` (`flask recount`: test_rollups.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team
from tests.conftest import login


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_demo_creates_the_organisation_and_prints_logins(app):
    result = app.test_cli_runner().invoke(args=["demo", "--password", "a-demo-pass-phrase"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()[1:] if "/screening/" not in line]
    roles = [role for role, _email in lines]
    assert roles.count("admin") == 1 and roles.count("recruiter") == 2
    assert roles.count("manager") == 2 and roles.count("employee") >= 8
    with app.app_context():
        teams = db.session.scalars(select(Team)).all()
        assert len(teams) == 3  # the two teams and the evidence reports' hires
        for team in teams:
            positions = [m.position for m in team.memberships]
            assert positions.count(Position.MANAGER) == 1
            assert positions.count(Position.MEMBER) >= 4
    admin_email = next(email for role, email in lines if role == "admin")
    assert login(app.test_client(), admin_email, "a-demo-pass-phrase").status_code == 302


def test_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    counts = (_count(app, User), _count(app, Team), _count(app, Membership))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert (_count(app, User), _count(app, Team), _count(app, Membership)) == counts


def test_demo_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["demo", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert _count(app, User) == 0


def test_users_create_makes_the_first_admin(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Boss@Example.com",
            "--name",
            "Pat Boss",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("boss@example.com", Role.ADMIN)
    assert _count(app, Team) == 0  # no demo data
    assert (
        login(app.test_client(), "boss@example.com", "a long enough passphrase").status_code == 302
    )


def test_users_create_refuses_duplicates_and_weak_passwords(app, make_user):
    make_user(email="taken@example.com")
    runner = app.test_cli_runner()
    duplicate = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "taken@example.com",
            "--name",
            "X",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "new@example.com",
            "--name",
            "New",
            "--password",
            "password1234",
        ]
    )
    assert weak.exit_code != 0 and "too common" in weak.output
    assert _count(app, User) == 1


def test_prune_removes_expired_sessions(app, make_user):
    from datetime import timedelta

    from coachkit.auth.models import AuthSession
    from coachkit.database import utcnow

    person = make_user()
    with app.app_context():
        db.session.add(
            AuthSession(id="a" * 64, user_id=person.id, expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.add(
            AuthSession(id="b" * 64, user_id=person.id, expires_at=utcnow() + timedelta(hours=1))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune"])
    assert "Removed 1 expired sessions." in result.output
    assert _count(app, AuthSession) == 1


def test_demo_refuses_to_run_in_production_without_force(app_factory):
    app = app_factory(TESTING=False)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "runs only in debug mode" in result.output
    assert _count(app, User) == 0
    forced = app.test_cli_runner().invoke(args=["demo", "--force"])
    assert forced.exit_code == 0


def test_demo_includes_practice_at_every_stage(app):
    from coachkit.training.models import Assignment, Attempt, AttemptStatus

    app.test_cli_runner().invoke(args=["demo"])
    with app.app_context():
        statuses = db.session.scalars(select(Attempt.status)).all()
        assert statuses.count(AttemptStatus.COMPLETED) >= 3
        assert statuses.count(AttemptStatus.IN_PROGRESS) >= 2
        assignments = db.session.scalars(select(Assignment)).all()
        assert len(assignments) >= 8
        assert any(a.due_on < utcnow().date() for a in assignments)  # some overdue
    counts = _count(app, Attempt)
    app.test_cli_runner().invoke(args=["demo"])
    assert _count(app, Attempt) == counts
