"""Every page, for every role and for a candidate, is valid HTML (the Nu HTML checker).

The pages come from tests/site_pages.py, which walks `app.url_map`; they are fetched
with the test client from the demo organisation on SQLite and checked in one run of
vnu.jar (installed from npm by `make test`, run with Java).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coachkit import create_app, demo
from coachkit.auth.access import allow
from coachkit.auth.models import Role
from coachkit.extensions import db
from tests.conftest import base_config, login
from tests.site_pages import (
    CANDIDATE,
    CSRF_FIELD,
    NOT_HTML,
    PEOPLE,
    REDIRECTS,
    VISITOR,
    Page,
    Uncovered,
    check_coverage,
    endpoint_of,
    site_pages,
)

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PASSWORD = "html-check-demo-passphrase"
CANARY = "zz-canary-invalid.html"


@pytest.fixture(scope="module")
def demo_app(databases) -> Iterator[Flask]:
    # MAIL_PREVIEW: the outbox pages show each message rendered, as in debug mode.
    app = create_app(base_config(databases.new("sqlite"), WTF_CSRF_ENABLED=True, MAIL_PREVIEW=True))
    with app.app_context():
        db.create_all()
        demo.create(PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def pages(demo_app: Flask) -> dict[str, list[Page]]:
    return site_pages(demo_app)


def fetch(client: FlaskClient, page: Page) -> Any:
    """GET the page, or POST its form with the CSRF token of the page holding the form;
    redirects followed."""
    if page.form is None:
        return client.get(page.url, follow_redirects=True)
    source = client.get(page.form_page, follow_redirects=True).get_data(as_text=True)
    token = CSRF_FIELD.search(source)
    assert token, f"no CSRF token on {page.form_page}"
    data = {**page.form, "csrf_token": token.group(1)}
    return client.post(page.url, data=data, follow_redirects=True)


def client_for(app: Flask, principal: str) -> FlaskClient:
    client = app.test_client()
    if principal in PEOPLE:
        response = login(client, demo.email_for(PEOPLE[principal]), PASSWORD)
        assert response.status_code == 302
    return client


def vnu_errors(folder: Path) -> list[dict[str, Any]]:
    """The checker's errors for every .html file in `folder`, in one run."""
    java = shutil.which("java")
    assert java, "the HTML check needs Java (java on PATH)"
    assert VNU.exists(), f"{VNU} is missing: run `make test` (npm ci) to install vnu-jar"
    run = subprocess.run(  # noqa: S603 - fixed arguments
        # The quick JIT tier (with the deeper stack the schema then needs) halves the
        # checker's CPU time here; language detection only ever gives warnings.
        [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU)]
        + ["--errors-only", "--no-langdetect", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = run.stderr.strip() or run.stdout.strip()
    assert report, f"vnu printed nothing (exit {run.returncode})"
    return [
        m
        for m in json.loads(report)["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]


def test_every_page_is_valid_html(demo_app, pages, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    problems = []
    for principal, listed in pages.items():
        client = client_for(demo_app, principal)
        for number, page in enumerate(listed):
            response = fetch(client, page)
            text = response.get_data(as_text=True)
            if response.status_code != page.status:
                problems.append(
                    f"{principal} {page.url}: {response.status_code}, not {page.status}"
                )
            if page.shows and page.shows not in text:
                problems.append(f"{principal} {page.name}: does not show {page.shows!r}")
            if not response.content_type.startswith("text/html"):
                problems.append(f"{principal} {page.url}: {response.content_type}")
            (folder / f"{principal}-{number:03d}-{page.name}.html").write_text(text)
    assert problems == []
    assert sum(len(listed) for listed in pages.values()) == len(list(folder.iterdir()))
    # A broken page in the same run shows the checker really reports errors.
    (folder / CANARY).write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><p id="a"></p><p id="a"></p></body></html>'
    )
    messages = vnu_errors(folder)
    assert any(Path(m.get("url", "")).name == CANARY for m in messages)
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
        if Path(m.get("url", "")).name != CANARY
    ]
    assert errors == [], "\n".join(errors)


def test_pages_left_out_are_not_html(demo_app, pages):
    """Only files, the health check and downloads are left out of the HTML checks."""
    url = demo_app.url_for
    with demo_app.test_request_context():
        opening, team = endpoint_arguments(
            demo_app, pages["admin"], "hiring.openings.show", "teams.show"
        )
        (preview,) = endpoint_arguments(demo_app, pages["employee"], "authoring.show")
        left_out = {
            "static": ("admin", url("static", filename="coachkit.css")),
            "home.healthz": (VISITOR, url("home.healthz")),
            "hiring.candidates.export": ("admin", url("hiring.candidates.export", **opening)),
            "coaching.export_team": (
                "manager",
                url("coaching.export_team", **team, what="actions"),
            ),
            "my_coaching.export_mine": (
                "employee",
                url("my_coaching.export_mine", what="sessions"),
            ),
            "organisation.logo": (VISITOR, url("organisation.logo")),
            "organisation.brand_css": (VISITOR, url("organisation.brand_css")),
            "authoring.download": ("employee", url("authoring.download", **preview)),
        }
    assert set(left_out) == NOT_HTML
    for endpoint, (principal, address) in left_out.items():
        response = client_for(demo_app, principal).get(address)
        assert response.status_code == 200, endpoint
        assert not response.content_type.startswith("text/html"), endpoint
        response.close()


def test_redirects_left_out_lead_to_listed_pages(demo_app, pages):
    """The old addresses left out of the checks answer a permanent redirect to a page
    that is checked, query included."""
    with demo_app.test_request_context():
        (person,) = endpoint_arguments(demo_app, pages["admin"], "people.edit")
    moved = {
        "/admin/users/?role=manager": "/people/?role=manager",
        "/admin/users/new": "/people/new",
        f"/admin/users/{person['user_id']}/edit": f"/people/{person['user_id']}/edit",
    }
    assert {endpoint_of(demo_app, old) for old in moved} == REDIRECTS
    listed = {page.url.partition("?")[0] for page in pages["admin"]}
    client = client_for(demo_app, "admin")
    for old, new in moved.items():
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new)
        assert new.partition("?")[0] in listed


def endpoint_arguments(app: Flask, listed: list[Page], *endpoints: str) -> list[dict[str, Any]]:
    """The URL arguments of the first listed page of each endpoint."""
    adapter = app.url_map.bind("localhost")
    found = {}
    for page in listed:
        if page.form is not None:  # a form's post may go to a POST-only route
            continue
        endpoint, arguments = adapter.match(page.url.partition("?")[0], method="GET")
        found.setdefault(endpoint, arguments)
    return [found[endpoint] for endpoint in endpoints]


def test_a_page_nobody_reaches_fails_the_list(pages):
    """A new GET route without values for its arguments is reported, not skipped."""
    app = create_app(base_config("sqlite://"))
    app.add_url_rule(
        "/widgets/<int:widget_id>", "widgets.show", allow(Role.MANAGER)(lambda widget_id: "")
    )
    with pytest.raises(Uncovered, match="manager: /widgets/<int:widget_id>"):
        check_coverage(app, pages)
    assert {VISITOR, CANDIDATE} < set(pages)
