"""The main navigation each role sees."""

from __future__ import annotations

from coachkit.auth.models import Role, User

NAV: dict[Role, list[tuple[str, str]]] = {
    Role.ADMIN: [
        ("home.index", "Home"),
        ("people.index", "People"),
        ("teams.index", "Teams"),
        ("training.index", "Practice"),
        ("coaching.index", "Coaching"),
        ("hiring.openings.index", "Hiring"),
        ("evidence.validity", "Evidence"),
    ],
    Role.MANAGER: [
        ("home.index", "Home"),
        ("teams.index", "My teams"),
        ("coaching.index", "Coaching"),
        ("training.index", "Practice"),
        ("training.assign", "Assign"),
        ("evidence.impact", "Impact"),
    ],
    Role.EMPLOYEE: [
        ("home.index", "Home"),
        ("training.index", "Practice"),
        ("my_coaching.index", "Coaching"),
    ],
    Role.RECRUITER: [
        ("home.index", "Home"),
        ("hiring.openings.index", "Openings"),
        ("hiring.rating.index", "Rate answers"),
        ("evidence.validity", "Validity"),
    ],
}


# An author (any role, `User.is_author`) also sees the authoring preview.
AUTHORING = ("authoring.index", "Authoring")


def items_of(user: User) -> list[tuple[str, str]]:
    return [*NAV[user.role], AUTHORING] if getattr(user, "is_author", False) else NAV[user.role]


# Blueprints whose pages belong under another blueprint's navigation item: an
# opening's candidates, comparison and reports sit under the openings.
SECTION_OF = {
    "hiring.candidates": "hiring.openings",
    "hiring.reports": "hiring.openings",
    "calibration": "coaching",
    "authoring.module": "authoring",
    "authoring.exercise": "authoring",
}


def blueprint_of(endpoint: str) -> str:
    """The (possibly nested) blueprint of an endpoint: `hiring.rating` of
    `hiring.rating.queue`."""
    return endpoint.rpartition(".")[0]


def current_item(user: User, endpoint: str | None) -> str | None:
    """The one nav endpoint to mark as current: an exact match, else the first item of
    the same section (blueprint)."""
    if endpoint is None:
        return None
    items = [item for item, _label in items_of(user)]
    if endpoint in items:
        return endpoint
    section = blueprint_of(endpoint)
    section = SECTION_OF.get(section, section)
    return next(
        (item for item in items if blueprint_of(item) == section and item != "home.index"), None
    )


def main_nav(user: User, endpoint: str | None) -> list[tuple[str, str, bool]]:
    """The navigation bar's links for `user` on the page `endpoint`: each item's
    endpoint, label and whether it is the current one (base.html renders them)."""
    current = current_item(user, endpoint)
    return [(item, label, item == current) for item, label in items_of(user)]
