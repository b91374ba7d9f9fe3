"""PLACEHOLDER: filled in by its owner."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("handovers", __name__, url_prefix="/handovers")
