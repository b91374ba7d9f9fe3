"""Binding extensions and blueprints to an app (called by `create_app`)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coachkit.database import configure_sqlite
from coachkit.extensions import csrf, db, login_manager, migrate
from coachkit.text import render_markdown

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def install_extensions(app: Flask) -> None:
    from coachkit.auth import access, sessions

    if app.config.get("SQLALCHEMY_DATABASE_URI", "").startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    # Access is checked before CSRF, so a stranger's POST meets the sign-in page.
    app.before_request(access.enforce)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the server-side session is the protection
    login_manager.user_loader(sessions.load_user)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1, x_host=0
        )


def register_blueprints(app: Flask) -> None:
    from coachkit.auth.oidc_views import bp as oidc_bp
    from coachkit.auth.views import bp as auth_bp
    from coachkit.authoring.views import bp as authoring_bp
    from coachkit.calibration.views import bp as calibration_bp
    from coachkit.cli import register_commands
    from coachkit.coaching.my_coaching import bp as my_coaching_bp
    from coachkit.coaching.views import bp as coaching_bp
    from coachkit.evidence.views import bp as evidence_bp
    from coachkit.hiring.views import bp as hiring_bp
    from coachkit.home.views import bp as home_bp
    from coachkit.notifications.outbox_views import bp as outbox_bp
    from coachkit.notifications.views import bp as notifications_bp
    from coachkit.organisation.views import bp as organisation_bp
    from coachkit.people.import_views import bp as people_import_bp
    from coachkit.people.password_reset import bp as password_reset_bp
    from coachkit.people.views import bp as people_bp
    from coachkit.scim.admin_views import bp as scim_tokens_bp
    from coachkit.scim.views import bp as scim_bp
    from coachkit.teams.views import bp as teams_bp
    from coachkit.training.views import bp as training_bp
    from coachkit.xapi import recording as xapi_recording
    from coachkit.xapi.views import bp as xapi_bp

    # People's notes (coaching) are Markdown, rendered through the one sanitiser.
    app.add_template_filter(render_markdown, "markdown")
    for blueprint in (
        auth_bp,
        oidc_bp,
        people_bp,
        home_bp,
        teams_bp,
        training_bp,
        coaching_bp,
        my_coaching_bp,
        calibration_bp,
        hiring_bp,
        notifications_bp,
        outbox_bp,
        password_reset_bp,
        people_import_bp,
        scim_bp,
        scim_tokens_bp,
        xapi_bp,
        organisation_bp,
        evidence_bp,
        authoring_bp,
    ):
        app.register_blueprint(blueprint)
    xapi_recording.init_app(app)
    # SCIM requests carry a bearer token, not a cookie: no CSRF to protect against.
    csrf.exempt(scim_bp)
    # Greenhouse's partner API authenticates each request with a partner key, likewise.
    from coachkit.hiring.greenhouse.views import bp as greenhouse_bp

    csrf.exempt(greenhouse_bp)
    register_commands(app)
