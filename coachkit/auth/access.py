"""Access policies: every route declares who may use it, and one hook enforces it.

A view is decorated with `public`, `signed_in`, `authors` or `allow(Role...)`. The app refuses
any request to a route without a declared policy (fail closed), and the test suite
walks `app.url_map` so an undeclared route cannot land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from coachkit.auth.models import Role
from coachkit.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Policy:
    """Who may use a route: anyone (`public`) or signed-in users with these roles."""

    public: bool
    roles: frozenset[Role]
    authors_only: bool = False  # and only people given the author permission

    def admits(self, role: Role | None, *, author: bool = False) -> bool:
        if self.authors_only and not author:
            return False
        return self.public or (role is not None and role in self.roles)


PUBLIC = Policy(public=True, roles=frozenset())
# Endpoints Flask itself registers.
BUILT_IN = {"static": PUBLIC}


def _declare(view: View, policy: Policy) -> View:
    view.access_policy = policy  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Anyone, signed in or not."""
    return _declare(view, PUBLIC)


def signed_in(view: View) -> View:
    """Any signed-in user, whatever their role."""
    return _declare(view, Policy(public=False, roles=ALL_ROLES))


def authors(view: View) -> View:
    """Signed-in users of any role given the author permission (`User.is_author`)."""
    return _declare(view, Policy(public=False, roles=ALL_ROLES, authors_only=True))


def allow(*roles: Role) -> Callable[[View], View]:
    """Signed-in users with one of `roles`."""
    if not roles:
        raise ValueError("allow() needs at least one role")

    def decorate(view: View) -> View:
        return _declare(view, Policy(public=False, roles=frozenset(roles)))

    return decorate


def policy_for(app: Flask, endpoint: str) -> Policy | None:
    """The declared policy of an endpoint, or None when it declares none."""
    if endpoint in BUILT_IN or endpoint.endswith(".static"):
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_policy", None)


def enforce() -> Any:
    """before_request hook: sign-in redirect, 403 for the wrong role, 403 if undeclared."""
    if request.endpoint is None:  # routing failed; the 404/405 handler answers
        return None
    policy = policy_for(current_app, request.endpoint)
    if policy is None:
        current_app.logger.error("route %s declares no access policy", request.endpoint)
        abort(403)
    if policy.public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not policy.admits(current_user.role, author=current_user.is_author):
        abort(403)
    return None
