"""What coachkit notifies people about (kinds) and how each reaches them (delivery).

Every event that notifies has a kind. A kind's label names it on the preferences page;
its audience is the roles it can reach, so each person is offered only the kinds that
concern them. Kinds with no audience go to candidates, who have no account: they are
e-mails to a plain address, never in-app notifications.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from coachkit.auth.models import Role

_STAFF = frozenset({Role.EMPLOYEE, Role.MANAGER})
_COACHES = frozenset({Role.MANAGER, Role.ADMIN})
_COACHED_OR_COACHING = frozenset({Role.EMPLOYEE, Role.MANAGER, Role.ADMIN})
_HIRING = frozenset({Role.RECRUITER, Role.ADMIN})
_CANDIDATES: frozenset[Role] = frozenset()


class Delivery(enum.StrEnum):
    """How a kind of notification reaches a person besides the app."""

    EMAIL = "email"
    DIGEST = "digest"
    OFF = "off"

    @property
    def label(self) -> str:
        return {
            Delivery.EMAIL: "E-mail each one",
            Delivery.DIGEST: "In the daily digest",
            Delivery.OFF: "In coachkit only",
        }[self]


@dataclass(frozen=True)
class _About:
    label: str
    audience: frozenset[Role]
    digestible: bool = True


class Kind(enum.StrEnum):
    MODULE_ASSIGNED = "module_assigned"
    MODULE_DUE_SOON = "module_due_soon"
    MODULE_OVERDUE = "module_overdue"
    SESSION_SHARED = "session_shared"
    SESSION_EDITED = "session_edited"
    SESSION_ACKNOWLEDGED = "session_acknowledged"
    ACTION_ASSIGNED = "action_assigned"
    ACTION_DUE_SOON = "action_due_soon"
    ACTION_OVERDUE = "action_overdue"
    NEXT_SESSION_DUE = "next_session_due"
    CALIBRATION_INVITED = "calibration_invited"
    ANSWERS_WAITING = "answers_waiting"
    CANDIDATES_HANDED_IN = "candidates_handed_in"
    CANDIDATE_INVITE = "candidate_invite"
    CANDIDATE_INVITE_RESENT = "candidate_invite_resent"
    CANDIDATE_REMINDER = "candidate_reminder"
    PASSWORD_LINK = "password_link"  # noqa: S105 - a kind of e-mail, not a password
    DIGEST = "digest"

    @property
    def label(self) -> str:
        return _ABOUT[self].label

    @property
    def audience(self) -> frozenset[Role]:
        return _ABOUT[self].audience

    @property
    def digestible(self) -> bool:
        """Whether it may wait for the daily digest (a link that expires may not)."""
        return _ABOUT[self].digestible

    @property
    def for_candidates(self) -> bool:
        return self in _CANDIDATE_KINDS

    @classmethod
    def offered_to(cls, role: Role) -> list[Kind]:
        """The kinds a person with `role` chooses a delivery for, in page order."""
        return [kind for kind in cls if role in kind.audience]

    @classmethod
    def for_people(cls) -> list[Kind]:
        """Every kind that reaches people with an account (the organisation defaults)."""
        return [kind for kind in cls if kind.audience]


_ABOUT: dict[Kind, _About] = {
    Kind.MODULE_ASSIGNED: _About("A training module is assigned to you", _STAFF),
    Kind.MODULE_DUE_SOON: _About("A module assigned to you is due in 2 days", _STAFF),
    Kind.MODULE_OVERDUE: _About("A module assigned to you is overdue", _STAFF),
    Kind.SESSION_SHARED: _About("A coaching session is shared with you", _STAFF),
    Kind.SESSION_EDITED: _About("A session you acknowledged was changed", _STAFF),
    Kind.SESSION_ACKNOWLEDGED: _About("Someone you coach acknowledged a session", _COACHES),
    Kind.ACTION_ASSIGNED: _About("An action item is assigned to you", _COACHED_OR_COACHING),
    Kind.ACTION_DUE_SOON: _About("An action item of yours is due soon", _COACHED_OR_COACHING),
    Kind.ACTION_OVERDUE: _About("An action item of yours is overdue", _COACHED_OR_COACHING),
    Kind.NEXT_SESSION_DUE: _About(
        "The date set for a next coaching session has come", _COACHED_OR_COACHING
    ),
    Kind.CALIBRATION_INVITED: _About(
        "You are asked to rate a conversation in a calibration round", _COACHES
    ),
    Kind.ANSWERS_WAITING: _About("Candidates' answers wait for your rating", _HIRING),
    Kind.CANDIDATES_HANDED_IN: _About(
        "Candidates handed in or ran out of time on your openings", _HIRING
    ),
    Kind.CANDIDATE_INVITE: _About("Invitation to a screening exercise", _CANDIDATES, False),
    Kind.CANDIDATE_INVITE_RESENT: _About(
        "Invitation to a screening exercise, sent again", _CANDIDATES, False
    ),
    Kind.CANDIDATE_REMINDER: _About(
        "Reminder: a screening exercise link expires soon", _CANDIDATES, False
    ),
    Kind.PASSWORD_LINK: _About(
        "Set-password links an administrator sends you", frozenset(Role), False
    ),
    Kind.DIGEST: _About("The daily digest", _CANDIDATES, False),
}
_CANDIDATE_KINDS = frozenset(
    {Kind.CANDIDATE_INVITE, Kind.CANDIDATE_INVITE_RESENT, Kind.CANDIDATE_REMINDER}
)
