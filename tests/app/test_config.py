"""The app factory reads its configuration from the environment and refuses unsafe
production settings."""

from __future__ import annotations

import pytest

from coachkit import config, create_app
from coachkit.config import ConfigError, database_url

PRODUCTION = {"SECRET_KEY": "k" * 64, "EXTERNAL_URL": "https://coachkit.example.com"}


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "EXTERNAL_URL",
        "FLASK_DEBUG",
        "SESSION_COOKIE_SECURE",
        "TRUSTED_HOSTS",
        "SESSION_LIFETIME_HOURS",
        "COACHING_KINDS",
        "COACHING_INTERVAL_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/config.sqlite")
    return monkeypatch


def test_production_without_secret_key_is_refused(clean_env):
    clean_env.setenv("EXTERNAL_URL", "https://coachkit.example.com")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_without_external_url_is_refused(clean_env):
    clean_env.setenv("SECRET_KEY", "k" * 64)
    with pytest.raises(ConfigError, match="EXTERNAL_URL is not set"):
        create_app()


def test_external_url_must_be_http(clean_env):
    with pytest.raises(ConfigError, match="EXTERNAL_URL must start"):
        create_app({**PRODUCTION, "EXTERNAL_URL": "coachkit.example.com"})


def test_environment_overrides_defaults(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    clean_env.setenv("EXTERNAL_URL", "https://people.example.org/")
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite")
    clean_env.setenv("SESSION_LIFETIME_HOURS", "3")
    clean_env.setenv("TRUSTED_HOSTS", "people.example.org, localhost")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["EXTERNAL_URL"] == "https://people.example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.sqlite"
    assert app.config["SESSION_LIFETIME_HOURS"] == 3
    assert app.config["TRUSTED_HOSTS"] == ["people.example.org", "localhost"]


def test_production_cookies_are_secure_httponly_lax(clean_env):
    app = create_app(PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secure_cookie_can_be_turned_off_explicitly(clean_env):
    clean_env.setenv("SESSION_COOKIE_SECURE", "false")
    assert create_app(PRODUCTION).config["SESSION_COOKIE_SECURE"] is False


def test_bad_boolean_and_number_are_refused(clean_env):
    clean_env.setenv("SESSION_COOKIE_SECURE", "maybe")
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE"):
        create_app(PRODUCTION)
    clean_env.delenv("SESSION_COOKIE_SECURE")
    clean_env.setenv("SESSION_LIFETIME_HOURS", "twelve")
    with pytest.raises(ConfigError, match="SESSION_LIFETIME_HOURS"):
        create_app(PRODUCTION)


def test_debug_mode_keeps_one_local_key(clean_env, tmp_path):
    clean_env.setenv("FLASK_DEBUG", "1")
    first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SESSION_COOKIE_SECURE"] is False


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    assert database_url("", str(tmp_path)) == f"sqlite:///{tmp_path}/coachkit.sqlite"


@pytest.mark.parametrize("raw", ["postgres://u:p@db/coachkit", "postgresql://u:p@db/coachkit"])
def test_postgres_urls_use_psycopg3(raw):
    assert database_url(raw, "/x") == "postgresql+psycopg://u:p@db/coachkit"


def test_max_content_length_is_set(clean_env):
    assert create_app(PRODUCTION).config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_maintenance_commands_need_no_secret_key_or_external_url(clean_env):
    """`flask db upgrade` and friends sign nothing and send no links."""
    import click

    with click.Context(click.Command("upgrade"), info_name="upgrade"):
        app = create_app()
    assert len(app.config["SECRET_KEY"]) == 64
    assert app.config["SESSION_COOKIE_SECURE"] is True  # still production settings
    with click.Context(click.Command("upgrade"), info_name="upgrade"):
        assert create_app().config["SECRET_KEY"] != app.config["SECRET_KEY"]  # throwaway


def test_flask_run_without_secret_key_is_refused(clean_env):
    import click

    clean_env.setenv("EXTERNAL_URL", "https://coachkit.example.com")
    with (
        click.Context(click.Command("run"), info_name="run"),
        pytest.raises(ConfigError, match="SECRET_KEY is not set"),
    ):
        create_app()


def test_db_upgrade_runs_from_the_command_line_without_secrets(clean_env, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in {"SECRET_KEY", "EXTERNAL_URL", "FLASK_DEBUG"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/cli.sqlite"
    flask = str(Path(sys.executable).parent / "flask")
    for command in (["db", "upgrade"], ["db", "check"]):
        result = subprocess.run(
            [flask, "--app", "coachkit", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr


def test_coaching_kinds_and_interval_come_from_the_environment(clean_env):
    clean_env.setenv("COACHING_KINDS", " Call review , Floor walk,, ")
    clean_env.setenv("COACHING_INTERVAL_DAYS", "45")
    app = create_app(PRODUCTION)
    assert app.config["COACHING_KINDS"] == ("Call review", "Floor walk")
    assert app.config["COACHING_INTERVAL_DAYS"] == 45


def test_coaching_settings_are_checked(clean_env):
    clean_env.setenv("COACHING_KINDS", "x" * 61)
    with pytest.raises(ConfigError, match="COACHING_KINDS"):
        create_app(PRODUCTION)
    clean_env.delenv("COACHING_KINDS")
    clean_env.setenv("COACHING_INTERVAL_DAYS", "a month")
    with pytest.raises(ConfigError, match="COACHING_INTERVAL_DAYS"):
        create_app(PRODUCTION)


def test_coaching_defaults(clean_env):
    app = create_app(PRODUCTION)
    assert "One-to-one" in app.config["COACHING_KINDS"]
    assert app.config["COACHING_INTERVAL_DAYS"] == 30


# Single sign-on settings


SSO = {
    "OIDC_ISSUER": "https://login.example.com/tenant/v2.0",
    "OIDC_CLIENT_ID": "coachkit",
    "OIDC_CLIENT_SECRET": "secret",
    "OIDC_ALLOWED_DOMAINS": "example.com, @Example.co.uk",
}


def test_single_sign_on_is_read_from_the_environment():
    found = config.from_environment({**SSO, "OIDC_CREATE_ACCOUNTS": "yes"})
    assert found["OIDC_ALLOWED_DOMAINS"] == ("example.com", "example.co.uk")
    assert found["OIDC_CREATE_ACCOUNTS"] is True
    assert found["OIDC_ISSUER"] == SSO["OIDC_ISSUER"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {**SSO, "OIDC_ISSUER": "http://login.example.com"},
            "OIDC_ISSUER must start with https://",
        ),
        ({**SSO, "OIDC_CLIENT_SECRET": ""}, "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        ({**SSO, "OIDC_ALLOWED_DOMAINS": ""}, "set OIDC_ALLOWED_DOMAINS"),
        ({**SSO, "OIDC_CALLBACKS_PER_MINUTE": "19"}, "OIDC_CALLBACKS_PER_MINUTE must be 20"),
        ({"PASSWORD_SIGN_IN": "off"}, "PASSWORD_SIGN_IN is off but OIDC_ISSUER is not set"),
    ],
)
def test_an_unsafe_single_sign_on_setup_is_refused(tmp_path, settings, message):
    defaults = {name: getattr(config, name) for name in dir(config) if name.isupper()}
    with pytest.raises(ConfigError, match=message):
        config.finalise(
            {**defaults, **config.from_environment(settings)},
            instance_path=str(tmp_path),
            relaxed=True,
        )
