"""Request logs: one JSON object per request, and never a secret in any log.

Real requests carry every kind of secret coachkit handles (a password, a session
cookie, a CSRF token, an invite token, a set-password token, a bearer header, a
candidate's answer, a manager's coaching note); the app's request lines, its other log
records and everything written to stdout/stderr are searched for each of them.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config

from coachkit.auth import password_links
from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import Candidate, Opening
from coachkit.request_log import LOGGED, LOGGER, RedactingLogger, line, redact
from tests.conftest import csrf_token, login
from tests.hiring.conftest import EXERCISE

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"
FIELDS = {
    "time",
    "level",
    "method",
    "path",
    "endpoint",
    "status",
    "duration_ms",
    "user_id",
    "remote_addr",
    "request_id",
    "size",
}
PASSWORD = "a long and private passphrase 7"
ANSWER = "Zebra-striped apology: I booked the engineer for Thursday myself"
NOTE = "Quietly-kept note: she named the customer's worry before the refund"
BEARER = "Bearer sk-live-7f3c2a9b1d4e"


@pytest.fixture
def request_lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture the request logger (it does not propagate) and every other logger."""
    logger = logging.getLogger(LOGGER)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.fixture
def gunicorn_logger_state() -> Iterator[None]:
    """gunicorn's logger rewires the request logger: put it back afterwards."""
    logger = logging.getLogger(LOGGER)
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    for handler in logger.handlers:
        if handler not in saved[0]:
            handler.close()
    logger.handlers, logger.level, logger.propagate = saved[0], saved[1], saved[2]


def records(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    return [json.loads(text) for text in lines]


def _scene(app: Any, make_user: Any, make_team: Any) -> SimpleNamespace:
    """A manager with a team member, an invited candidate, and a set-password link."""
    manager = make_user(Role.MANAGER, password=PASSWORD)
    employee = make_user(Role.EMPLOYEE)
    make_team("Care", managers=[manager], members=[employee])
    recruiter = make_user(Role.RECRUITER)
    with app.test_request_context():
        opening = Opening(
            title="Care adviser",
            exercise_slug=EXERCISE,
            contact_name="R",
            contact_email=recruiter.email,
            created_by_id=recruiter.id,
            invite_days=14,
            raters_required=2,
        )
        candidate = Candidate(opening=opening, code="T001-X", name="Cara", email="c@example.org")
        db.session.add_all([opening, candidate])
        db.session.flush()
        token = invitations.new_token(candidate)
        url, _ = password_links.issue(db.session.get(User, employee.id), issued_by=None)
        db.session.commit()
        items = library().exercises[EXERCISE].items
    open_position = next(n for n, item in enumerate(items, 1) if not item.keyed)
    return SimpleNamespace(
        manager=manager,
        employee=employee,
        token=token,
        password_token=url.rsplit("/", 1)[1],
        open_position=open_position,
    )


def test_requests_are_logged_as_json_without_secrets(
    app_factory, make_user, make_team, request_lines, capsys
):
    app = app_factory(WTF_CSRF_ENABLED=True)
    scene = _scene(app, make_user, make_team)
    staff = app.test_client()
    assert login(staff, scene.manager, PASSWORD).status_code == 302
    cookie = staff.get_cookie("session").value
    csrf = csrf_token(staff, "/account")
    new_session = f"/coaching/people/{scene.employee.id}/sessions/new"
    form = {"csrf_token": csrf, "held_on": "2026-11-02", "kind": "One-to-one", "went_well": NOTE}
    assert staff.post(new_session, data=form).status_code == 302
    staff.get("/", headers={"Authorization": BEARER})
    staff.get(f"/login?next=/screening/{scene.token}&csrf_token={csrf}")

    candidate = app.test_client()
    base = f"/screening/{scene.token}"
    consent = {"consent": "y", "csrf_token": csrf_token(candidate, base)}
    assert candidate.post(base, data=consent).status_code == 302
    autosave = f"{base}/items/{scene.open_position}/autosave"
    saved = candidate.post(
        autosave, data={"text": ANSWER}, headers={"X-CSRFToken": consent["csrf_token"]}
    )
    assert saved.status_code == 204
    assert candidate.get(f"/set-password/{scene.password_token}").status_code == 200
    health = candidate.get("/healthz")
    candidate.get("/no-such-page")

    lines = records(request_lines)
    assert len(lines) >= 10
    for record in lines:
        assert set(record) == FIELDS
        assert isinstance(record["status"], int)
        assert isinstance(record["duration_ms"], float)
        assert len(record["request_id"]) == 16
    by_path = {(r["method"], r["path"]): r for r in lines}
    signed_in = by_path[("POST", new_session)]
    assert (signed_in["status"], signed_in["user_id"]) == (302, scene.manager.id)
    assert signed_in["endpoint"] == "coaching.new"
    assert signed_in["level"] == "info"
    autosaved = by_path[("POST", f"/screening/[redacted]/items/{scene.open_position}/autosave")]
    assert autosaved["status"] == 204
    assert by_path[("GET", "/set-password/[redacted]")]["user_id"] is None
    assert by_path[("GET", "/healthz")]["user_id"] is None
    assert by_path[("GET", "/healthz")]["request_id"] == health.headers["X-Request-ID"]
    missing = by_path[("GET", "/no-such-page")]
    assert (missing["status"], missing["level"], missing["endpoint"]) == (404, "warning", None)

    written = capsys.readouterr()
    everything = "\n".join([request_lines.text, written.out, written.err])
    secrets = [PASSWORD, cookie, csrf, consent["csrf_token"], scene.token]
    secrets += [scene.password_token, BEARER, ANSWER, NOTE, scene.manager.email]
    for secret in secrets:
        assert secret not in everything, f"a secret reached the log: {secret[:12]}..."


def test_redact_replaces_set_password_and_invite_tokens():
    assert redact(f"GET /set-password/{TOKEN} HTTP/1.1") == (
        "GET /set-password/[redacted] HTTP/1.1"
    )
    assert redact(f"/screening/{TOKEN}/items/2") == "/screening/[redacted]/items/2"
    assert redact("/teams/3") == "/teams/3"


def _gunicorn_request(path: str) -> tuple[dict[str, Any], Any, Any]:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?next={TOKEN}",
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": f"next={TOKEN}",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://x/set-password/{TOKEN}",
        "HTTP_COOKIE": f"session={TOKEN}",
        "HTTP_AUTHORIZATION": BEARER,
    }
    response = SimpleNamespace(
        status="200 OK", sent=10, headers=[("X-Request-ID", "0123456789abcdef")]
    )
    request = SimpleNamespace(
        headers=[("REFERER", f"https://x/set-password/{TOKEN}"), ("AUTHORIZATION", BEARER)]
    )
    return environ, response, request


def test_gunicorn_logger_removes_the_token_from_every_url_atom(gunicorn_logger_state):
    logger = RedactingLogger(Config())
    environ, response, request = _gunicorn_request(f"/set-password/{TOKEN}")
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    assert TOKEN not in repr(atoms)
    assert atoms["U"] == "/set-password/[redacted]"


def test_gunicorn_access_log_holds_the_apps_json_lines_and_its_own(tmp_path, gunicorn_logger_state):
    """The app's request lines go to gunicorn's access log; gunicorn adds a JSON line
    of its own only for a request the app did not log, without query, cookie or
    headers."""
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = RedactingLogger(config)
    logging.getLogger(LOGGER).info(line(logging.INFO, path="/from-the-app"))

    environ, response, request = _gunicorn_request(f"/screening/{TOKEN}/done")
    elapsed = datetime.timedelta(seconds=0.25)
    logger.access(response, request, {**environ, LOGGED: True}, elapsed)  # the app logged it
    logger.access(response, request, environ, elapsed)
    for handler in logger.access_log.handlers:
        handler.flush()

    written = (tmp_path / "access.log").read_text()
    app_line, own_line = (json.loads(text) for text in written.splitlines())
    assert app_line["path"] == "/from-the-app"
    assert set(own_line) == FIELDS
    assert own_line["path"] == "/screening/[redacted]/done"
    assert (own_line["status"], own_line["size"], own_line["duration_ms"]) == (200, 10, 250.0)
    assert (own_line["remote_addr"], own_line["request_id"]) == ("203.0.113.9", "0123456789abcdef")
    assert TOKEN not in written
    assert BEARER not in written


def test_gunicorn_without_an_access_log_writes_no_request_lines(gunicorn_logger_state, capsys):
    RedactingLogger(Config())  # accesslog unset
    logging.getLogger(LOGGER).info(line(logging.INFO, path="/quiet"))
    assert "/quiet" not in capsys.readouterr().out


def test_an_exception_is_one_error_line_and_redacted(app_factory, request_lines):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def explode(token):
        raise RuntimeError("boom")

    from coachkit.auth.access import public

    app.add_url_rule("/set-password/<token>/boom", "boom", public(explode))
    app.test_client().get(f"/set-password/{TOKEN}/boom")
    assert "Exception on /set-password/[redacted]/boom" in request_lines.text
    assert TOKEN not in request_lines.text
    [record] = records(request_lines)
    assert (record["status"], record["level"]) == (500, "error")
    assert record["path"] == "/set-password/[redacted]/boom"
