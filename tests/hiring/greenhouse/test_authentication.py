"""Greenhouse authenticates with the organisation's partner key as the HTTP Basic user
name and an empty password; anything else is refused with 401 and a Basic challenge,
on every endpoint, before the request body is looked at."""

from __future__ import annotations

import base64

import pytest
import requests
from sqlalchemy import func, select

from coachkit.extensions import db
from coachkit.hiring.greenhouse import keys
from coachkit.hiring.greenhouse.models import PartnerKey
from coachkit.hiring.models import Candidate
from tests.hiring.greenhouse.conftest import TIMEOUT, Greenhouse, make_key, send_test_body

ENDPOINTS = [
    ("GET", "list_tests"),
    ("POST", "send_test"),
    ("GET", "test_status"),
    ("POST", "response_error"),
]


def assert_refused(response: requests.Response) -> None:
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="coachkit Greenhouse"'
    assert response.headers["Content-Type"] == "application/json"
    assert "partner key" in response.json()["error"]


@pytest.mark.parametrize(("method", "name"), ENDPOINTS)
def test_no_key_wrong_key_and_revoked_key_are_refused(app, live, key, method, name):
    revoked = make_key(app, "Old")
    with app.app_context():
        keys.revoke(db.session.scalar(select(PartnerKey).where(PartnerKey.name == "Old")))
        db.session.commit()
    for attempt in (None, key[:-1] + ("A" if key[-1] != "A" else "B"), revoked, ""):
        assert_refused(Greenhouse(live, attempt).call(method, name, json={}))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer {key}",
        "Basic not-base64!",
        "Basic " + base64.b64encode(b"\xff\xfe:").decode(),
        "Basic " + base64.b64encode(b":{key}").decode(),  # the key as the password
        "Basic",
    ],
)
def test_malformed_authorization_is_refused(live, key, header):
    response = requests.get(
        f"{live}/api/greenhouse/list_tests",
        headers={"Authorization": header.format(key=key)},
        timeout=TIMEOUT,
    )
    assert_refused(response)


def test_a_refused_send_test_changes_nothing(app, live, make_opening):
    opening = make_opening()
    response = Greenhouse(live, "coachkit_gh_guessed").send_test(
        send_test_body(str(opening), "https://app.greenhouse.io/x")
    )
    assert_refused(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidate.id))) == 0


def test_a_key_works_until_revoked_and_records_its_last_use(app, live, key):
    greenhouse = Greenhouse(live, key)
    assert greenhouse.list_tests().status_code == 200
    with app.app_context():
        record = db.session.scalar(select(PartnerKey))
        assert record.last_used_at is not None
        assert record.key_hash != key and key not in record.seed
        keys.revoke(record)
        db.session.commit()
    assert_refused(greenhouse.list_tests())


def test_keys_are_kept_as_digests_and_fit_greenhouse(app):
    with app.app_context():
        plain, record = keys.create("Greenhouse")
        assert plain.startswith(keys.PREFIX) and len(plain) < 171
        assert record.key_hash == keys.token_digest(plain)
        assert keys.credentials(record) == plain  # made again for coachkit's own PATCH
        app.config["SECRET_KEY"] = "another-secret"
        assert keys.credentials(record) is None
        db.session.rollback()


def test_http_callback_hosts_are_read_from_the_environment():
    from coachkit.config import from_environment

    found = from_environment({"ALLOW_HTTP_CALLBACK_HOSTS": "127.0.0.1, Greenhouse.Test ,"})
    assert found["ALLOW_HTTP_CALLBACK_HOSTS"] == ("127.0.0.1", "greenhouse.test")
    assert "ALLOW_HTTP_CALLBACK_HOSTS" not in from_environment({})
