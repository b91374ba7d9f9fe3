"""Requests coachkit cannot act on get a 4xx JSON error that says what is wrong, and
change nothing: no candidate, no interview, no e-mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.greenhouse.models import Interview, ResponseError
from coachkit.hiring.models import Candidate
from coachkit.notifications.models import OutboxMessage
from tests.hiring.greenhouse.conftest import send_test_body

CALLBACK = "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/1"


def nothing_saved(app) -> bool:
    with app.app_context():
        return not any(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Candidate, Interview, OutboxMessage, ResponseError)
        )


def candidate_with(**fields: object) -> dict[str, object]:
    return {"first_name": "Harry", "last_name": "Potter", "email": "hp@example.org", **fields}


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({}, 400, "The body is empty"),
        ([], 400, "must be a JSON object"),
        ("send me a test", 400, "must be a JSON object"),
        ({"partner_test_id": "{opening}", "url": CALLBACK}, 422, "candidate is missing"),
        ({"candidate": candidate_with(), "url": CALLBACK}, 422, "partner_test_id is missing"),
        (
            {
                "partner_test_id": "{opening}",
                "candidate": candidate_with(email=""),
                "url": CALLBACK,
            },
            422,
            "email is missing",
        ),
        (
            {
                "partner_test_id": "{opening}",
                "candidate": candidate_with(email="harry at hogwarts"),
                "url": CALLBACK,
            },
            422,
            "not a valid e-mail address",
        ),
        (
            {"partner_test_id": "{opening}", "candidate": candidate_with(first_name=None)},
            422,
            "first_name is missing",
        ),
        (
            {"partner_test_id": "{opening}", "candidate": candidate_with(last_name=["Potter"])},
            422,
            "last_name must be a string",
        ),
        (
            {"partner_test_id": "{opening}", "candidate": candidate_with(first_name="H" * 121)},
            422,
            "longer than 120",
        ),
        ({"partner_test_id": "{opening}", "candidate": candidate_with()}, 422, "url is missing"),
        (
            {
                "partner_test_id": "{opening}",
                "candidate": candidate_with(),
                "url": "http://gh.example/x",
            },
            422,
            "url must be an https URL",
        ),
        (
            {"partner_test_id": "{opening}", "candidate": candidate_with(), "url": "ftp://x/y"},
            422,
            "url must be an https URL",
        ),
        (
            {"partner_test_id": "{opening}", "candidate": candidate_with(), "url": "https:///x"},
            422,
            "absolute https URL",
        ),
        (
            {"partner_test_id": "9999", "candidate": candidate_with(), "url": CALLBACK},
            404,
            "No test has partner_test_id '9999'",
        ),
        (
            {"partner_test_id": "care", "candidate": candidate_with(), "url": CALLBACK},
            404,
            "No test has partner_test_id 'care'",
        ),
        (
            {"partner_test_id": "9" * 20, "candidate": candidate_with(), "url": CALLBACK},
            404,
            "No test has partner_test_id",
        ),
        (
            {"partner_test_id": "{closed}", "candidate": candidate_with(), "url": CALLBACK},
            409,
            "is closed",
        ),
    ],
)
def test_bad_send_test_is_refused_clearly(app, greenhouse, make_opening, body, status, says):
    opening, closed = make_opening(), make_opening("Old role", closed_at=utcnow())
    if isinstance(body, dict) and body.get("partner_test_id") == "{opening}":
        body = {**body, "partner_test_id": str(opening)}
    if isinstance(body, dict) and body.get("partner_test_id") == "{closed}":
        body = {**body, "partner_test_id": str(closed)}
    response = greenhouse.send_test(body)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert says in response.json()["error"]
    assert response.json()["status"] == status
    assert nothing_saved(app)


def test_send_test_that_is_not_json_is_refused(app, greenhouse):
    response = greenhouse.call(
        "POST", "send_test", data="partner_test_id=1", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert "JSON object" in response.json()["error"]
    assert nothing_saved(app)


def test_http_callbacks_go_only_to_allowed_hosts(app, greenhouse, make_opening):
    """The tests' app allows plain http to 127.0.0.1 only (ALLOW_HTTP_CALLBACK_HOSTS)."""
    opening = str(make_opening())
    refused = greenhouse.send_test(send_test_body(opening, "http://localhost:8000/x"))
    assert refused.status_code == 422
    allowed = greenhouse.send_test(send_test_body(opening, "http://127.0.0.1:8000/x"))
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("interview_id", "status", "says"),
    [
        ("", 400, "partner_interview_id is missing"),
        ("424242", 404, "No interview has partner_interview_id '424242'"),
        ("abc", 404, "No interview has partner_interview_id 'abc'"),
        ("9" * 18, 404, "No interview"),
        ("9" * 40, 404, "No interview"),
        ("١٢", 404, "No interview"),
    ],
)
def test_unknown_interview_is_refused_clearly(app, greenhouse, interview_id, status, says):
    response = greenhouse.test_status(interview_id)
    assert response.status_code == status
    assert says in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"errors": ["x"]}, "api_call is missing"),
        ({"api_call": "list_tests"}, "errors must be a list of strings"),
        ({"api_call": "list_tests", "errors": [1, 2]}, "errors must be a list of strings"),
    ],
)
def test_bad_response_error_is_refused_and_not_recorded(app, greenhouse, body, says):
    response = greenhouse.response_error(body)
    assert response.status_code == 422
    assert says in response.json()["error"]
    assert nothing_saved(app)


def test_wrong_method_is_a_json_405(greenhouse):
    response = greenhouse.call("GET", "send_test")
    assert response.status_code == 405
