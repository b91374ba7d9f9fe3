"""SQL injection: payloads in every URL argument, query parameter and form field of
every route give no 500 and no database error text.

The routes come from `app.url_map`, so a new route is walked without being listed
here. Each is requested as a role its policy admits, on the demo organisation (so ids
point at real records and views run their whole query path), first with sample URL
values and payloads in every query parameter the views read and in every form field
the app has, then with payloads in each URL argument that takes text. Routes that
delete or sign out run last, so they do not take the records away from the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import wtforms
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter, Rule

from coachkit import demo
from coachkit.auth.access import policy_for
from coachkit.auth.models import Role, User
from coachkit.calibration.models import CalibrationRound
from coachkit.coaching.models import ActionItem, CoachingSession
from coachkit.extensions import db
from coachkit.hiring import demo as hiring_demo
from coachkit.hiring.models import Answer, Candidate, Handover, Opening
from coachkit.notifications.models import Notification, OutboxMessage
from coachkit.teams.models import Membership, Position, Team
from coachkit.training.models import Assignment, Attempt
from tests.conftest import signed_in
from tests.security.payloads import blns_section

DEMO_PASSWORD = "injection-demo-passphrase"
SOURCE = Path(__file__).resolve().parents[2] / "coachkit"

# Every value goes into every parameter and field of every route.
CORE = [
    "' OR 1=1 --",
    "1; DROP TABLE users",
    '" OR ""="',
    "1' UNION SELECT email, password_hash FROM users --",
    "' ; SELECT pg_sleep(5) --",
    "%27%20OR%201%3D1",
    "\\x27 OR 1=1",
    "99999999999999999999999999999999",
    "ʼ OR ʼ1ʼ=ʼ1",  # a modifier apostrophe, which some drivers once normalised to '
]
# These also go into the user search and the sign-in form.
EXTENDED = [
    *CORE,
    "-1",
    "'",
    '"',
    "\\",
    "%",
    "_",
    "[a-z]%",
    "1e309",
    "0x7FFFFFFF",
    "NaN",
    "1) OR (1=1",
    "' AND 1=CAST((SELECT version()) AS int) --",
    "'; WAITFOR DELAY '0:0:5' --",
    "$$; DROP TABLE users; $$",
    "E'\\''",
    "admin'--",
    "ö' OR 'ä'='ä",
    "*/ OR 1=1 /*",
    *blns_section("SQL Injection"),
]
DATABASE_ERRORS = re.compile(
    r"sqlite3|psycopg|OperationalError|ProgrammingError|IntegrityError|DataError|"
    r"syntax error|SQLSTATE|Traceback|sqlalchemy",
    re.IGNORECASE,
)
# Routes whose POST removes a sample record or ends sessions: walked last (sign-out
# at the very end: signing in again would meet the sign-in throttle).
DESTRUCTIVE = ("delete", "deactivate", "remove_member", "revoke", "account")
# Who walks a route: the first role here its policy admits.
ROLE_ORDER = [Role.EMPLOYEE, Role.MANAGER, Role.RECRUITER, Role.ADMIN]


def query_parameters() -> set[str]:
    """Every request.args key the app reads: `args.get("...")` anywhere in coachkit,
    and the fields of forms bound to request.args (the user search)."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r"args\.get\(\s*[\"'](\w+)[\"']", path.read_text()))
    from coachkit.people.forms import UserSearchForm

    names |= {name for name, _ in _unbound(UserSearchForm)}
    return names | {"page"}


def _unbound(form_class: type) -> Iterator[tuple[str, object]]:
    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if isinstance(value, wtforms.fields.core.UnboundField):
            yield name, value


def form_fields() -> set[str]:
    """The name of every field of every WTForms form class the app defines (the rows
    of field lists included, as `list-0-field`)."""
    names: set[str] = set()
    pending = list(wtforms.Form.__subclasses__())
    seen = set()
    while pending:
        form_class = pending.pop()
        if form_class in seen:
            continue
        seen.add(form_class)
        pending += form_class.__subclasses__()
        if not form_class.__module__.startswith("coachkit"):
            continue
        for name, unbound in _unbound(form_class):
            names.add(name)
            if unbound.field_class is wtforms.FieldList:
                inner = unbound.args[0]
                if inner.field_class is wtforms.FormField:
                    names |= {f"{name}-0-{sub}" for sub, _ in _unbound(inner.args[0])}
                else:
                    names.add(f"{name}-0")
    return names


@pytest.fixture(scope="module")
def demo_app(module_app: Flask) -> Flask:
    with module_app.app_context():
        demo.create(DEMO_PASSWORD)
        db.session.commit()
    return module_app


@pytest.fixture(scope="module")
def samples(demo_app: Flask) -> tuple[dict[Role, str], dict[str, object]]:
    """A demo person per role (an employee with coaching and training, the manager of
    their team) and URL values that point at records those people may see."""
    with demo_app.app_context():
        s = db.session
        employee = s.scalar(
            select(User)
            .join(CoachingSession, CoachingSession.employee_id == User.id)
            .join(ActionItem, ActionItem.session_id == CoachingSession.id)
            .join(Attempt, Attempt.user_id == User.id)
            .where(User.role == Role.EMPLOYEE)
            .order_by(User.id)
            .limit(1)
        )
        membership = s.scalar(select(Membership).where(Membership.user_id == employee.id))
        manager = s.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.team_id == membership.team_id, Membership.position == Position.MANAGER
            )
        )
        session = s.scalar(
            select(CoachingSession).where(CoachingSession.employee_id == employee.id).limit(1)
        )
        answer = next(a for a in s.scalars(select(Answer).order_by(Answer.id)) if "text" in a.value)
        candidate = s.get(Candidate, answer.candidate_id)
        handover = s.scalar(select(Handover).order_by(Handover.id).limit(1))
        token = hiring_demo.try_it_token()
        preview_id = _author_preview(employee)
        s.commit()
        emails = {
            Role.EMPLOYEE: employee.email,
            Role.MANAGER: manager.email,
            Role.ADMIN: s.scalar(select(User.email).where(User.role == Role.ADMIN)),
            Role.RECRUITER: s.scalar(
                select(User.email)
                .join(Opening, Opening.created_by_id == User.id)
                .where(Opening.id == candidate.opening_id)
            ),
        }
        values = {
            "user_id": employee.id,
            "team_id": membership.team_id,
            "membership_id": membership.id,
            "session_id": session.id,
            "action_id": s.scalar(select(ActionItem.id).where(ActionItem.session_id == session.id)),
            "attempt_id": s.scalar(select(Attempt.id).where(Attempt.user_id == employee.id)),
            "assignment_id": s.scalar(select(func.min(Assignment.id))) or 1,
            "opening_id": candidate.opening_id,
            "candidate_id": candidate.id,
            "item_id": answer.item_id,
            "handover_id": handover.id if handover else 1,
            "token": token,
            "position": 1,
            "slug": "charged-twice",
            "filename": "coachkit.css",
            "what": "sessions",
            # The employee walks the notification centre (the first role it admits).
            "notification_id": s.scalar(
                select(Notification.id).where(Notification.recipient_id == employee.id)
            ),
            "message_id": s.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id)),
            # SCIM (no bearer token here: 401 before anything; with one, tests/scim)
            "name": "User",
            "urn": "urn:ietf:params:scim:schemas:core:2.0:User",
            "unknown": "no-such-endpoint",
            "group_id": 1,
            "token_id": 1,
            "key_id": 1,  # Greenhouse partner keys
            "rest": "cut-off/link",  # candidate pages' catch-all
            "round_id": s.scalar(select(func.min(CalibrationRound.id))) or 1,
            "preview_id": preview_id,
        }
        assert s.scalar(select(Team.id).where(Team.id == membership.team_id))
    return emails, values


def _author_preview(employee: User) -> int:
    """The employee walks the authoring pages too (given the permission): their preview
    of a shipped module."""
    from coachkit.authoring.models import Preview, PreviewKind
    from coachkit.content.library import library

    employee.is_author = True
    module = library().modules["charged-twice"]
    preview = Preview(
        owner_id=employee.id,
        kind=PreviewKind.MODULE,
        file_name=module.slug,
        source=module.path.read_text(encoding="utf-8"),
        progress={},
    )
    preview.touch()
    db.session.add(preview)
    db.session.flush()
    return preview.id


@pytest.fixture(scope="module")
def walkers(demo_app, samples) -> dict[Role | None, FlaskClient]:
    emails, _ = samples
    clients: dict[Role | None, FlaskClient] = {
        role: signed_in(demo_app, _Login(email)) for role, email in emails.items()
    }
    clients[None] = demo_app.test_client()
    return clients


class _Login:
    """What `signed_in` needs of a person."""

    def __init__(self, email: str) -> None:
        self.email, self.password = email, DEMO_PASSWORD


def _walker(app: Flask, endpoint: str) -> Role | None:
    policy = policy_for(app, endpoint)
    if policy.public:
        return None
    # The employee has the author permission here (`_author_preview`).
    return next(role for role in ROLE_ORDER if policy.admits(role, author=role == Role.EMPLOYEE))


def _text_arguments(rule: Rule) -> list[str]:
    """URL arguments whose converter accepts text (not numbers, not a fixed choice)."""
    return [
        name
        for name, converter in rule._converters.items()
        if type(converter).__name__ in {"UnicodeConverter", "PathConverter"}
    ]


def _url(app: Flask, rule: Rule, values: dict[str, object], **override: object) -> str:
    arguments = {name: values[name] for name in rule.arguments} | override
    with app.test_request_context():
        return app.url_for(rule.endpoint, **arguments)


def _problem(label: str, send) -> str | None:
    try:
        response = send()
    except Exception as error:  # any exception here is the finding
        return f"{label}: raised {type(error).__name__}: {str(error)[:200]}"
    body = response.get_data().decode("utf-8", "replace")  # the logo is an image
    response.close()
    if response.status_code >= 500:
        return f"{label}: HTTP {response.status_code}"
    if match := DATABASE_ERRORS.search(body):
        return f"{label}: database error text {match[0]!r}"
    return None


def _rules(app: Flask) -> list[Rule]:
    """Every rule, by URL (a candidate's consent comes before their items and hand-in),
    the destructive ones last, signing out at the very end."""
    return sorted(
        app.url_map.iter_rules(),
        key=lambda r: (
            r.endpoint == "auth.logout",
            r.endpoint.rsplit(".", 1)[-1] in DESTRUCTIVE,
            r.rule,
        ),
    )


def test_search_and_sign_in_take_every_payload(demo_app, samples, walkers):
    """The two places where typed text meets a query most directly."""
    admin, anonymous = walkers[Role.ADMIN], walkers[None]
    problems = []
    for payload in EXTENDED:
        problems.append(
            _problem(f"search {payload}", lambda: admin.get(f"/people/?q={quote(payload)}"))  # noqa: B023
        )
        problems.append(
            _problem(
                f"login {payload}",
                lambda: anonymous.post("/login", data={"email": payload, "password": payload}),  # noqa: B023
            )
        )
    assert [p for p in problems if p] == []
    # The search matched the text literally: a quote finds nobody, not everybody.
    page = admin.get(f"/people/?q={quote(CORE[0])}").get_data(as_text=True)
    assert "demo.coachkit.example" not in page


def test_long_numbers_in_integer_arguments_are_not_found(demo_app, samples, walkers):
    _, values = samples
    problems = []
    for rule in demo_app.url_map.iter_rules():
        numbers = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if not numbers or "GET" not in rule.methods:
            continue
        client = walkers[_walker(demo_app, rule.endpoint)]
        for name in numbers:
            url = _url(demo_app, rule, values, **{name: 10**30})
            response = client.get(url)
            if response.status_code != 404:
                problems.append(f"{url}: {response.status_code}")
    assert problems == []


# Last in the module: it deactivates, deletes and signs out the sample people.
def test_payloads_in_every_parameter_give_no_database_error(demo_app, samples, walkers):
    _, values = samples
    parameters, fields = sorted(query_parameters()), sorted(form_fields())
    assert {"q", "sort", "skill", "next", "page"} <= set(parameters)
    assert {"went_well", "actions-0-text", "name", "email", "text", "comment"} <= set(fields)
    problems, walked = [], set()
    for rule in _rules(demo_app):
        role = _walker(demo_app, rule.endpoint)
        client = walkers[role]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        base = _url(demo_app, rule, values)
        for payload in CORE:
            query = urlencode(dict.fromkeys(parameters, payload))
            for method in methods:
                data = dict.fromkeys(fields, payload) if method == "POST" else None
                label = f"{role} {method} {rule.rule} [{payload}]"
                send = lambda: client.open(f"{base}?{query}", method=method, data=data)  # noqa: B023,E731
                problems.append(_problem(label, send))
        for argument in _text_arguments(rule):
            for payload in CORE:
                url = _url(demo_app, rule, values, **{argument: payload})
                for method in methods:
                    label = f"{role} {method} {rule.rule} <{argument}={payload}>"
                    problems.append(_problem(label, lambda: client.open(url, method=method)))  # noqa: B023
        walked.add(rule.endpoint)
    assert walked == {rule.endpoint for rule in demo_app.url_map.iter_rules()}
    assert [p for p in problems if p] == []
