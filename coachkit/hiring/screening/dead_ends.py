"""Every way a candidate's link can fail, answered in the employer's name: what went
wrong, what to do, and whom to write to. Never coachkit's "Go to sign in": a candidate
has no account.

Registered as the screening blueprint's error handlers (and its catch-all route), so a
mistyped or cut-off address, a page that does not exist, a blocked cookie and any other
refusal under /screening/ all get a candidate page with the blueprint's no-referrer
headers. The kind 410 for a link that was replaced, expired or withdrawn is `gate.gone`.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coachkit.errors import TITLES
from coachkit.hiring import invitations

NOT_FOUND = "not-found"
NO_COOKIES = "no-cookies"
EXPIRED_FORM = "expired-form"
OTHER = "other"


def page(kind: str, code: int) -> tuple[str, int]:
    """The candidate page for a dead end of `kind`, naming the opening's contact when
    the link tells the opening (`gate.invitation_or_404` keeps it in `g`; a request
    refused before its view ran, as for a missing cookie, looks it up here)."""
    token = g.get("screening_token") or (request.view_args or {}).get("token")
    opening = g.get("screening_opening")
    if opening is None and token and (invitation := invitations.find(token)) is not None:
        opening = invitation.candidate.opening
    return render_template(
        "hiring/screening/dead_end.html",
        kind=kind,
        code=code,
        title=TITLES.get(code, "Something went wrong"),
        opening=opening,
        token=token if opening is not None else None,
    ), code


def http_error(error: HTTPException) -> HTTPException | tuple[str, int]:
    if error.code is None or error.code < 400 or error.code >= 500:
        return error  # redirects pass; a 500 is the app's (it rolls back)
    return page(NOT_FOUND if error.code in (404, 405) else OTHER, error.code)


def cookies_came_back() -> bool:
    """Whether the browser sent our session cookie back (the CSRF token lives in it)."""
    return current_app.config.get("SESSION_COOKIE_NAME", "session") in request.cookies


def csrf_error(error: CSRFError) -> tuple[str, int]:
    """A form refused for its token: the cookie never came back (blocked cookies), or
    the page was old. Nothing typed was saved by this request, so say to go back."""
    if request.endpoint == "hiring.screening.unknown":
        return page(NOT_FOUND, 404)
    return page(EXPIRED_FORM if cookies_came_back() else NO_COOKIES, 400)
