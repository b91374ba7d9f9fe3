"""The partner endpoints Greenhouse calls, at /api/greenhouse/: list_tests, send_test,
test_status and response_error (Greenhouse's Assessment Partner API).

Every request carries an organisation's partner key as the user name of HTTP Basic
(empty password), checked by `authenticate` below; without a live key the answer is
401 with a Basic challenge. The blueprint is exempt from CSRF checks, which protect
cookie sessions, not keys. Answers and errors are JSON.
"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, Response, g, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from coachkit.auth.access import public
from coachkit.extensions import db
from coachkit.hiring.greenhouse import callbacks, interviews, keys, response_errors
from coachkit.hiring.greenhouse.payloads import BadPayload, reported_error, send_test

# Public as far as sign-in goes: no cookie session reaches these views; each request
# is authenticated by its partner key in `authenticate`.
bp = Blueprint("greenhouse", __name__, url_prefix="/api/greenhouse")
bp.record_once(lambda state: callbacks.register(cast(Flask, state.app)))


def error(message: str, status: int) -> Response:
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


@bp.before_request
def authenticate() -> Response | None:
    key = keys.authenticate(request.headers.get("Authorization"))
    if key is None:
        response = error("A live partner key is needed, as the user name of HTTP Basic.", 401)
        response.headers["WWW-Authenticate"] = 'Basic realm="coachkit Greenhouse"'
        return response
    g.partner_key = key
    db.session.commit()  # its last use, when recorded
    return None


@bp.errorhandler(BadPayload)
def bad_payload(problem: BadPayload) -> Response:
    db.session.rollback()
    return error(problem.message, problem.status)


@bp.errorhandler(HTTPException)
def http_error(problem: HTTPException) -> Response:
    db.session.rollback()
    return error(problem.description or problem.name, problem.code or 500)


@bp.route("/list_tests")
@public
def list_tests() -> Response:
    """One test per open opening."""
    return jsonify(
        [
            {"partner_test_id": str(opening.id), "partner_test_name": opening.title}
            for opening in interviews.open_tests()
        ]
    )


@bp.route("/send_test", methods=["POST"])
@public
def send() -> Response:
    """Add the candidate to the test's opening and invite them; the interview's id."""
    wanted = send_test(request.get_json(silent=True))
    try:
        interview = interviews.send(wanted, g.partner_key)
        db.session.commit()
    except IntegrityError:  # the same request, in parallel, made the candidate first
        db.session.rollback()
        interview = interviews.send(wanted, g.partner_key)
        db.session.commit()
    return jsonify({"partner_interview_id": str(interview.id)})


@bp.route("/test_status")
@public
def test_status() -> Response:
    """Whether the candidate's test is complete, with the scores."""
    interview = interviews.find(request.args.get("partner_interview_id", "").strip())
    return jsonify(interviews.status(interview))


@bp.route("/response_error", methods=["POST"])
@public
def response_error() -> Response:
    """Record what Greenhouse could not accept from us, for admins to see."""
    response_errors.record(reported_error(request.get_json(silent=True)), g.partner_key)
    db.session.commit()
    return jsonify({"status": 200})
