"""Fixtures for the attack tests: one app and database per engine for a whole module
(saving a corpus of payloads through the forms is too slow to repeat per test), one
person per role, and a crawler that fetches every page a role can reach."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team
from tests.conftest import ENGINES, PASSWORD, Person, base_config, signed_in


@pytest.fixture(scope="module", params=ENGINES)
def module_app(request: pytest.FixtureRequest, databases) -> Iterator[Flask]:
    """An app on a fresh database of its own, kept for the whole test module."""
    app = create_app(base_config(databases.new(request.param)))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@dataclass(frozen=True)
class Cast:
    admin: Person
    manager: Person
    employee: Person
    recruiter: Person
    team_id: int

    def by_role(self) -> dict[Role, Person]:
        return {
            Role.ADMIN: self.admin,
            Role.MANAGER: self.manager,
            Role.EMPLOYEE: self.employee,
            Role.RECRUITER: self.recruiter,
        }


@pytest.fixture(scope="module")
def cast(module_app: Flask) -> Cast:
    """One person per role; the manager manages a team the employee belongs to."""
    people = {}
    with module_app.app_context():
        hashed = hash_password(PASSWORD)
        for role in Role:
            user = User(email=f"{role.value}@cast.example", name=f"Cast {role.label}", role=role)
            user.password_hash = hashed
            db.session.add(user)
            db.session.flush()
            people[role] = Person(user.id, user.email, user.name, role)
        team = Team(name="Cast team")
        db.session.add(team)
        db.session.add(
            Membership(team=team, user_id=people[Role.MANAGER].id, position=Position.MANAGER)
        )
        db.session.add(
            Membership(team=team, user_id=people[Role.EMPLOYEE].id, position=Position.MEMBER)
        )
        db.session.commit()
        team_id = team.id
    return Cast(
        people[Role.ADMIN],
        people[Role.MANAGER],
        people[Role.EMPLOYEE],
        people[Role.RECRUITER],
        team_id,
    )


@pytest.fixture(scope="module")
def clients(module_app: Flask, cast: Cast) -> dict[Role, FlaskClient]:
    """A signed-in test client per role."""
    return {role: signed_in(module_app, person) for role, person in cast.by_role().items()}


# --- Crawling --------------------------------------------------------------------------

HREF = re.compile(r'href="([^"]*)"')
SKIPPED_PREFIXES = ("/static/", "/logout")


@dataclass
class Fetched:
    url: str
    status: int
    mimetype: str
    body: str


@dataclass
class Crawl:
    """Pages fetched by one client, by URL."""

    pages: dict[str, Fetched] = field(default_factory=dict)

    def html(self) -> Iterable[Fetched]:
        return (p for p in self.pages.values() if p.mimetype == "text/html")

    def csv(self) -> Iterable[Fetched]:
        return (p for p in self.pages.values() if p.mimetype == "text/csv")

    def holding(self, text: str) -> list[str]:
        """URLs of the fetched pages whose markup (entities decoded) contains `text`."""
        return [p.url for p in self.pages.values() if text in html.unescape(p.body)]


def _links(body: str) -> Iterator[str]:
    for raw in HREF.findall(body):
        parts = urlsplit(html.unescape(raw))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    app: Flask,
    client: FlaskClient,
    seeds: Iterable[str],
    *,
    every: Iterable[str] = (),
    per_kind: int = 3,
) -> Crawl:
    """Fetch `seeds` and `every`, then follow on-site links (GET only). Links to pages
    of one kind (the same endpoint and query parameters, pagination aside) are followed
    at most `per_kind` times, so a list of hundreds of records costs a sample; the
    pages in `every` are always fetched."""
    adapter = app.url_map.bind("localhost")
    result, seen, kinds = Crawl(), set(), Counter()
    queue = [*dict.fromkeys([*every, *seeds])]
    forced = set(every)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path, _, query = url.partition("?")
        try:
            endpoint = adapter.match(path, method="GET")[0]
        except HTTPException:
            endpoint = path
        kind = (endpoint, frozenset(k for k, _ in parse_qsl(query)) - {"page"})
        kinds[kind] += 1
        if kinds[kind] > per_kind and url not in forced:
            continue
        response = client.get(url)
        body = response.get_data(as_text=True)
        result.pages[url] = Fetched(url, response.status_code, response.mimetype or "", body)
        if response.mimetype == "text/html":
            queue.extend(link for link in _links(body) if link not in seen)
    return result
