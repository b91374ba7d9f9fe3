"""Configuration: defaults as constants, overridden from the environment.

Every setting a deployment may change is read by `from_environment`; the README's
"Configuration" section lists the same names.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Training, coaching and screening content (skills.md, modules/)
CONTENT_DIR = str(Path(__file__).resolve().parent.parent / "content")

# Sessions and login
SESSION_LIFETIME_HOURS = 12
LOGIN_WINDOW_MINUTES = 15
LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
LOGIN_MAX_FAILURES_PER_ADDRESS = 20
PASSWORD_MIN_LENGTH = 12
SET_PASSWORD_LINK_HOURS = 72
# Whether people may sign in with a password (off: single sign-on only, see OIDC_*).
PASSWORD_SIGN_IN = True
# Single sign-on (OpenID Connect); off unless OIDC_ISSUER is set. See the README.
OIDC_ISSUER = ""
OIDC_CLIENT_ID = ""
OIDC_CLIENT_SECRET = ""
OIDC_BUTTON_LABEL = "Sign in with your company account"
OIDC_ALLOWED_DOMAINS: tuple[str, ...] = ()
OIDC_CREATE_ACCOUNTS = False  # on: a first sign-in creates an employee account
OIDC_CALLBACKS_PER_MINUTE = 60  # sign-in callbacks one client address may make (20 or more)
OIDC_CLOCK_SKEW_SECONDS = 60  # how far the provider's clock may be from ours
# Provisioning (SCIM): a group whose name ends with this holds the managers of the team
# named by the rest ("Care managers" manages "Care"); empty: every group is members.
SCIM_MANAGER_GROUP_SUFFIX = " managers"
# Callback URLs (Greenhouse's completion PATCH) must be https, except to these hosts
# (comma-separated in the environment; for tests and local trials).
ALLOW_HTTP_CALLBACK_HOSTS: tuple[str, ...] = ()
# Self-service password reset: how long its link works, and how many requests one
# e-mail address and one client address may make within the window.
PASSWORD_RESET_LINK_MINUTES = 60
PASSWORD_RESET_MAX_PER_ACCOUNT = 3
PASSWORD_RESET_MAX_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW_MINUTES = 60

# Coaching: the kinds of session a manager can record, and after how many days without
# a session someone shows on the manager's dashboard as "not coached recently".
COACHING_KINDS = (
    "One-to-one",
    "Call review",
    "Ticket review",
    "Observation",
    "Shadowing",
    "Development review",
)
COACHING_INTERVAL_DAYS = 30

# Hiring: how long a candidate's invite link works (resending extends it), and after how
# many days without activity a candidate's record (answers, scores, invite) is purged.
HIRING_INVITE_DAYS = 14
HIRING_RETENTION_DAYS = 365

# Evidence reports: a hire's first days whose coaching and practice are set against
# their screening, and the days before and after completing a module that are compared.
EVIDENCE_FIRST_DAYS = 180
EVIDENCE_WINDOW_DAYS = 90

# E-mail (sent only when SMTP_HOST is set)
SMTP_HOST = ""
SMTP_PORT = 587
SMTP_STARTTLS = True
MAIL_FROM = "coachkit <coachkit@localhost>"

# Notifications: the worker that sends the outbox (`flask worker`, `flask send`).
MAIL_MAX_ATTEMPTS = 8  # tries before a message is failed for good (shown to admins)
MAIL_RETRY_SECONDS = 60  # wait before the first retry; doubled each time, at most 6 h
MAIL_CLAIM_TIMEOUT_MINUTES = 15  # a message claimed this long ago is tried again
WORKER_INTERVAL_SECONDS = 5  # pause between the worker's passes over the outbox
WORKER_SCAN_SECONDS = 60  # how often the worker looks for reminders that are due
DIGEST_HOUR = 7  # UTC hour from which the daily digest is sent
NOTIFICATION_RETENTION_DAYS = 180  # read notifications and sent e-mails are kept so long
MAIL_PREVIEW: bool | None = None  # admins see each outbox message rendered; None: in debug

# Outgoing HTTP requests (xAPI statements, ATS callbacks), sent by the same worker.
DELIVERY_MAX_ATTEMPTS = 120  # failed tries before a delivery is given up (shown to admins)
DELIVERY_RETRY_SECONDS = 5  # wait before the first retry; doubled each time, at most:
DELIVERY_MAX_BACKOFF_SECONDS = 60  # so a failed delivery is tried again within a minute
DELIVERY_CLAIM_TIMEOUT_MINUTES = 5  # a delivery claimed this long ago is tried again

# Learning records (xAPI 1.0.3): statements sent to the LRS at XAPI_ENDPOINT (its base
# URL; statements go to <endpoint>/statements) with HTTP Basic; off while it is unset.
XAPI_ENDPOINT = ""
XAPI_USERNAME = ""
XAPI_PASSWORD = ""
XAPI_ACTOR = "mbox_sha1sum"  # or "account": the person's id on EXTERNAL_URL
XAPI_REFLECTION_TEXT = False  # on: `responded` statements carry what the learner wrote
XAPI_COACHING = False  # on: an `attended` statement per coaching session (never notes)

# Behind a reverse proxy: how many proxies set X-Forwarded-For (0 = none trusted)
PROXY_FIX_X_FOR = 0

# Requests
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: long forms never expire
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE: bool | None = None  # None: on, except in debug and testing
SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}

# Names read from the environment, with how to parse them.
_STRINGS = (
    "CONTENT_DIR",
    "SECRET_KEY",
    "EXTERNAL_URL",
    "MAIL_FROM",
    "SMTP_HOST",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_BUTTON_LABEL",
    "XAPI_ENDPOINT",
    "XAPI_USERNAME",
    "XAPI_PASSWORD",
    "XAPI_ACTOR",
)
_KEEP_SPACES = ("SCIM_MANAGER_GROUP_SUFFIX",)  # read as written, leading space included
_INTS = (
    "SESSION_LIFETIME_HOURS",
    "LOGIN_MAX_FAILURES_PER_ACCOUNT",
    "LOGIN_MAX_FAILURES_PER_ADDRESS",
    "LOGIN_WINDOW_MINUTES",
    "SMTP_PORT",
    "MAX_CONTENT_LENGTH",
    "PROXY_FIX_X_FOR",
    "SET_PASSWORD_LINK_HOURS",
    "PASSWORD_RESET_LINK_MINUTES",
    "PASSWORD_RESET_MAX_PER_ACCOUNT",
    "PASSWORD_RESET_MAX_PER_ADDRESS",
    "PASSWORD_RESET_WINDOW_MINUTES",
    "COACHING_INTERVAL_DAYS",
    "HIRING_INVITE_DAYS",
    "HIRING_RETENTION_DAYS",
    "EVIDENCE_FIRST_DAYS",
    "EVIDENCE_WINDOW_DAYS",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS",
    "MAIL_CLAIM_TIMEOUT_MINUTES",
    "WORKER_INTERVAL_SECONDS",
    "WORKER_SCAN_SECONDS",
    "DIGEST_HOUR",
    "NOTIFICATION_RETENTION_DAYS",
    "OIDC_CALLBACKS_PER_MINUTE",
    "OIDC_CLOCK_SKEW_SECONDS",
    "DELIVERY_MAX_ATTEMPTS",
    "DELIVERY_RETRY_SECONDS",
    "DELIVERY_MAX_BACKOFF_SECONDS",
    "DELIVERY_CLAIM_TIMEOUT_MINUTES",
)
_BOOLS = (
    "SESSION_COOKIE_SECURE",
    "SMTP_STARTTLS",
    "MAIL_PREVIEW",
    "PASSWORD_SIGN_IN",
    "OIDC_CREATE_ACCOUNTS",
    "XAPI_REFLECTION_TEXT",
    "XAPI_COACHING",
)


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def database_url(raw: str | None, instance_path: str) -> str:
    """Return a SQLAlchemy URL, defaulting to SQLite in the instance folder.

    `postgres://` and `postgresql://` URLs are pointed at the psycopg 3 driver.
    """
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "coachkit.sqlite")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the settings present in `environ`; absent names keep their defaults."""
    found: dict[str, Any] = {}
    for name in _STRINGS:
        if environ.get(name):
            found[name] = environ[name]
    for name in _KEEP_SPACES:
        if name in environ:
            found[name] = environ[name]
    for name in _INTS:
        if environ.get(name):
            try:
                found[name] = int(environ[name])
            except ValueError:
                raise ConfigError(f"{name} must be a whole number") from None
    for name in _BOOLS:
        if name in environ:
            found[name] = _parse_bool(name, environ[name])
    if environ.get("TRUSTED_HOSTS"):
        found["TRUSTED_HOSTS"] = [
            h.strip() for h in environ["TRUSTED_HOSTS"].split(",") if h.strip()
        ]
    if environ.get("OIDC_ALLOWED_DOMAINS"):
        found["OIDC_ALLOWED_DOMAINS"] = tuple(
            d.strip().lower().lstrip("@")
            for d in environ["OIDC_ALLOWED_DOMAINS"].split(",")
            if d.strip()
        )
    if environ.get("ALLOW_HTTP_CALLBACK_HOSTS"):
        found["ALLOW_HTTP_CALLBACK_HOSTS"] = tuple(
            h.strip().lower() for h in environ["ALLOW_HTTP_CALLBACK_HOSTS"].split(",") if h.strip()
        )
    if environ.get("COACHING_KINDS"):
        kinds = tuple(k.strip() for k in environ["COACHING_KINDS"].split(",") if k.strip())
        if any(len(kind) > 60 for kind in kinds):
            raise ConfigError("COACHING_KINDS: each kind must be 60 characters or fewer")
        found["COACHING_KINDS"] = kinds
    found["DATABASE_URL"] = environ.get("DATABASE_URL", "")
    return found


def serving() -> bool:
    """Whether the app is being built to serve requests.

    gunicorn and `flask run` (including its reloader thread) serve; any other Flask CLI
    command loads the app inside its own click context and only does maintenance.
    """
    import click

    context = click.get_current_context(silent=True)
    return context is None or context.info_name == "run"


def development_secret_key(instance_path: str) -> str:
    """Load or create a per-checkout key so a local server keeps its sessions."""
    path = Path(instance_path) / "dev-secret-key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def finalise(
    config: dict[str, Any], *, instance_path: str, relaxed: bool, serving: bool = True
) -> None:
    """Fill derived settings and refuse an unsafe production configuration.

    `relaxed` is true in debug or testing: a local key and plain-HTTP cookies are allowed.
    `serving` is false for maintenance commands (`flask db upgrade`, `flask users create`):
    they sign no cookie and send no link, so they need neither SECRET_KEY nor EXTERNAL_URL.
    """
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config.get("DATABASE_URL"), instance_path)
    if not config.get("SECRET_KEY"):
        if relaxed:
            config["SECRET_KEY"] = development_secret_key(instance_path)
        elif not serving:
            # Nothing signed with it outlives the command, so a throwaway key is safe.
            config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value, for example the output "
                "of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
    if not 1 <= int(config.get("HIRING_INVITE_DAYS", HIRING_INVITE_DAYS)) <= 90:
        raise ConfigError("HIRING_INVITE_DAYS must be between 1 and 90")
    if int(config.get("HIRING_RETENTION_DAYS", HIRING_RETENTION_DAYS)) < 1:
        raise ConfigError("HIRING_RETENTION_DAYS must be 1 or more")
    evidence_days = {"EVIDENCE_FIRST_DAYS": EVIDENCE_FIRST_DAYS}
    evidence_days["EVIDENCE_WINDOW_DAYS"] = EVIDENCE_WINDOW_DAYS
    for name, default in evidence_days.items():
        if int(config.get(name, default)) < 1:
            raise ConfigError(f"{name} must be 1 or more")
    if not 0 <= int(config.get("DIGEST_HOUR", DIGEST_HOUR)) <= 23:
        raise ConfigError("DIGEST_HOUR must be between 0 and 23 (an hour of the day, UTC)")
    if int(config.get("MAIL_MAX_ATTEMPTS", MAIL_MAX_ATTEMPTS)) < 1:
        raise ConfigError("MAIL_MAX_ATTEMPTS must be 1 or more")
    if int(config.get("DELIVERY_MAX_ATTEMPTS", DELIVERY_MAX_ATTEMPTS)) < 1:
        raise ConfigError("DELIVERY_MAX_ATTEMPTS must be 1 or more")
    if not 0 < int(config.get("DELIVERY_MAX_BACKOFF_SECONDS", DELIVERY_MAX_BACKOFF_SECONDS)) <= 60:
        raise ConfigError("DELIVERY_MAX_BACKOFF_SECONDS must be between 1 and 60")
    _check_single_sign_on(config)
    _check_xapi(config)
    if config.get("MAIL_PREVIEW") is None:
        config["MAIL_PREVIEW"] = bool(config.get("DEBUG"))
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not relaxed
    external = (config.get("EXTERNAL_URL") or "").rstrip("/")
    if external and not external.startswith(("http://", "https://")):
        raise ConfigError("EXTERNAL_URL must start with https:// (or http:// for local use)")
    config["EXTERNAL_URL"] = external
    if not relaxed and serving and not external:
        raise ConfigError(
            "EXTERNAL_URL is not set. Set it to the address people use to reach coachkit, "
            "for example https://coachkit.example.com; e-mailed links are built from it."
        )


def _check_xapi(config: dict[str, Any]) -> None:
    """Refuse learning-record settings that would send statements nobody can place."""
    endpoint = (config.get("XAPI_ENDPOINT") or "").rstrip("/")
    config["XAPI_ENDPOINT"] = endpoint
    if config.get("XAPI_ACTOR", XAPI_ACTOR) not in ("mbox_sha1sum", "account"):
        raise ConfigError("XAPI_ACTOR must be mbox_sha1sum or account")
    if not endpoint:
        return
    if not endpoint.startswith(("https://", "http://")):
        raise ConfigError("XAPI_ENDPOINT must start with https:// (or http://)")
    if not (config.get("EXTERNAL_URL") or "").strip():
        raise ConfigError("XAPI_ENDPOINT is set: set EXTERNAL_URL too (activity ids use it)")


def _check_single_sign_on(config: dict[str, Any]) -> None:
    """Refuse a single sign-on setup that cannot work, or that would let anyone in."""
    issuer = (config.get("OIDC_ISSUER") or "").rstrip("/")
    config["OIDC_ISSUER"] = issuer
    if not issuer:
        if not config.get("PASSWORD_SIGN_IN", True):
            raise ConfigError(
                "PASSWORD_SIGN_IN is off but OIDC_ISSUER is not set: nobody could sign in."
            )
        return
    local = issuer.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
    if not (issuer.startswith("https://") or local):
        raise ConfigError("OIDC_ISSUER must start with https:// (http:// only on this machine)")
    if not config.get("OIDC_CLIENT_ID") or not config.get("OIDC_CLIENT_SECRET"):
        raise ConfigError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too")
    if not config.get("OIDC_ALLOWED_DOMAINS"):
        raise ConfigError(
            "OIDC_ISSUER is set: set OIDC_ALLOWED_DOMAINS to the e-mail domains whose people "
            "may sign in with it, for example example.com,example.co.uk"
        )
    if int(config.get("OIDC_CALLBACKS_PER_MINUTE", OIDC_CALLBACKS_PER_MINUTE)) < 20:
        raise ConfigError("OIDC_CALLBACKS_PER_MINUTE must be 20 or more")
