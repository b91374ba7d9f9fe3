"""PLACEHOLDER: filled in by its owner."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("hiring_reports", __name__, url_prefix="/hiring/reports")
