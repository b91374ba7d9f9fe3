"""PLACEHOLDER: filled in by its owner."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rating", __name__, url_prefix="/hiring/rating")
