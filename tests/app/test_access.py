"""Every route declares who may use it, and each role gets exactly that.

The matrix is built from `app.url_map`: a new route without a policy, or without a
sample value for one of its URL arguments, fails here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from coachkit.auth.access import policy_for
from coachkit.auth.models import Role
from tests.conftest import login

PRINCIPALS: list[Role | None] = [None, *Role]
ADMIN, MANAGER, EMPLOYEE, RECRUITER = Role.ADMIN, Role.MANAGER, Role.EMPLOYEE, Role.RECRUITER
EVERYONE = "public"
SIGNED_IN = frozenset(Role)
AUTHORS = "authors"  # any role, with the author permission (User.is_author)

# Who each endpoint is meant for. A new route must be added here on purpose, so a
# too-broad policy in the code disagrees with this table and fails.
INTENDED = {
    "static": EVERYONE,
    "home.healthz": EVERYONE,
    "auth.login": EVERYONE,
    "auth.set_password": EVERYONE,
    "home.index": SIGNED_IN,
    "auth.logout": SIGNED_IN,
    "auth.account": SIGNED_IN,
    "people.index": {ADMIN},
    "people.new": {ADMIN},
    "people.edit": {ADMIN},
    "people.deactivate": {ADMIN},
    "people.password_link": {ADMIN},
    "people.moved": {ADMIN},  # the old /admin/users/ addresses, redirected like bookmarks
    "teams.index": {ADMIN, MANAGER},
    "teams.show": {ADMIN, MANAGER},
    "teams.new": {ADMIN},
    "teams.edit": {ADMIN},
    "teams.add_member": {ADMIN},
    "teams.remove_member": {ADMIN},
    "teams.delete": {ADMIN},
    "training.index": {EMPLOYEE, MANAGER, ADMIN},
    "training.show": {EMPLOYEE, MANAGER, ADMIN},
    "training.start": {EMPLOYEE, MANAGER, ADMIN},
    "training.play": {EMPLOYEE, MANAGER, ADMIN},
    "training.results": {EMPLOYEE, MANAGER, ADMIN},
    "training.assign": {MANAGER, ADMIN},
    "training.team_progress": {MANAGER, ADMIN},
    "training.remind": {MANAGER, ADMIN},
    "training.report": {MANAGER, ADMIN},
    "coaching.index": {MANAGER, ADMIN},
    "coaching.person": {MANAGER, ADMIN},
    "coaching.new": {MANAGER, ADMIN},
    "coaching.save_draft": {MANAGER, ADMIN},
    "coaching.add_agenda_point": {MANAGER, ADMIN},
    "coaching.show": {MANAGER, ADMIN},
    "coaching.edit": {MANAGER, ADMIN},
    "coaching.history": {MANAGER, ADMIN},
    "coaching.assign": {MANAGER, ADMIN},
    "coaching.team_trends": {MANAGER, ADMIN},
    "coaching.export_team": {MANAGER, ADMIN},
    "coaching.action_done": {EMPLOYEE, MANAGER, ADMIN},
    "my_coaching.index": {EMPLOYEE, MANAGER},
    "my_coaching.add_agenda_point": {EMPLOYEE, MANAGER},
    "my_coaching.show": {EMPLOYEE, MANAGER},
    "my_coaching.acknowledge": {EMPLOYEE, MANAGER},
    "my_coaching.export_mine": {EMPLOYEE, MANAGER},
    # calibration rounds (coachkit/calibration/views.py)
    "calibration.index": {MANAGER, ADMIN},
    "calibration.new": {MANAGER, ADMIN},
    "calibration.show": {MANAGER, ADMIN},
    "calibration.rate": {MANAGER, ADMIN},
    "calibration.close": {MANAGER, ADMIN},
    # hiring: recruiter pages (coachkit/hiring/openings/views.py, candidates/views.py)
    "hiring.openings.index": {RECRUITER, ADMIN},
    "hiring.openings.new": {RECRUITER, ADMIN},
    "hiring.openings.edit": {RECRUITER, ADMIN},
    "hiring.openings.close": {RECRUITER, ADMIN},
    "hiring.openings.reopen": {RECRUITER, ADMIN},
    "hiring.openings.show": {RECRUITER, ADMIN},
    "hiring.candidates.index": {RECRUITER, ADMIN},
    "hiring.candidates.add": {RECRUITER, ADMIN},
    "hiring.candidates.upload": {RECRUITER, ADMIN},
    "hiring.candidates.invite_all": {RECRUITER, ADMIN},
    "hiring.candidates.show": {RECRUITER, ADMIN},
    "hiring.candidates.invite": {RECRUITER, ADMIN},
    "hiring.candidates.revoke": {RECRUITER, ADMIN},
    "hiring.candidates.decide": {RECRUITER, ADMIN},
    "hiring.candidates.delete": {RECRUITER, ADMIN},
    "hiring.candidates.compare": {RECRUITER, ADMIN},
    "hiring.candidates.export": {RECRUITER, ADMIN},
    "hiring.candidates.add_many": {RECRUITER, ADMIN},
    "hiring.candidates.links": {RECRUITER, ADMIN},
    "hiring.candidates.note": {RECRUITER, ADMIN},
    # hiring: rating, reports and hand-overs (coachkit/hiring/rating/, reports/, handovers/)
    "hiring.rating.index": {RECRUITER, ADMIN},
    "hiring.rating.queue": {RECRUITER, ADMIN},
    "hiring.rating.rate": {RECRUITER, ADMIN},
    "hiring.reports.agreement": {RECRUITER, ADMIN},
    "hiring.reports.quality": {RECRUITER, ADMIN},
    "hiring.reports.fairness": {RECRUITER, ADMIN},
    "evidence.validity": {RECRUITER, ADMIN},
    "evidence.impact": {MANAGER, ADMIN},
    "hiring.handovers.new": {RECRUITER, ADMIN},
    "hiring.handovers.index": {MANAGER, ADMIN},
    "hiring.handovers.show": {MANAGER, ADMIN},
    # hiring: candidate pages (coachkit/hiring/screening/views.py)
    "hiring.screening.welcome": EVERYONE,
    "hiring.screening.item": EVERYONE,
    "hiring.screening.autosave": EVERYONE,
    "hiring.screening.review": EVERYONE,
    "hiring.screening.submit": EVERYONE,
    "hiring.screening.done": EVERYONE,
    "hiring.screening.about_you": EVERYONE,
    "hiring.screening.unknown": EVERYONE,  # any other address under /screening/: a 404
    # notifications (coachkit/notifications/views.py, outbox_views.py)
    "notifications.index": SIGNED_IN,
    "notifications.open": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    "notifications.preferences": SIGNED_IN,
    "notifications.defaults": {ADMIN},
    "notifications.unsubscribe": EVERYONE,
    "outbox.index": {ADMIN},
    "outbox.show": {ADMIN},
    "outbox.retry": {ADMIN},
    # self-service password reset (coachkit/people/password_reset.py)
    "password_reset.start": EVERYONE,
    # single sign-on (coachkit/auth/oidc_views.py); without OIDC_ISSUER both answer 404
    "oidc.start": EVERYONE,
    "oidc.callback": EVERYONE,
    # people import (coachkit/people/import_views.py)
    "people_import.start": {ADMIN},
    "people_import.apply": {ADMIN},
    # SCIM (coachkit/scim/views.py): no cookie sign-in; every request needs a bearer
    # token, checked by the blueprint (401 without one: tests/scim/test_tokens.py)
    **{
        f"scim.{name}": EVERYONE
        for name in (
            "service_provider_config",
            "resource_types",
            "resource_type",
            "schemas",
            "schema",
            "unknown",
            "search_everything",
            "users_index",
            "users_search",
            "users_create",
            "user",
            "groups_index",
            "groups_search",
            "groups_create",
            "group",
        )
    },
    # SCIM tokens and audit (coachkit/scim/admin_views.py)
    "scim_tokens.index": {ADMIN},
    "scim_tokens.create": {ADMIN},
    "scim_tokens.revoke": {ADMIN},
    # Greenhouse's partner API (coachkit/hiring/greenhouse/views.py): no cookie sign-in;
    # every request needs a partner key, checked by the blueprint (401 without one:
    # tests/hiring/greenhouse/test_authentication.py). Its keys page is for admins.
    "hiring.greenhouse.list_tests": EVERYONE,
    "hiring.greenhouse.send": EVERYONE,
    "hiring.greenhouse.test_status": EVERYONE,
    "hiring.greenhouse.response_error": EVERYONE,
    "hiring.greenhouse_keys.index": {ADMIN},
    "hiring.greenhouse_keys.create": {ADMIN},
    "hiring.greenhouse_keys.revoke": {ADMIN},
    # learning records sent to an LRS (coachkit/xapi/views.py)
    "xapi.index": {ADMIN},
    "xapi.retry": {ADMIN},
    # organisation settings and the brand candidate pages load (coachkit/organisation/)
    "organisation.edit": {ADMIN},
    "organisation.logo": EVERYONE,
    "organisation.brand_css": EVERYONE,
    # content authoring (coachkit/authoring/): previews of files for authors, of an
    # opening's exercise for its recruiters; playing either is the owner's alone
    **{
        f"authoring.{name}": AUTHORS
        for name in (
            "index",
            "new",
            "show",
            "download",
            "delete",
            "module.start",
            "module.play",
            "module.results",
        )
    },
    **{
        f"authoring.exercise.{name}": SIGNED_IN
        for name in ("welcome", "item", "review", "submit", "done")
    },
    "authoring.opening_preview.opening": {RECRUITER, ADMIN},
}


@pytest.fixture
def csrf_app(app_factory):
    """CSRF on, so a POST that passes the access check stops at the CSRF check (400)
    instead of changing anything."""
    return app_factory(WTF_CSRF_ENABLED=True)


@pytest.fixture
def world(make_user, make_team, csrf_app):
    """One person per role, and a team managed by the manager, with sample URL values."""
    people = {role: make_user(role) for role in Role}
    colleague = make_user(Role.EMPLOYEE)
    team_id = make_team(
        "Care", managers=[people[Role.MANAGER]], members=[people[Role.EMPLOYEE], colleague]
    )
    from coachkit.extensions import db
    from coachkit.teams.models import Membership

    with csrf_app.app_context():
        membership_id = db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == colleague.id)
        )
    samples = {
        "user_id": colleague.id,
        "team_id": team_id,
        "membership_id": membership_id,
        "token": "not-a-real-token",
        "position": 1,
        "filename": "coachkit.css",
        "slug": "charged-twice",
        "attempt_id": 1,
        "assignment_id": 1,
        "session_id": 1,
        "action_id": 1,
        "what": "sessions",
        # hiring: rating and reports
        "opening_id": 1,
        "candidate_id": 1,
        "item_id": "evenings-keep-dropping",
        "handover_id": 1,
        "notification_id": 1,
        "message_id": 1,
        # SCIM
        "name": "User",
        "urn": "urn:ietf:params:scim:schemas:core:2.0:User",
        "unknown": "no-such-endpoint",
        "group_id": 1,
        "token_id": 1,
        # Greenhouse partner keys
        "key_id": 1,
        # candidate pages' catch-all
        "rest": "cut-off/link",
        "round_id": 1,
        "preview_id": 1,
    }
    return people, samples


def routes(app):
    for rule in app.url_map.iter_rules():
        yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_declares_an_access_policy(app):
    undeclared = [rule.rule for rule, _ in routes(app) if policy_for(app, rule.endpoint) is None]
    assert undeclared == []


def test_declared_policies_match_the_intended_table(app):
    declared = {}
    for rule, _ in routes(app):
        policy = policy_for(app, rule.endpoint)
        declared[rule.endpoint] = (
            EVERYONE if policy.public else AUTHORS if policy.authors_only else set(policy.roles)
        )
    intended = {
        endpoint: roles if roles in (EVERYONE, AUTHORS) else set(roles)
        for endpoint, roles in INTENDED.items()
    }
    assert declared == intended


def test_undeclared_route_is_refused(app_factory):
    app = app_factory()
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert app.test_client().get("/forgotten").status_code == 403


def _expectation(policy, role):
    if policy.admits(role):
        return "allowed"
    return "login" if role is None else "forbidden"


def test_each_role_against_each_route(csrf_app, world):
    people, samples = world
    failures = []
    for role in PRINCIPALS:
        client = csrf_app.test_client()
        if role is not None:
            assert login(client, people[role]).status_code == 302
        for rule, methods in routes(csrf_app):
            missing = [arg for arg in rule.arguments if arg not in samples]
            assert not missing, f"add a sample value for {missing} ({rule.rule})"
            with csrf_app.test_request_context():
                url = csrf_app.url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})
            expected = _expectation(policy_for(csrf_app, rule.endpoint), role)
            for method in methods:
                response = client.open(url, method=method)
                response.close()  # static files are streamed from open files
                location = urlsplit(response.headers.get("Location", "")).path
                outcome = (
                    "login"
                    if response.status_code == 302 and location == "/login"
                    else "forbidden"
                    if response.status_code == 403
                    else "allowed"
                )
                if rule.endpoint == "auth.login" and role is not None:
                    outcome = "allowed"  # signed-in users are sent home from the login page
                if outcome != expected:
                    failures.append(
                        f"{role} {method} {url}: {response.status_code} "
                        f"({outcome}, expected {expected})"
                    )
    assert failures == []


def test_allowed_posts_without_csrf_token_are_rejected(csrf_app, world):
    people, samples = world
    client = csrf_app.test_client()
    login(client, people[Role.ADMIN])
    response = client.post(f"/people/{samples['user_id']}/deactivate")
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
