"""Someone else's record is a 404, never its contents.

`test_access.py` proves each role reaches exactly the routes meant for it. This module
proves the same for objects: on one database live two teams (each with its manager,
employees, coaching sessions with private parts, action items and training attempts),
two openings with candidates (answers handed in, an exercise in progress, invite links)
and hand-overs to both teams. Every route of `app.url_map` whose URL names an object is
requested, by every principal its policy admits, with that principal's own object (it
must answer) and with each object they may not see (it must be a 404, for GET and
POST, without the object's distinctive text, and without changing the database).

How a URL argument names an object is written down per blueprint and principal in
OBJECTS. A route with an argument missing there fails the matrix, so a new route or a
new kind of object cannot slip past.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from werkzeug.routing import Rule

from coachkit.auth import password_links
from coachkit.auth.access import policy_for
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.auth.sessions import token_digest
from coachkit.coaching import record
from coachkit.coaching.models import ActionItem, Owner
from coachkit.coaching.record import ActionRow, SessionData
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.handovers import records as handovers
from coachkit.hiring.models import Candidate, CandidateStatus, Opening
from coachkit.hiring.screening import answering
from coachkit.notifications import unsubscribe
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage
from coachkit.notifications.notify import notify
from coachkit.teams.models import Membership, Position, Team
from coachkit.training.models import Assignment, Attempt
from tests.conftest import PASSWORD, Person, login, page, play_through
from tests.hiring.conftest import EXERCISE, OPEN_ITEM

ADMIN, MANAGER, EMPLOYEE, RECRUITER, CANDIDATE = (
    "admin",
    "manager",
    "employee",
    "recruiter",
    "candidate",
)
ROLE_OF = {
    ADMIN: Role.ADMIN,
    MANAGER: Role.MANAGER,
    EMPLOYEE: Role.EMPLOYEE,
    RECRUITER: Role.RECRUITER,
    CANDIDATE: None,  # no account: reaches only public routes, through an invite link
}
SIGNER = {ADMIN: "admin", MANAGER: "manager_a", EMPLOYEE: "a1", RECRUITER: "recruiter"}

# Distinctive text of each record; a response that must not show the record must not
# contain any of it.
TEXT = {
    "a1_shared": "A1 shared note quokka",
    "a1_private": "A1 private note narwhal",
    "a1_action": "A1 action pelican",
    "a1_private_action": "A1 private action heron",
    "a1_manager_action": "A1 manager action stoat",
    "a2_shared": "A2 note ocelot",
    "a2_action": "A2 action tapir",
    "b1_shared": "B1 note wombat",
    "b1_private": "B1 private note jackal",
    "b1_action": "B1 action ibis",
    "ma_shared": "MA note lynx",
    "ma_private": "MA private note marmot",
    "ma_action": "MA action gecko",
    "ma_private_action": "MA private action newt",
    "a1_reflection": "A1 reflection kiwi",
    "a2_reflection": "A2 reflection dingo",
    "b1_reflection": "B1 reflection emu",
    "ma_reflection": "MA reflection koala",
    "admin_reflection": "Admin reflection civet",
    "b1_name": "Bea Bravo-One",
    "team_b": "Team Bravo",
    "team_leads": "Leads Circle",
    "handover_a": "Handover A note bison",
    "handover_b": "Handover B note gnu",
    "x_answer": "X answer axolotl",
    "y_answer": "Y answer quetzal",
    "z_answer": "Z answer okapi",
    "x_name": "Xena Xray",
    "y_name": "Yuri Yankee",
    "z_name": "Zoe Zulu",
    "notification_admin": "Admin notification puffin",
    "notification_manager_a": "MA notification lemur",
    "notification_a1": "A1 notification marten",
    "notification_recruiter": "Recruiter notification vole",
    "notification_b1": "B1 notification caracal",
    "round_a_note": "Round A note capybara",
    "round_b_note": "Round B note pangolin",
    "round_b_title": "Round B title quokka-b",
}
# Nobody sees another person's notifications (the admin's outbox shows e-mails, by design).
NOTIFICATION_TEXT = {k for k in TEXT if k.startswith("notification_")}
COACHING_TEXT = {k for k in TEXT if k.split("_")[0] in ("a1", "a2", "b1", "ma")} - {"b1_name"}
CANDIDATE_TEXT = {"x_answer", "y_answer", "z_answer", "x_name", "y_name", "z_name"}

# What each principal must never be shown, on any page (own, foreign or index).
NEVER = {
    ADMIN: set(),  # admins see everything, by design
    MANAGER: {
        "b1_shared",
        "b1_private",
        "b1_action",
        "b1_reflection",
        "ma_private",  # private notes about the manager, by their own coach
        "ma_private_action",
        "handover_b",
        "round_b_note",
        "round_b_title",
        "x_answer",
        "y_answer",
        "z_answer",
    }
    | (NOTIFICATION_TEXT - {"notification_manager_a"}),
    EMPLOYEE: (COACHING_TEXT - {"a1_shared", "a1_action", "a1_manager_action", "a1_reflection"})
    | {"handover_a", "handover_b"}
    | CANDIDATE_TEXT
    | (NOTIFICATION_TEXT - {"notification_a1"}),
    RECRUITER: COACHING_TEXT | {"b1_name"} | (NOTIFICATION_TEXT - {"notification_recruiter"}),
    CANDIDATE: COACHING_TEXT
    | {"x_answer", "z_answer", "x_name", "z_name", "handover_a"}
    | NOTIFICATION_TEXT,
}

# What a foreign object would give away when it leaked: the texts checked on its 404.
FOREIGN_TEXT = {
    "team_b": ["team_b", "b1_name"],
    "team_leads": ["team_leads"],
    "membership_a2": [],
    "b1": ["b1_name", "b1_shared"],
    "manager_a": ["ma_shared", "ma_private"],
    "session_a1": ["a1_shared", "a1_private", "a1_action"],
    "session_a2": ["a2_shared", "a2_action"],
    "session_b1": ["b1_shared", "b1_private", "b1_action"],
    "session_ma": ["ma_shared", "ma_private", "ma_action"],
    "action_a1_private": ["a1_private_action"],
    "action_a1_manager": ["a1_manager_action"],
    "action_a2": ["a2_action"],
    "action_b1": ["b1_action"],
    "action_ma_private": ["ma_private_action"],
    "attempt_a1": ["a1_reflection"],
    "attempt_a2": ["a2_reflection"],
    "attempt_b1": ["b1_reflection"],
    "candidate_x": ["x_answer", "x_name"],
    "candidate_y": ["y_answer", "y_name"],
    "candidate_z": ["z_answer", "z_name"],
    "handover_b": ["handover_b", "z_name"],
    "item_keyed": [],
    "item_unknown": [],
    "module_unknown": [],
    "position_0": [],
    "position_past_end": [],
    "file_outside": [],
    **{f"token_y_{how}": ["y_answer", "y_name"] for how in ("short", "case", "long", "hash")},
    "token_z_replaced": ["z_answer", "z_name"],
    "token_v_revoked": [],
    "rest_y_cut_off": ["y_answer", "y_name"],
    "round_b": ["round_b_note", "round_b_title"],
    **{f"password_token_{how}": [] for how in ("short", "case", "used")},
    **{key: [key] for key in NOTIFICATION_TEXT},
    "unsubscribe_token_short": [],
    "assignment_a1": [],
    "assignment_b1": [],
    "unsubscribe_token_forged": [],
    **{f"preview_{key}": [] for key in ("admin", "manager", "employee", "recruiter")},
    "preview_expired": [],
    "preview_module": [],
}


@dataclass(frozen=True)
class Objects:
    """A principal's own object for an argument, and the objects they may not see."""

    own: str
    foreign: tuple[str, ...] = ()


def _o(own: str, *foreign: str) -> Objects:
    return Objects(own, foreign)


# Whose previews each principal tries: everyone else's, an expired one of their own
# kind, and a module preview through the exercise pages.
FOREIGN_PREVIEWS = {
    ADMIN: ("recruiter", "manager", "employee", "expired", "module"),
    MANAGER: ("admin", "employee", "recruiter", "expired", "module"),
    EMPLOYEE: ("admin", "manager", "recruiter", "expired", "module"),
    RECRUITER: ("admin", "manager", "employee", "expired", "module"),
}

# How each blueprint's URL arguments name objects, per principal its routes admit.
# Admins see every team's records (an empty foreign list says so on purpose); the
# training player is the learner's own, even for admins. Hiring is one shared desk for
# recruiters and admins, so its foreign objects are mismatched pairs (a candidate of
# another opening) and things that cannot be rated.
OBJECTS: dict[tuple[str, str], dict[str, Objects]] = {
    ("people", "user_id"): {ADMIN: _o("b1")},
    ("teams", "team_id"): {
        ADMIN: _o("team_b"),
        MANAGER: _o("team_a", "team_b", "team_leads"),
    },
    ("teams", "membership_id"): {ADMIN: _o("membership_b1", "membership_a2")},
    ("coaching", "user_id"): {ADMIN: _o("b1"), MANAGER: _o("a1", "b1", "manager_a")},
    ("coaching", "session_id"): {
        ADMIN: _o("session_b1"),
        MANAGER: _o("session_a1", "session_b1", "session_ma"),
    },
    ("coaching", "team_id"): {ADMIN: _o("team_b"), MANAGER: _o("team_a", "team_b", "team_leads")},
    ("coaching", "action_id"): {
        ADMIN: _o("action_b1"),
        MANAGER: _o("action_a1", "action_b1", "action_ma_private"),
        EMPLOYEE: _o(
            "action_a1", "action_a1_private", "action_a1_manager", "action_a2", "action_b1"
        ),
    },
    ("coaching", "what"): {ADMIN: _o("sessions"), MANAGER: _o("sessions")},
    ("my_coaching", "session_id"): {
        MANAGER: _o("session_ma", "session_a1", "session_b1"),
        EMPLOYEE: _o("session_a1", "session_a2", "session_b1", "session_ma"),
    },
    ("my_coaching", "what"): {MANAGER: _o("sessions"), EMPLOYEE: _o("sessions")},
    ("training", "slug"): {
        role: _o("module", "module_unknown") for role in (ADMIN, MANAGER, EMPLOYEE)
    },
    ("training", "attempt_id"): {
        ADMIN: _o("attempt_admin", "attempt_a1", "attempt_b1"),
        MANAGER: _o("attempt_ma", "attempt_a1", "attempt_b1"),
        EMPLOYEE: _o("attempt_a1", "attempt_a2", "attempt_b1"),
    },
    ("training", "team_id"): {ADMIN: _o("team_b"), MANAGER: _o("team_a", "team_b", "team_leads")},
    ("training", "assignment_id"): {
        ADMIN: _o("assignment_b1", "assignment_a1"),  # with team_b: a1 is not its member
        MANAGER: _o("assignment_a1", "assignment_b1"),  # with team_a
    },
    # Results, unlike the player, are read by the learner's managers too (team progress
    # links to them), and by admins, who see every team.
    ("training.results", "attempt_id"): {
        ADMIN: _o("attempt_admin"),
        MANAGER: _o("attempt_a1", "attempt_b1"),
        EMPLOYEE: _o("attempt_a1", "attempt_a2", "attempt_b1"),
    },
    **{
        (blueprint, "opening_id"): {ADMIN: _o("opening_2"), RECRUITER: _o("opening_1")}
        for blueprint in ("hiring.openings", "hiring.candidates", "hiring.rating", "hiring.reports")
    },
    ("hiring.candidates", "candidate_id"): {
        ADMIN: _o("candidate_z", "candidate_x"),  # with opening_2 in the URL
        RECRUITER: _o("candidate_x", "candidate_z"),  # with opening_1
    },
    ("hiring.rating", "candidate_id"): {
        ADMIN: _o("candidate_z", "candidate_x"),
        RECRUITER: _o("candidate_x", "candidate_z", "candidate_y"),  # Y has not handed in
    },
    ("hiring.rating", "item_id"): {
        ADMIN: _o("item_open", "item_keyed", "item_unknown"),
        RECRUITER: _o("item_open", "item_keyed", "item_unknown"),
    },
    ("hiring.handovers", "candidate_id"): {ADMIN: _o("candidate_z"), RECRUITER: _o("candidate_x")},
    ("hiring.handovers", "handover_id"): {
        ADMIN: _o("handover_b"),
        MANAGER: _o("handover_a", "handover_b"),
    },
    ("hiring.screening", "token"): {
        CANDIDATE: _o(
            "token_y",
            "token_y_short",
            "token_y_case",
            "token_y_long",
            "token_y_hash",
            "token_z_replaced",  # another opening's candidate's link, since resent
            "token_v_revoked",
        )
    },
    # The catch-all under /screening/: a link cut off or mistyped past its token.
    ("hiring.screening.unknown", "rest"): {CANDIDATE: _o("rest_cut_off", "rest_y_cut_off")},
    ("hiring.screening", "position"): {
        CANDIDATE: _o("position_1", "position_0", "position_past_end")
    },
    ("auth", "token"): {
        CANDIDATE: _o(
            "password_token", "password_token_short", "password_token_case", "password_token_used"
        )
    },
    ("static", "filename"): {CANDIDATE: _o("css", "file_outside")},
    ("notifications", "notification_id"): {
        ADMIN: _o("notification_admin", "notification_b1", "notification_a1"),
        MANAGER: _o("notification_manager_a", "notification_a1", "notification_b1"),
        EMPLOYEE: _o("notification_a1", "notification_manager_a", "notification_b1"),
        RECRUITER: _o("notification_recruiter", "notification_admin", "notification_b1"),
    },
    ("notifications", "token"): {
        CANDIDATE: _o("unsubscribe_token", "unsubscribe_token_short", "unsubscribe_token_forged")
    },
    ("outbox", "message_id"): {ADMIN: _o("outbox_message")},
    # SCIM answers 401 to everyone without a bearer token (tests/scim/test_tokens.py)
    **{
        ("scim", argument): {CANDIDATE: _o(key)}
        for argument, key in (
            ("name", "scim_resource_type"),
            ("urn", "scim_schema"),
            ("unknown", "scim_unknown"),
            ("user_id", "b1"),
            ("group_id", "team_b"),
        )
    },
    ("scim_tokens", "token_id"): {ADMIN: _o("scim_token")},
    ("hiring.greenhouse_keys", "key_id"): {ADMIN: _o("greenhouse_key")},
    # Calibration rounds: their raters' and every admin's (admins oversee them all).
    ("calibration", "round_id"): {ADMIN: _o("round_a"), MANAGER: _o("round_a", "round_b")},
    # Previews are their owner's alone, whoever else may preview (issue 24). The file
    # previews' own routes (authors only) are in tests/authoring/test_access.py.
    ("authoring.exercise", "preview_id"): {
        principal: _o(
            f"preview_{principal}", *(f"preview_{p}" for p in FOREIGN_PREVIEWS[principal])
        )
        for principal in (ADMIN, MANAGER, EMPLOYEE, RECRUITER)
    },
    ("authoring.exercise", "position"): {
        principal: _o("position_1", "position_0", "position_past_end")
        for principal in (ADMIN, MANAGER, EMPLOYEE, RECRUITER)
    },
    ("authoring.opening_preview", "opening_id"): {
        ADMIN: _o("opening_2"),
        RECRUITER: _o("opening_1"),
    },
}

# Routes that answer 404 until a setting turns them on (this world has no identity
# provider); tests/auth/test_single_sign_on.py checks them with one.
OFF_HERE = {"oidc.callback"}
# Routes that are a candidate's not-found page whatever the address (tests/hiring/screening).
ALWAYS_NOT_FOUND = {"hiring.screening.unknown"}

# A link or a token that does not work may also say so kindly (410) instead of 404.
TOKEN_ARGUMENTS = {"token"}

# Own objects replaced for routes that destroy or hand in what they are given, so one
# principal's check does not take away another's object.
DESTRUCTIVE: dict[str, dict[str, str]] = {
    "people.deactivate": {"user_id": "spare_user"},
    "teams.delete": {"team_id": "doomed_team"},
    "teams.remove_member": {"team_id": "roster_team", "membership_id": "roster_membership"},
    "hiring.candidates.delete": {"candidate_id": "spare_candidate_{principal}"},
    "hiring.candidates.decide": {"candidate_id": "spare_candidate_{principal}"},
    "hiring.screening.submit": {"token": "token_w"},
    "calibration.close": {"round_id": "spare_round_{principal}"},
}


@dataclass
class World:
    values: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def _user(name: str, role: Role, password_hash: str) -> User:
    email = name.lower().replace(" ", ".") + "@example.com"
    return User(email=email, name=name, role=role, password_hash=password_hash)


def _session(employee: User, coach: User, shared: str, private: str = "", actions=()) -> int:
    notes = {"went_well": shared, **({"to_improve": private} if private else {})}
    data = SessionData(
        held_on=date.today() - timedelta(days=3),
        kind="One-to-one",
        notes=notes,
        private={"to_improve"} if private else set(),
        ratings={},
        next_session_on=None,
        actions=list(actions),
    )
    return record.create(employee, coach, data).id


def _action(session_id: int, text_: str) -> int:
    return db.session.scalar(
        select(ActionItem.id).where(ActionItem.session_id == session_id, ActionItem.text == text_)
    )


def _attempt(user: User, reflection: str) -> int:
    return play_through(user, "charged-twice", reflection)


def _build_people(w: World, password_hash: str) -> dict[str, User]:
    roles = {
        "admin": ("Ada Admin", Role.ADMIN),
        "manager_a": ("Mara Alpha-Lead", Role.MANAGER),
        "a1": ("Abe Alpha-One", Role.EMPLOYEE),
        "a2": ("Ava Alpha-Two", Role.EMPLOYEE),
        "manager_b": ("Max Bravo-Lead", Role.MANAGER),
        "b1": (TEXT["b1_name"], Role.EMPLOYEE),
        "recruiter": ("Rita Recruiter", Role.RECRUITER),
        "spare_user": ("Sam Spare", Role.EMPLOYEE),
        "roster_user": ("Rory Roster", Role.EMPLOYEE),
        "link_user": ("Lee Link", Role.EMPLOYEE),  # holds an unused set-password link
    }
    users = {key: _user(name, role, password_hash) for key, (name, role) in roles.items()}
    db.session.add_all(users.values())
    db.session.flush()
    for key, user in users.items():
        w.values[key] = user.id
        w.people[key] = Person(user.id, user.email, user.name, user.role, PASSWORD)
    return users


def _build_teams(w: World, u: dict[str, User]) -> None:
    def team(key: str, name: str, managers: list[str], members: list[str]) -> Team:
        made = Team(name=name)
        db.session.add(made)
        for person in managers:
            db.session.add(Membership(team=made, user=u[person], position=Position.MANAGER))
        for person in members:
            db.session.add(Membership(team=made, user=u[person], position=Position.MEMBER))
        db.session.flush()
        w.values[key] = made.id
        return made

    team("team_a", "Team Alpha", ["manager_a"], ["a1", "a2"])
    team("team_b", TEXT["team_b"], ["manager_b"], ["b1"])
    # Manager A is coached in a team Manager B leads: A must not manage it.
    team("team_leads", TEXT["team_leads"], ["manager_b"], ["manager_a"])
    team("roster_team", "Roster Team", ["admin"], ["roster_user"])
    team("doomed_team", "Doomed Team", ["admin"], [])
    for key, user_key, team_key in [
        ("membership_a2", "a2", "team_a"),
        ("membership_b1", "b1", "team_b"),
        ("roster_membership", "roster_user", "roster_team"),
    ]:
        w.values[key] = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == w.values[user_key], Membership.team_id == w.values[team_key]
            )
        )


def _build_coaching(w: World, u: dict[str, User]) -> None:
    t = TEXT
    s = w.values
    s["session_a1"] = _session(
        u["a1"],
        u["manager_a"],
        t["a1_shared"],
        t["a1_private"],
        [
            ActionRow(t["a1_action"], Owner.EMPLOYEE, None, False),
            ActionRow(t["a1_private_action"], Owner.EMPLOYEE, None, True),
            ActionRow(t["a1_manager_action"], Owner.MANAGER, None, False),
        ],
    )
    s["session_a2"] = _session(
        u["a2"],
        u["manager_a"],
        t["a2_shared"],
        "",
        [ActionRow(t["a2_action"], Owner.EMPLOYEE, None, False)],
    )
    s["session_b1"] = _session(
        u["b1"],
        u["manager_b"],
        t["b1_shared"],
        t["b1_private"],
        [ActionRow(t["b1_action"], Owner.EMPLOYEE, None, False)],
    )
    s["session_ma"] = _session(
        u["manager_a"],
        u["manager_b"],
        t["ma_shared"],
        t["ma_private"],
        [
            ActionRow(t["ma_action"], Owner.EMPLOYEE, None, False),
            ActionRow(t["ma_private_action"], Owner.EMPLOYEE, None, True),
        ],
    )
    s["action_a1"] = _action(s["session_a1"], t["a1_action"])
    s["action_a1_private"] = _action(s["session_a1"], t["a1_private_action"])
    s["action_a1_manager"] = _action(s["session_a1"], t["a1_manager_action"])
    s["action_a2"] = _action(s["session_a2"], t["a2_action"])
    s["action_b1"] = _action(s["session_b1"], t["b1_action"])
    s["action_ma_private"] = _action(s["session_ma"], t["ma_private_action"])
    for key, user_key, reflection in [
        ("attempt_a1", "a1", "a1_reflection"),
        ("attempt_a2", "a2", "a2_reflection"),
        ("attempt_b1", "b1", "b1_reflection"),
        ("attempt_ma", "manager_a", "ma_reflection"),
        ("attempt_admin", "admin", "admin_reflection"),
    ]:
        s[key] = _attempt(u[user_key], t[reflection])
    for key, user_key in [("assignment_a1", "a1"), ("assignment_b1", "b1")]:
        assignment = Assignment(
            user_id=u[user_key].id,
            module_slug="charged-twice",
            due_on=date.today() + timedelta(days=3),
            assigned_by_id=u["admin"].id,
        )
        db.session.add(assignment)
        db.session.flush()
        s[key] = assignment.id


def _candidate(opening: Opening, key: str, name: str, w: World) -> Candidate:
    number = len([k for k in w.values if k.startswith("candidate_")]) + 1
    candidate = Candidate(
        opening=opening,
        code=f"C{number:03d}",
        name=name,
        email=name.lower().replace(" ", ".") + "@example.org",
    )
    db.session.add(candidate)
    db.session.flush()
    w.values[f"candidate_{key}"] = candidate.id
    return candidate


def _token(candidate: Candidate) -> str:
    return invitations.new_token(candidate)


def _answer_all(candidate: Candidate, open_text: str, *, hand_in: bool) -> None:
    exercise = library().exercises[EXERCISE]
    answering.begin(candidate, None)
    for item in exercise.items:
        if item.keyed:
            value = (
                {"best": 0, "worst": 1}
                if item.answer == "best-worst"
                else {"ratings": [3] * len(item.responses)}
            )
        else:
            value = {"text": open_text}
        answering.save(candidate, item, value)
    if hand_in:
        answering.hand_in(candidate, exercise)


def _build_hiring(w: World, u: dict[str, User]) -> None:
    v = w.values

    def opening(key: str, title: str, team_key: str) -> Opening:
        made = Opening(
            title=title,
            exercise_slug=EXERCISE,
            team_id=v[team_key],
            contact_name="Rita Recruiter",
            contact_email=u["recruiter"].email,
            created_by_id=u["recruiter"].id,
        )
        db.session.add(made)
        db.session.flush()
        v[key] = made.id
        return made

    first, second = (
        opening("opening_1", "Care adviser Alpha", "team_a"),
        opening("opening_2", "Sales adviser Bravo", "team_b"),
    )
    x = _candidate(first, "x", TEXT["x_name"], w)
    y = _candidate(first, "y", TEXT["y_name"], w)
    wes = _candidate(first, "w", "Wes Whiskey", w)
    val = _candidate(first, "v", "Val Victor", w)
    z = _candidate(second, "z", TEXT["z_name"], w)
    for principal, opening_ in ((RECRUITER, first), (ADMIN, second)):
        _candidate(opening_, f"spare_{principal}", f"Spare For{principal.title()}", w)
        v[f"spare_candidate_{principal}"] = v.pop(f"candidate_spare_{principal}")
    v["token_x"] = _token(x)
    v["token_y"] = _token(y)
    v["token_w"] = _token(wes)
    v["token_v_revoked"] = _token(val)
    invitations.revoke(val)
    v["token_z_replaced"] = _token(z)
    v["token_z"] = _token(z)  # resent: the first link no longer works
    _answer_all(x, TEXT["x_answer"], hand_in=True)
    _answer_all(z, TEXT["z_answer"], hand_in=True)
    _answer_all(y, TEXT["y_answer"], hand_in=False)
    answering.begin(wes, None)
    y.last_position = 1
    token = v["token_y"]
    v["token_y_short"] = token[:-1]
    v["token_y_case"] = token.swapcase()
    v["token_y_long"] = token + "A"
    v["token_y_hash"] = token_digest(token)
    v["rest_cut_off"] = "items/1"
    v["rest_y_cut_off"] = f"{token}/items/first"
    for candidate, handover_key, team_key in (
        (x, "handover_a", "team_a"),
        (z, "handover_b", "team_b"),
    ):
        candidate.status = CandidateStatus.HIRED
        db.session.flush()
        team = db.session.get(Team, v[team_key])
        v[handover_key] = handovers.create(candidate, team, TEXT[handover_key], u["recruiter"]).id


def _build_links(w: World, u: dict[str, User]) -> None:
    v = w.values
    _url, _link = password_links.issue(u["link_user"], issued_by=u["admin"])
    used_url, used = password_links.issue(u["a2"], issued_by=u["admin"])
    password_links.redeem(used)
    token = _url.rsplit("/", 1)[1]
    v["password_token"] = token
    v["password_token_short"] = token[:-1]
    v["password_token_case"] = token.swapcase()
    v["password_token_used"] = used_url.rsplit("/", 1)[1]
    exercise = library().exercises[EXERCISE]
    v["item_open"] = OPEN_ITEM
    v["item_keyed"] = next(item.id for item in exercise.items if item.keyed)
    v["item_unknown"] = "no-such-item"
    v["position_1"], v["position_0"] = 1, 0
    v["position_past_end"] = len(exercise.items) + 1
    v["forms"] = [_answer_form(item) for item in exercise.items]  # what a browser posts
    v["open_position"] = 1 + next(i for i, item in enumerate(exercise.items) if not item.keyed)
    v["module"], v["module_unknown"] = "charged-twice", "no-such-module"
    v["sessions"] = "sessions"
    v["css"], v["file_outside"] = "coachkit.css", "../config.py"


def _build_notifications(w: World, u: dict[str, User]) -> None:
    """A notification (and its e-mail) for each signer and for B1; an unsubscribe link."""
    v = w.values
    for key in ("admin", "manager_a", "a1", "recruiter", "b1"):
        made = notify(u[key], Kind.PASSWORD_LINK, TEXT[f"notification_{key}"], "/account")
        assert made is not None
        v[f"notification_{key}"] = made.id
    v["outbox_message"] = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id))
    token = unsubscribe.token(unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=u["a1"].id))
    v["unsubscribe_token"], v["unsubscribe_token_short"] = token, token[:-2]
    v["unsubscribe_token_forged"] = token.rsplit(".", 1)[0] + ".forged-signature"


def _build_scim(w: World) -> None:
    """A SCIM token, and names the SCIM discovery URLs take."""
    from coachkit.scim import tokens

    _plain, token = tokens.create("Entra ID", by="tests")
    w.values["scim_token"] = token.id
    w.values["scim_resource_type"] = "User"
    w.values["scim_schema"] = "urn:ietf:params:scim:schemas:core:2.0:User"
    w.values["scim_unknown"] = "no-such-endpoint"


def _build_greenhouse(w: World) -> None:
    """A Greenhouse partner key."""
    from coachkit.hiring.greenhouse import keys

    _plain, key = keys.create("Greenhouse")
    w.values["greenhouse_key"] = key.id


def _build_brand() -> None:
    """The organisation's brand with a logo, so the logo's address answers."""
    import io

    from PIL import Image

    from coachkit.organisation import brand, logo

    png = io.BytesIO()
    Image.new("RGB", (8, 4), "#0f766e").save(png, format="PNG")
    brand.save(
        brand.settings_row(),
        name="Brightline",
        accent="#0f766e",
        privacy_url=None,
        contact_email=None,
        logo=logo.prepare(png.getvalue()),
    )


def _build_calibration(w: World, u: dict[str, User]) -> None:
    """Round A rated by manager A and the admin; round B by manager B and the admin (A
    may not open it); a spare round per principal for closing."""
    from coachkit.calibration import rounds

    v = w.values

    def round_(key: str, title: str, attempt: str, by: str, note: str = "") -> None:
        made = rounds.create(
            title, db.session.get(Attempt, v[attempt]), ["empathy"], [u["admin"]], u[by]
        )
        if note:
            rounds.hand_in(made.seats[0], {"empathy": 4}, TEXT[note])
        v[key] = made.id

    round_("round_a", "Round A", "attempt_a1", "manager_a", "round_a_note")
    round_("round_b", TEXT["round_b_title"], "attempt_b1", "manager_b", "round_b_note")
    round_("spare_round_admin", "Spare A", "attempt_a2", "manager_a")
    round_("spare_round_manager", "Spare M", "attempt_a2", "manager_a")


def _build_authoring(w: World, u: dict[str, User]) -> None:
    """Exercise previews: the admin's and the recruiter's of an opening each (of the
    opening their opening-preview check does not start afresh), and files previewed
    by a manager and an employee given the author permission; an expired one and a
    module preview of the employee's."""
    from datetime import timedelta

    from coachkit.authoring.models import Preview, PreviewKind
    from coachkit.database import utcnow
    from tests.content.conftest import CONTENT

    v = w.values
    exercise = (CONTENT / "exercises" / f"{EXERCISE}.md").read_text(encoding="utf-8")
    module = (CONTENT / "modules" / "charged-twice.md").read_text(encoding="utf-8")
    made = {
        "admin": ("admin", PreviewKind.EXERCISE, "", v["opening_1"]),
        "recruiter": ("recruiter", PreviewKind.EXERCISE, "", v["opening_2"]),
        "manager": ("manager_a", PreviewKind.EXERCISE, exercise, None),
        "employee": ("a1", PreviewKind.EXERCISE, exercise, None),
        "expired": ("a1", PreviewKind.EXERCISE, exercise, None),
        "module": ("a1", PreviewKind.MODULE, module, None),
    }
    u["a1"].is_author = u["manager_a"].is_author = True
    for key, (owner, kind, source, opening_id) in made.items():
        preview = Preview(
            owner_id=u[owner].id,
            kind=kind,
            file_name=EXERCISE,
            source=source,
            progress={},
            opening_id=opening_id,
        )
        preview.touch()
        if key == "expired":
            preview.expires_at = utcnow() - timedelta(minutes=1)
        db.session.add(preview)
        db.session.flush()
        v[f"preview_{key}"] = preview.id


def build_world(app: Flask) -> World:
    w = World()
    with app.test_request_context():
        users = _build_people(w, hash_password(PASSWORD))
        _build_teams(w, users)
        _build_coaching(w, users)
        _build_hiring(w, users)
        _build_links(w, users)
        _build_notifications(w, users)
        _build_scim(w)
        _build_greenhouse(w)
        _build_brand()
        _build_calibration(w, users)
        _build_authoring(w, users)
        db.session.commit()
    return w


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


# ---------------------------------------------------------------- the matrix


def _principals(rule: Rule, app: Flask) -> list[str]:
    """Who the route admits: candidates (anonymous) for public routes, else each role."""
    policy = policy_for(app, rule.endpoint)
    assert policy is not None, f"{rule.endpoint} declares no policy"
    if policy.public:
        return [CANDIDATE]
    return [p for p in (ADMIN, MANAGER, EMPLOYEE, RECRUITER) if policy.admits(ROLE_OF[p])]


def _blueprint(rule: Rule) -> str:
    return rule.endpoint.rpartition(".")[0] or rule.endpoint


def objects_for(rule: Rule, principal: str) -> dict[str, Objects]:
    """Each URL argument's objects for `principal`; fails on an unmapped argument."""
    mapped = {}
    for argument in sorted(rule.arguments):
        by_endpoint = OBJECTS.get((rule.endpoint, argument))
        objects = (by_endpoint or OBJECTS.get((_blueprint(rule), argument), {})).get(principal)
        if objects is None:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): no own and foreign objects for "
                f"{argument!r} as {principal}; add them to OBJECTS"
            )
        mapped[argument] = objects
    return mapped


def own_keys(rule: Rule, principal: str, objects: dict[str, Objects]) -> dict[str, str]:
    keys = {argument: o.own for argument, o in objects.items()}
    for argument, key in DESTRUCTIVE.get(rule.endpoint, {}).items():
        keys[argument] = key.format(principal=principal)
    return keys


def object_routes(app: Flask) -> Iterator[tuple[Rule, list[str]]]:
    for rule in app.url_map.iter_rules():
        if rule.arguments:
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def client_for(app: Flask, world: World, principal: str) -> FlaskClient:
    client = app.test_client()
    if principal != CANDIDATE:
        assert login(client, world.people[SIGNER[principal]]).status_code == 302
    return client


def _url(app: Flask, rule: Rule, world: World, keys: dict[str, str]) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **{a: world.values[k] for a, k in keys.items()})


def _leaks(body: str, names: set[str] | list[str]) -> list[str]:
    return [TEXT[name] for name in names if TEXT[name] in body]


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table but the sign-in bookkeeping, for before/after checks."""
    skip = {"auth_sessions", "login_attempts", "users"}
    with app.app_context():
        rows = {
            table.name: sorted(map(tuple, db.session.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
            if table.name not in skip
        }
        rows["users"] = sorted(
            map(tuple, db.session.execute(text("SELECT id, email, name, role, active FROM users")))
        )
        db.session.remove()
    return rows


def test_foreign_objects_are_404_without_their_contents(app, world):
    before = snapshot(app)
    failures, checked = [], 0
    for principal in ROLE_OF:
        client = client_for(app, world, principal)
        for rule, methods in object_routes(app):
            if principal not in _principals(rule, app):
                continue
            objects = objects_for(rule, principal)
            own = own_keys(rule, principal, objects)
            for argument, o in objects.items():
                for foreign in o.foreign:
                    keys = {**own, argument: foreign}  # the other arguments stay own
                    url = _url(app, rule, world, keys)
                    tokened = argument in TOKEN_ARGUMENTS
                    allowed = {404, 410} if tokened else {404}
                    for method in methods:
                        # A dead link may first send the candidate to its welcome page.
                        response = client.open(url, method=method, follow_redirects=tokened)
                        body = page(response)
                        response.close()
                        checked += 1
                        leaked = _leaks(body, FOREIGN_TEXT[foreign]) + _leaks(
                            body, NEVER[principal]
                        )
                        if response.status_code not in allowed or leaked:
                            failures.append(
                                f"{principal} {method} {url} ({foreign}): "
                                f"{response.status_code} {leaked}"
                            )
    assert failures == []
    assert checked > 150  # the matrix really ran
    assert snapshot(app) == before, "a refused request changed the database"


def test_own_objects_answer_and_no_page_shows_what_it_must_not(app, world):
    """The signer's own objects are reached (so the 404s above are not a wrong URL),
    and no page a principal can open, index pages included, shows what they may not
    see: another team's coaching, private notes about oneself, another candidate."""
    failures = []
    for principal in ROLE_OF:
        client = client_for(app, world, principal)
        for rule in app.url_map.iter_rules():
            if principal not in _principals(rule, app) or rule.endpoint == "auth.logout":
                continue
            if rule.endpoint in OFF_HERE or rule.endpoint in ALWAYS_NOT_FOUND:
                continue
            keys = own_keys(rule, principal, objects_for(rule, principal))
            url = _url(app, rule, world, keys)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method == "POST" and not rule.arguments:
                    continue  # creating things is covered by each feature's tests
                response = client.open(url, method=method)
                body = "" if response.mimetype.startswith("image/") else page(response)
                response.close()
                leaked = _leaks(body, NEVER[principal])
                if response.status_code in (403, 404, 410) or response.status_code >= 500:
                    failures.append(f"{principal} {method} {url}: {response.status_code}")
                if leaked:
                    failures.append(f"{principal} {method} {url}: shows {leaked}")
    assert failures == []


def test_a_route_with_an_unmapped_argument_fails_the_matrix(app):
    app.add_url_rule("/widgets/<int:widget_id>", "coaching.widget", lambda widget_id: "")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "coaching.widget")
    with pytest.raises(pytest.fail.Exception, match="widget_id"):
        objects_for(rule, MANAGER)


def test_admins_see_every_teams_records(app, world):
    client = client_for(app, world, ADMIN)
    v = world.values
    expectations = {
        f"/coaching/sessions/{v['session_b1']}": ["b1_shared", "b1_private", "b1_action"],
        f"/coaching/sessions/{v['session_ma']}": ["ma_shared", "ma_private"],
        f"/coaching/people/{v['b1']}": ["b1_name"],
        f"/teams/{v['team_b']}": ["team_b", "b1_name"],
        f"/handovers/{v['handover_b']}": ["handover_b", "z_name"],
        f"/hiring/openings/{v['opening_2']}/candidates/{v['candidate_z']}": ["z_name"],
        f"/hiring/rating/openings/{v['opening_2']}/candidates/{v['candidate_z']}/items/"
        f"{OPEN_ITEM}": ["z_answer"],
    }
    for path, names in expectations.items():
        response = client.get(path)
        assert response.status_code == 200, path
        body = page(response)
        assert [TEXT[n] for n in names if TEXT[n] not in body] == [], path


def test_coaches_and_coachees_see_what_they_should(app, world):
    """The positive side of the scoping: the coach reads the private notes, the person
    coached reads only the shared parts of their own session."""
    v = world.values
    manager = client_for(app, world, MANAGER)
    body = page(manager.get(f"/coaching/sessions/{v['session_a1']}"))
    assert TEXT["a1_shared"] in body and TEXT["a1_private"] in body
    body = page(manager.get(f"/coaching/mine/{v['session_ma']}"))
    assert TEXT["ma_shared"] in body and TEXT["ma_action"] in body
    assert TEXT["ma_private"] not in body and TEXT["ma_private_action"] not in body
    employee = client_for(app, world, EMPLOYEE)
    body = page(employee.get(f"/coaching/mine/{v['session_a1']}"))
    assert TEXT["a1_shared"] in body and TEXT["a1_action"] in body
    assert TEXT["a1_private"] not in body and TEXT["a1_private_action"] not in body
    body = page(employee.get("/coaching/mine/actions.csv"))
    assert TEXT["a1_action"] in body and TEXT["a1_private_action"] not in body
    manager_b = app.test_client()
    login(manager_b, world.people["manager_b"])
    assert manager_b.get(f"/handovers/{v['handover_a']}").status_code == 404
    assert TEXT["handover_b"] in page(manager_b.get(f"/handovers/{v['handover_b']}"))


# ---------------------------------------------------------------- candidates


def _screening_rules(app: Flask) -> list[tuple[Rule, list[str]]]:
    return [
        (rule, sorted(rule.methods - {"HEAD", "OPTIONS"}))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("hiring.screening.")
    ]


def _screening_urls(app: Flask, rule: Rule, token: str, positions: range) -> list[str]:
    with app.test_request_context():
        if "position" not in rule.arguments:
            return [app.url_for(rule.endpoint, token=token)]
        return [app.url_for(rule.endpoint, token=token, position=p) for p in positions]


def _answer_form(item: Any) -> dict[str, str]:
    if not item.keyed:
        return {"text": "typed over someone else's answer", "consent": "y"}
    if item.answer == "best-worst":
        return {"best": "0", "worst": "1"}
    return {f"rating_{i}": "2" for i in range(len(item.responses))}


def test_a_candidate_never_sees_another_candidates_answers(app, world):
    """With X's link (handed in) every screening page and every position Y's pages use
    show nothing of Y; with Y's link (in progress), nothing of X or Z."""
    positions = range(0, len(world.values["forms"]) + 2)
    before = snapshot(app)
    for token_key, hidden in (
        ("token_x", ["y_answer", "y_name", "z_answer", "z_name"]),
        ("token_y", ["x_answer", "x_name", "z_answer", "z_name"]),
    ):
        client = app.test_client()
        for rule, methods in _screening_rules(app):
            for url in _screening_urls(app, rule, world.values[token_key], positions):
                for method in methods:
                    if token_key == "token_y" and method == "POST":
                        continue  # Y's own writes are the screening tests' business
                    response = client.open(url, method=method, follow_redirects=True)
                    body = page(response)
                    assert response.status_code < 500, (method, url)
                    assert _leaks(body, hidden) == [], (method, url)
    # Y's answers are shown to Y (the check above can fail), and X wrote nothing over them.
    client = app.test_client()
    open_position = world.values["open_position"]
    y_page = page(client.get(f"/screening/{world.values['token_y']}/items/{open_position}"))
    assert TEXT["y_answer"] in y_page
    after = snapshot(app)
    assert after["hiring_answers"] == before["hiring_answers"]


@pytest.mark.parametrize(
    "variant", ["token_y_short", "token_y_case", "token_y_long", "token_y_hash"]
)
def test_a_wrong_token_is_404_with_nothing_of_the_candidate(app, world, variant):
    token = world.values[variant]
    forms = world.values["forms"]
    before = snapshot(app)
    client = app.test_client()
    for rule, methods in _screening_rules(app):
        for url in _screening_urls(app, rule, token, range(1, len(forms) + 1)):
            position = int(url.split("/items/")[1].split("/")[0]) if "/items/" in url else 1
            for method in methods:
                response = client.open(url, method=method, data=forms[position - 1])
                body = page(response)
                assert response.status_code == 404, (method, url)
                assert _leaks(body, CANDIDATE_TEXT) == [], (method, url)
                assert "Care adviser Alpha" not in body and "Sales adviser Bravo" not in body
    assert snapshot(app) == before


def test_a_replaced_link_is_410_naming_only_the_openings_contact(app, world):
    """Z's first link, since resent: every candidate page says a newer link was sent and
    whom to ask (the opening's contact), with nothing of Z and nothing changed."""
    token = world.values["token_z_replaced"]
    forms = world.values["forms"]
    before = snapshot(app)
    client = app.test_client()
    for rule, methods in _screening_rules(app):
        for url in _screening_urls(app, rule, token, range(1, len(forms) + 1)):
            position = int(url.split("/items/")[1].split("/")[0]) if "/items/" in url else 1
            for method in methods:
                response = client.open(url, method=method, data=forms[position - 1])
                body = page(response)
                if rule.endpoint == "hiring.screening.unknown":
                    assert response.status_code == 404, (method, url)
                else:
                    assert response.status_code == 410, (method, url)
                    assert "replaced by a newer one" in body
                    assert "Sales adviser Bravo" in body  # the opening whose contact it names
                assert _leaks(body, CANDIDATE_TEXT) == [], (method, url)
                assert "Go to sign in" not in body
                assert response.headers["Referrer-Policy"] == "no-referrer"
    assert snapshot(app) == before


def test_a_revoked_link_is_410_and_shows_no_answers(app, world):
    client = app.test_client()
    response = client.get(f"/screening/{world.values['token_v_revoked']}")
    assert response.status_code == 410
    assert _leaks(page(response), CANDIDATE_TEXT) == []


# ---------------------------------------------------------------- ids in form fields


def test_form_fields_naming_another_teams_records_change_nothing(app, world):
    """Ids are not secrets: a manager who types another team's ids into a form's
    fields (assignment target, an action row's id, evidence, carried-over actions)
    changes nothing of theirs."""
    from tests.coaching.conftest import form_fields

    v = world.values
    client = client_for(app, world, MANAGER)
    before = snapshot(app)
    due = (date.today() + timedelta(days=7)).isoformat()
    for target in (f"team:{v['team_b']}", f"user:{v['b1']}", f"team:{v['team_leads']}"):
        response = client.post(
            "/training/assign", data={"module": v["module"], "target": target, "due_on": due}
        )
        assert response.status_code == 200, target  # the form again, with its error
        assert "Choose one of your teams or people." in page(response)
    edit = form_fields(client.get(f"/coaching/sessions/{v['session_a1']}/edit"))
    edit.update({"actions-0-action_id": str(v["action_b1"]), "actions-0-text": "Hijacked"})
    assert client.post(f"/coaching/sessions/{v['session_a1']}/edit", data=edit).status_code == 302
    new = form_fields(client.get(f"/coaching/people/{v['a1']}/sessions/new"))
    for name, value in (("evidence", v["attempt_b1"]), ("carried_done", v["action_b1"])):
        response = client.post(
            f"/coaching/people/{v['a1']}/sessions/new", data={**new, name: str(value)}
        )
        assert response.status_code == 200, name  # refused: not one of the offered choices
    after = snapshot(app)
    b1_action = [row for row in after["coaching_action_items"] if row[0] == v["action_b1"]]
    assert b1_action == [row for row in before["coaching_action_items"] if row[0] == v["action_b1"]]
    # The edit was saved: the foreign id started a new action in A1's own session.
    assert any("Hijacked" in row for row in after["coaching_action_items"])
    assert after["training_assignments"] == before["training_assignments"]
    assert after["coaching_evidence"] == before["coaching_evidence"]
    assert len(after["coaching_sessions"]) == len(before["coaching_sessions"])
