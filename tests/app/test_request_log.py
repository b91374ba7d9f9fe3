"""Access logs never carry one-time tokens."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from coachkit.request_log import RedactingLogger, redact

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"


def test_redact_replaces_set_password_tokens():
    assert redact(f"GET /set-password/{TOKEN} HTTP/1.1") == (
        "GET /set-password/[redacted] HTTP/1.1"
    )
    assert redact("/teams/3") == "/teams/3"


def test_gunicorn_logger_removes_the_token_from_every_url_atom():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/set-password/{TOKEN}",
        "PATH_INFO": f"/set-password/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://x/set-password/{TOKEN}",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"https://x/set-password/{TOKEN}")])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    assert TOKEN not in repr(atoms)
    assert atoms["U"] == "/set-password/[redacted]"


def test_app_log_lines_are_redacted(app_factory, caplog):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def explode(token):
        raise RuntimeError("boom")

    from coachkit.auth.access import public

    app.add_url_rule("/set-password/<token>/boom", "boom", public(explode))
    with caplog.at_level("ERROR"):
        app.test_client().get(f"/set-password/{TOKEN}/boom")
    assert "Exception on /set-password/[redacted]/boom" in caplog.text
    assert TOKEN not in caplog.text
