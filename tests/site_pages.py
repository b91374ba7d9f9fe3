"""Every HTML page of coachkit, per role, with real ids from the demo organisation.

`site_pages(app)` walks `app.url_map`: each GET endpoint is listed for every role its
access policy admits, its URL arguments filled from the demo database. A new GET route
whose arguments have no value here, or a page nobody reaches, raises `Uncovered`, so
no page escapes the accessibility and HTML checks that use this list. Only the
endpoints in NOT_HTML (files, health check, CSV downloads) and REDIRECTS (old
addresses) are left out; a test checks that they indeed answer something other than
HTML, or a redirect to a page on the list.

Besides plain GETs the list holds pages in the states worth checking: forms showing
their errors (a POST of missing or wrong values), the training player mid-module and
its results, empty lists, and the candidate's whole journey on a fresh invite link
(welcome, each situation, review, thank-you and the voluntary questions, plus the 410
page of an expired and of a revoked link).

The demo has a few gaps for this purpose (admins and managers have no practice
attempts, no manager is coached, every hired candidate is handed over);
`site_pages` fills them once, through the domain functions, on the app it is given.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from coachkit import demo
from coachkit.auth import password_links
from coachkit.auth.access import policy_for
from coachkit.auth.models import Role, User
from coachkit.calibration.models import CalibrationRound
from coachkit.coaching import demo as coaching_demo
from coachkit.coaching import record
from coachkit.coaching.models import CoachingSession
from coachkit.content.exercises import Item
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import demo as hiring_demo
from coachkit.hiring import invitations
from coachkit.hiring.candidates import decisions
from coachkit.hiring.models import Candidate, CandidateStatus, Handover, Opening
from coachkit.notifications import unsubscribe
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage
from coachkit.teams import roster
from coachkit.teams.models import Position, Team
from coachkit.training.models import Attempt, AttemptStatus

ROLES = ("admin", "manager", "employee", "recruiter")
VISITOR = "visitor"  # signed out: the login and set-password pages
CANDIDATE = "candidate"  # signed out, on an invite link
# GET endpoints that answer something other than an HTML page (checked by a test).
NOT_HTML = frozenset(
    {
        "static",
        "home.healthz",
        "hiring.candidates.export",
        "coaching.export_team",
        "my_coaching.export_mine",
        "organisation.logo",  # an image (tests/organisation/test_settings.py)
        "organisation.brand_css",  # a stylesheet (tests/organisation/test_settings.py)
        "authoring.download",
    }
)
# GET endpoints that only redirect an old address to its page (checked by a test).
REDIRECTS = frozenset({"people.moved"})
# The SCIM API: JSON for identity providers with a bearer token, no page for people
# (tests/scim/test_tokens.py checks every endpoint answers application/scim+json).
BEARER_API = frozenset(
    {
        "scim.service_provider_config",
        "scim.resource_types",
        "scim.resource_type",
        "scim.schemas",
        "scim.schema",
        "scim.unknown",
        "scim.users_index",
        "scim.user",
        "scim.groups_index",
        "scim.group",
    }
)
# Greenhouse's partner API: JSON for Greenhouse with a partner key, no page for people
# (tests/hiring/greenhouse/ checks each endpoint's answers and its 401).
PARTNER_API = frozenset(
    {
        "hiring.greenhouse.list_tests",
        "hiring.greenhouse.test_status",
    }
)
LEFT_OUT = NOT_HTML | REDIRECTS | BEARER_API | PARTNER_API
# Who plays each role: a demo person with records in every state the pages show.
PEOPLE = {
    "admin": demo.ADMIN,
    "manager": demo.TEAMS[0].manager,
    "employee": "Priya Nair",  # a module in progress, finished modules, coaching sessions
    "recruiter": demo.RECRUITER,
}
# Given the author permission here, so the authoring pages are checked too (issue 24).
AUTHORS_HERE = ("employee", "manager")
ERROR = 'class="error'  # what a form showing a field's error contains (see _macros.html)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Uncovered(AssertionError):
    """A page the list cannot reach: add a value for its arguments in this module."""


@dataclass(frozen=True)
class Page:
    """One page to check: GET `url`, or, with `form`, POST those fields to `url` (with
    the CSRF token of `source`, default `url`) and check where that lands."""

    name: str
    url: str
    form: Mapping[str, str] | None = None
    source: str | None = None
    status: int = 200
    shows: str | None = None  # text the page must contain: proof of the intended state

    @property
    def form_page(self) -> str:
        return self.source or self.url


@dataclass
class _Ids:
    """Ids of demo records, per role where records belong to the signed-in person."""

    in_progress: dict[str, int] = field(default_factory=dict)
    in_progress_after_each: int = 0  # the employee's, past a reply and its feedback
    completed: dict[str, int] = field(default_factory=dict)
    own_session: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def site_pages(app: Flask) -> dict[str, list[Page]]:
    """The pages of each role, of the signed-out visitor and of a candidate (in order:
    the candidate's pages follow one journey and change its state on the way)."""
    with app.test_request_context():
        ids = _prepare()
        db.session.commit()
        pages = {role: _walk(app, ids, role) + _states(app, ids, role) for role in ROLES}
        pages[VISITOR] = _walk(app, ids, VISITOR) + _visitor_states(app)
        pages[CANDIDATE] = _candidate_journey(app)
        db.session.commit()
    check_coverage(app, pages)
    return pages


def endpoint_of(app: Flask, url: str) -> str | None:
    """The endpoint a URL reaches (None for no route: the 404 page)."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(url.partition("?")[0], method="GET")
    except HTTPException:
        return None
    return str(endpoint)


# Values for URL arguments ----------------------------------------------------------


def _url_values(ids: _Ids, role: str) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Arguments per endpoint where they depend on each other or on the role, and
    lists of values per argument name for the rest."""
    v = ids.values
    main, second = v["opening"], v["second_opening"]
    own_exercise = v.get(f"preview_exercise_{role}")  # none for visitors
    playing, done, broken = (
        v.get(f"preview_{state}_{role}") for state in ("playing", "done", "broken")
    )
    specific: dict[str, list[dict[str, Any]]] = {
        "training.play": [{"attempt_id": ids.in_progress.get(role)}],
        "training.results": [{"attempt_id": ids.completed.get(role)}],
        "my_coaching.show": [{"session_id": ids.own_session.get(role)}],
        "hiring.candidates.show": [
            {"opening_id": main, "candidate_id": v[name]}
            for name in ("scored_candidate", "new_candidate", "started_candidate")
        ],
        "hiring.rating.rate": [
            {
                "opening_id": main,
                "candidate_id": v["submitted_candidate"],
                "item_id": v["open_item"],
            }
        ],
        "notifications.unsubscribe": [{"token": v["unsubscribe_token"]}],
        # Single sign-on is not configured here: its callback's 404 is a visitor state.
        "oidc.callback": [],
        # A hired candidate to hand over (the form) and one handed over (the receipt).
        "hiring.handovers.new": [
            {"candidate_id": v["hired_candidate"]},
            {"candidate_id": v["handed_over"]},
        ],
        # Previews (issue 24): a file with problems and one being played; a module
        # played to the end; each role's exercise preview, page by page.
        "authoring.show": [
            {"preview_id": playing},
            {"preview_id": broken},
        ],
        "authoring.module.play": [{"preview_id": playing}],
        "authoring.module.results": [{"preview_id": done}],
        **{
            f"authoring.exercise.{name}": [{"preview_id": own_exercise}]
            for name in ("welcome", "review", "done")
        },
        "authoring.exercise.item": [
            {"preview_id": own_exercise, "position": position}
            for position in range(1, v["preview_items"] + 1)
        ],
    }
    general = {
        "user_id": [v["employee"]],
        "team_id": [v["team"]],
        "session_id": [v["coached_session"]],
        "slug": [demo.DEMO_MODULE],
        "opening_id": [main, second],  # the second has no answers yet: empty reports
        "handover_id": [v["handover"]],
        "token": [v["password_token"]],
        "message_id": [v["outbox_message"]],
        "round_id": [v["calibration_round"]],
    }
    return specific, general


def _walk(app: Flask, ids: _Ids, principal: str) -> list[Page]:
    """Every GET endpoint the principal may use, with its arguments filled in."""
    specific, general = _url_values(ids, principal)
    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if "GET" not in (rule.methods or ()) or rule.endpoint in LEFT_OUT:
            continue
        if not _admits(app, rule.endpoint, principal) or rule.endpoint.startswith(
            "hiring.screening."
        ):
            continue  # the candidate's pages need a journey: _candidate_journey
        if rule.endpoint in specific:
            combinations = specific[rule.endpoint]
        elif all(arg in general for arg in rule.arguments):
            names = sorted(rule.arguments)
            combinations = [
                dict(zip(names, values, strict=True))
                for values in itertools.product(*(general[name] for name in names))
            ]
        else:
            continue  # reported by check_coverage
        for number, arguments in enumerate(combinations):
            if any(value is None for value in arguments.values()):
                continue
            url = app.url_for(rule.endpoint, **arguments)
            pages.append(Page(f"{rule.endpoint}-{number}", url))
    return pages


def _admits(app: Flask, endpoint: str, principal: str) -> bool:
    policy = policy_for(app, endpoint)
    if policy is None:
        return False  # tests/app/test_access.py fails on it
    if principal in (VISITOR, CANDIDATE):
        return policy.public
    # Public pages are checked signed out (signed in, the login page only redirects).
    return not policy.public and policy.admits(Role(principal), author=principal in AUTHORS_HERE)


def check_coverage(app: Flask, pages: Mapping[str, list[Page]]) -> None:
    """Every HTML GET endpoint is on the list of every principal it admits."""
    reached = {
        principal: {endpoint_of(app, page.url) for page in listed}
        for principal, listed in pages.items()
    }
    missing = []
    for rule in app.url_map.iter_rules():
        policy = policy_for(app, rule.endpoint)
        if "GET" not in (rule.methods or ()) or rule.endpoint in LEFT_OUT or policy is None:
            continue
        if policy.public:
            principals = [CANDIDATE if rule.endpoint.startswith("hiring.screening.") else VISITOR]
        else:
            principals = [
                role for role in ROLES if policy.admits(Role(role), author=role in AUTHORS_HERE)
            ]
        missing += [f"{p}: {rule.rule}" for p in principals if rule.endpoint not in reached[p]]
    if missing:
        raise Uncovered(
            "pages without a way to reach them (add values in tests/site_pages.py): "
            + ", ".join(sorted(missing))
        )


# Pages in particular states ------------------------------------------------------------


def _states(app: Flask, ids: _Ids, role: str) -> list[Page]:
    """Forms showing errors and empty lists, for the role's own pages."""
    url, v = app.url_for, ids.values
    pages = [
        Page("account-errors", url("auth.account"), form={}, shows=ERROR),
        Page(
            "notifications.preferences-errors",
            url("notifications.preferences"),
            form={},
            shows=ERROR,
        ),
    ]
    if role in ("admin", "manager", "employee") and role in ids.in_progress:
        attempt_id = ids.in_progress[role]
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        pages.append(
            Page(
                "training.play-errors",
                url("training.play", attempt_id=attempt_id),
                form={"position": str(attempt.step_count), "node": attempt.current_node},
                shows="Choose one of the replies.",
            )
        )
    if role == "employee":
        pages.append(Page("forbidden", url("people.index"), status=403))
        pages.append(
            Page(
                "training.play-after-each",
                url("training.play", attempt_id=ids.in_progress_after_each),
                shows='<p class="speaker">Feedback</p>',
            )
        )
    if role == "admin":
        pages += [
            Page("people.new-errors", url("people.new"), form={}, shows=ERROR),
            Page("people_import.start-errors", url("people_import.start"), form={}, shows=ERROR),
            Page(
                "scim_tokens.create-errors",
                url("scim_tokens.create"),
                form={"name": ""},
                source=url("scim_tokens.index"),
                shows=ERROR,
            ),
            Page(
                "hiring.greenhouse_keys.create-errors",
                url("hiring.greenhouse_keys.create"),
                form={"name": ""},
                source=url("hiring.greenhouse_keys.index"),
                shows=ERROR,
            ),
            Page("teams.new-errors", url("teams.new"), form={}, shows=ERROR),
            Page(
                "organisation.edit-errors",
                url("organisation.edit"),
                form={"name": "", "accent_colour": "red"},
                shows=ERROR,
            ),
            Page("people.index-empty", url("people.index", q="nobody-is-called-this")),
            Page(
                "notifications.defaults-errors", url("notifications.defaults"), form={}, shows=ERROR
            ),
            Page("outbox.index-empty", url("outbox.index", state="failed")),
        ]
    if role in ("admin", "manager"):
        pages += [
            Page("training.assign-errors", url("training.assign"), form={}, shows=ERROR),
            Page(
                "coaching.new-errors",
                url("coaching.new", user_id=v["employee"]),
                form={"held_on": ""},
                shows=ERROR,
            ),
        ]
    if role in ("admin", "recruiter"):
        opening = v["opening"]
        pages += [
            Page("hiring.openings.new-errors", url("hiring.openings.new"), form={}, shows=ERROR),
            Page(
                "hiring.candidates.add-errors",
                url("hiring.candidates.add", opening_id=opening),
                form={"name": "", "email": "not-an-address"},
                source=url("hiring.openings.show", opening_id=opening),
                shows=ERROR,
            ),
            Page(
                "hiring.rating.rate-errors",
                url(
                    "hiring.rating.rate",
                    opening_id=opening,
                    candidate_id=v["submitted_candidate"],
                    item_id=v["open_item"],
                ),
                form={},
                shows=ERROR,
            ),
            Page(
                "hiring.handovers.new-errors",
                url("hiring.handovers.new", candidate_id=v["hired_candidate"]),
                form={"team": "0"},
                shows=ERROR,
            ),
            Page(
                "hiring.candidates.add_many-errors",
                url("hiring.candidates.add_many", opening_id=opening),
                form={"rows-0-name": "Ann", "rows-0-email": "not-an-address"},
                source=url("hiring.openings.show", opening_id=opening),
                shows=ERROR,
            ),
            Page(
                "hiring.candidates.note-errors",
                url(
                    "hiring.candidates.note",
                    opening_id=opening,
                    candidate_id=v["scored_candidate"],
                ),
                form={"text": ""},
                source=url(
                    "hiring.candidates.show", opening_id=opening, candidate_id=v["scored_candidate"]
                ),
                shows=ERROR,
            ),
            Page(
                "hiring.candidates.index-empty",
                url("hiring.candidates.index", opening_id=v["second_opening"], status="hired"),
            ),
        ]
    return pages


def _visitor_states(app: Flask) -> list[Page]:
    login = app.url_for("auth.login")
    return [
        Page(
            "login-errors",
            login,
            form={"email": demo.email_for(demo.ADMIN), "password": "not the password"},
            shows="do not match",
        ),
        Page(
            "password_reset-errors",
            app.url_for("password_reset.start"),
            form={"email": "not-an-address"},
            shows=ERROR,
        ),
        Page("not-found", "/no-such-page", status=404),
        Page("oidc.callback-off", app.url_for("oidc.callback", state="x"), status=404),
        Page(
            "unsubscribe-invalid", app.url_for("notifications.unsubscribe", token="x"), status=404
        ),
    ]


def _candidate_journey(app: Flask) -> list[Page]:
    """A fresh link walked from welcome to the voluntary questions, then the 410 pages."""
    token = hiring_demo.try_it_token()
    if token is None:
        raise Uncovered("the demo candidate has handed in: no fresh link for the journey")
    expired, revoked = _closed_links()
    url = app.url_for
    candidate = db.session.scalar(
        select(Candidate).join(Opening).where(Candidate.name == hiring_demo.TRY_IT)
    )
    assert candidate is not None
    items = library().exercises[candidate.opening.exercise_slug].items
    welcome = url("hiring.screening.welcome", token=token)
    pages = [
        Page("welcome", welcome),
        Page("welcome-errors", welcome, form={}, shows=ERROR),
        Page("welcome-consent", welcome, form={"consent": "y"}, shows="Situation 1"),
    ]
    for position, item in enumerate(items, start=1):
        item_url = url("hiring.screening.item", token=token, position=position)
        pages.append(Page(f"item-{position}", item_url))
        pages.append(
            Page(f"item-{position}-errors", item_url, form=_half_answer(item), shows=ERROR)
        )
    review = url("hiring.screening.review", token=token)
    pages += [
        Page("review", review),
        Page("submit", url("hiring.screening.submit", token=token), form={}, source=review),
        Page("done", url("hiring.screening.done", token=token)),
        Page(
            "about-you-errors",
            url("hiring.screening.about_you", token=token),
            form={"age_band": "not one of the choices"},
            source=url("hiring.screening.done", token=token),
            shows=ERROR,
        ),
        Page("expired", url("hiring.screening.welcome", token=expired), status=410),
        Page("revoked", url("hiring.screening.welcome", token=revoked), status=410),
        Page("unknown-link", url("hiring.screening.welcome", token="cut-off"), status=404),
        Page("unknown", url("hiring.screening.unknown", rest=f"{token}/items/x"), status=404),
    ]
    return pages


def _half_answer(item: Item) -> dict[str, str]:
    """An answer the situation's form refuses, so the page shows its error."""
    if not item.keyed:
        return {"text": "word " * (item.max_words + 1)}
    if item.answer == "best-worst":
        return {"best": "0"}
    return {"rating_0": "3"}


def _closed_links() -> tuple[str, str]:
    """Tokens of an expired and of a revoked link, for two candidates not yet invited."""
    fresh = list(
        db.session.scalars(
            select(Candidate)
            .where(Candidate.status == CandidateStatus.NEW)
            .order_by(Candidate.id)
            .limit(2)
        )
    )
    if len(fresh) < 2:
        raise Uncovered("two demo candidates without an invitation are needed")
    expired = invitations.new_token(fresh[0])
    assert fresh[0].invitation is not None
    fresh[0].invitation.expires_at = utcnow() - timedelta(days=1)
    revoked = invitations.new_token(fresh[1])
    invitations.revoke(fresh[1])
    return expired, revoked


# Filling the demo's gaps and finding ids ----------------------------------------------


def _prepare() -> _Ids:
    """Ids of the records each page needs, creating the few the demo lacks."""
    people = {role: _user(name) for role, name in PEOPLE.items()}
    ids = _Ids()
    for role in ("admin", "manager", "employee"):
        _ensure_attempts(people[role])
        ids.in_progress[role], ids.completed[role] = _attempt_ids(people[role])
    manager, employee = people["manager"], people["employee"]
    ids.in_progress_after_each = _ensure_after_each(employee)
    ids.own_session = {
        "employee": _latest_session(employee),
        "manager": _ensure_coached(manager),
    }
    team = db.session.scalar(select(Team).where(Team.name == demo.TEAMS[0].name))
    assert team is not None
    main = _opening(hiring_demo.OPENING)
    ids.values = {
        "employee": employee.id,
        "team": team.id,
        "coached_session": _latest_session(employee),
        "opening": main.id,
        "second_opening": _opening(hiring_demo.SECOND_OPENING).id,
        "scored_candidate": _candidate(main, CandidateStatus.SCORED),
        "new_candidate": _candidate(main, CandidateStatus.NEW),
        "started_candidate": _candidate(main, CandidateStatus.STARTED),
        "submitted_candidate": _candidate(main, CandidateStatus.SUBMITTED),
        "hired_candidate": _ensure_hired(main),
        "handed_over": _one(select(Handover.candidate_id).order_by(Handover.id)),
        "handover": _one(select(Handover.id).order_by(Handover.id)),
        "open_item": next(
            item.id for item in library().exercises[main.exercise_slug].items if not item.keyed
        ),
        "password_token": _password_token(people["admin"]),
        "unsubscribe_token": unsubscribe.token(
            unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=employee.id)
        ),
        "outbox_message": _one(select(OutboxMessage.id).order_by(OutboxMessage.id)),
        "calibration_round": _one(select(CalibrationRound.id).order_by(CalibrationRound.id)),
    }
    ids.values.update(_previews(people, main))
    return ids


def _previews(people: dict[str, User], opening: Opening) -> dict[str, int]:
    """The authors' previews (a module being played, one played to the end, a file
    with problems, an exercise file), and the hirers' previews of the opening."""
    from coachkit.authoring import module_play
    from coachkit.authoring.models import Preview, PreviewKind
    from coachkit.content.module_parser import parse_module

    module = library().modules[demo.DEMO_MODULE]
    exercise = library().exercises[opening.exercise_slug]
    source = module.path.read_text(encoding="utf-8")
    steps: list[list[Any]] = []
    while not (state := module_play.replay(module, steps)).ended:
        reflect = state.node.kind == "reflect"
        steps.append([state.node.id, None if reflect else 0, "I noticed." if reflect else None])
    broken = source.replace("outcome: good", "outcome: great", 1).replace("score:", "Score:", 1)
    assert parse_module(module.path, broken.encode())[1], "the broken preview has no problems"
    for role in AUTHORS_HERE:
        people[role].is_author = True

    def preview(
        role: str, kind: PreviewKind, text: str, progress: Any, opening_id: Any = None
    ) -> int:
        made = Preview(
            owner_id=people[role].id,
            kind=kind,
            file_name=module.slug if kind == PreviewKind.MODULE else exercise.slug,
            source=text,
            progress=progress,
            opening_id=opening_id,
        )
        made.touch()
        db.session.add(made)
        db.session.flush()
        return made.id

    exercise_text = exercise.path.read_text(encoding="utf-8")
    values = {"preview_items": len(exercise.items)}
    for role in AUTHORS_HERE:
        values[f"preview_playing_{role}"] = preview(
            role, PreviewKind.MODULE, source, {"steps": steps[:1]}
        )
        values[f"preview_done_{role}"] = preview(role, PreviewKind.MODULE, source, {"steps": steps})
        values[f"preview_broken_{role}"] = preview(role, PreviewKind.MODULE, broken, {})
    for role in ROLES:
        values[f"preview_exercise_{role}"] = (
            preview(role, PreviewKind.EXERCISE, exercise_text, {})
            if role in AUTHORS_HERE
            else preview(role, PreviewKind.EXERCISE, "", {}, opening.id)
        )
    return values


def _password_token(admin: User) -> str:
    """A set-password link's token, for a team member who will not use it."""
    link, _ = password_links.issue(_user(demo.TEAMS[0].members[-1]), issued_by=admin)
    return link.rsplit("/", 1)[1]


def _one(statement: Any) -> Any:
    value = db.session.scalar(statement)
    if value is None:
        raise Uncovered(f"the demo data has no row for {statement}")
    return value


def _user(name: str) -> User:
    user: User = _one(select(User).where(User.email == demo.email_for(name)))
    return user


def _opening(title: str) -> Opening:
    opening: Opening = _one(select(Opening).where(Opening.title == title))
    return opening


def _candidate(opening: Opening, status: CandidateStatus) -> int:
    return int(
        _one(
            select(Candidate.id)
            .where(Candidate.opening_id == opening.id, Candidate.status == status)
            .order_by(Candidate.id)
        )
    )


def _ensure_hired(opening: Opening) -> int:
    """A hired candidate not yet handed over (the demo hands over every hire)."""
    handed = select(Handover.candidate_id).where(Handover.candidate_id.is_not(None))
    waiting = db.session.scalar(
        select(Candidate).where(
            Candidate.opening_id == opening.id,
            Candidate.status == CandidateStatus.HIRED,
            Candidate.id.not_in(handed),
        )
    )
    if waiting is None:
        waiting = db.session.get(Candidate, _candidate(opening, CandidateStatus.SHORTLISTED))
        assert waiting is not None
        decisions.decide(waiting, CandidateStatus.HIRED)
        db.session.flush()
    return waiting.id


def _ensure_attempts(user: User) -> None:
    """A finished attempt and one in progress at the demo module."""
    module = library().modules[demo.DEMO_MODULE]
    mine = select(Attempt.id).where(Attempt.user_id == user.id)
    if db.session.scalar(mine.where(Attempt.status == AttemptStatus.COMPLETED)) is None:
        demo._practise(user, module, (0, 1, 0), finished=True)
    if db.session.scalar(mine.where(Attempt.status == AttemptStatus.IN_PROGRESS)) is None:
        demo._practise(user, module, (0,), finished=False)


AFTER_EACH_MODULE = "boiler-on-a-cold-morning"  # feedback: after-each


def _ensure_after_each(user: User) -> int:
    """An attempt in progress at a module that gives feedback after each reply, one
    reply in (its feedback and the customer's reaction in the transcript)."""
    mine = select(Attempt.id).where(
        Attempt.user_id == user.id,
        Attempt.module_slug == AFTER_EACH_MODULE,
        Attempt.status == AttemptStatus.IN_PROGRESS,
    )
    if db.session.scalar(mine) is None:
        demo._practise(user, library().modules[AFTER_EACH_MODULE], (1,), finished=False)
    return int(_one(mine))


def _attempt_ids(user: User) -> tuple[int, int]:
    def latest(status: AttemptStatus) -> int:
        return int(
            _one(
                select(Attempt.id)
                .where(Attempt.user_id == user.id, Attempt.status == status)
                .order_by(Attempt.id.desc())
            )
        )

    return latest(AttemptStatus.IN_PROGRESS), latest(AttemptStatus.COMPLETED)


def _latest_session(employee: User) -> int:
    return int(
        _one(
            select(CoachingSession.id)
            .where(CoachingSession.employee_id == employee.id)
            .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
        )
    )


def _ensure_coached(manager: User) -> int:
    """A session about the manager, who joins the other team as a member for it."""
    if db.session.scalar(
        select(CoachingSession.id).where(CoachingSession.employee_id == manager.id)
    ):
        return _latest_session(manager)
    other = demo.TEAMS[1]
    team = db.session.scalar(select(Team).where(Team.name == other.name))
    assert team is not None
    roster.add(team, manager, Position.MEMBER)
    data = coaching_demo._data(0, utcnow().date() - timedelta(days=3), 0, 1, 0)
    record.create(manager, _user(other.manager), data)
    db.session.flush()
    return _latest_session(manager)
