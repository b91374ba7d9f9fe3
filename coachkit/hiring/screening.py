"""PLACEHOLDER: the candidate pages, filled in by their owner."""

from __future__ import annotations

from flask import Blueprint

from coachkit.auth.access import public

bp = Blueprint("screening", __name__, url_prefix="/screening")


@bp.route("/<token>")
@public
def welcome(token: str) -> str:
    return "placeholder"
