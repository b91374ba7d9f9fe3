"""An opening's statistics for recruiters and admins: do the raters agree, does the
exercise measure well, and does it select groups of candidates at similar rates."""

from __future__ import annotations

from flask import Blueprint, render_template

from coachkit.auth.access import allow
from coachkit.content.library import library
from coachkit.hiring.models import HIRERS
from coachkit.hiring.reports import statistics
from coachkit.hiring.reports.fairness import MIN_GROUP_SHOWN, fairness_report
from coachkit.hiring.scope import opening_or_404
from coachkit.statistics import adverse_impact, item_analysis
from coachkit.statistics.agreement import (
    CALIBRATION_THRESHOLD,
    GOOD_AGREEMENT,
    KAPPA_CALIBRATION_THRESHOLD,
)

bp = Blueprint("reports", __name__, url_prefix="/hiring/reports")


@bp.route("/openings/<int:opening_id>/agreement")
@allow(*HIRERS)
def agreement(opening_id: int) -> str:
    """How alike the raters score each item and skill; low agreement is flagged."""
    opening = opening_or_404(opening_id)
    return render_template(
        "hiring/reports/agreement.html",
        opening=opening,
        report=statistics.agreement_report(opening),
        skills=library().skills,
        threshold=CALIBRATION_THRESHOLD,
        kappa_threshold=KAPPA_CALIBRATION_THRESHOLD,
        good=GOOD_AGREEMENT,
    )


@bp.route("/openings/<int:opening_id>/quality")
@allow(*HIRERS)
def quality(opening_id: int) -> str:
    """Item difficulty and discrimination and the exercise's reliability."""
    opening = opening_or_404(opening_id)
    return render_template(
        "hiring/reports/quality.html",
        opening=opening,
        report=statistics.quality_report(opening),
        minimum=item_analysis.MIN_CANDIDATES_FOR_REPORT,
    )


@bp.route("/openings/<int:opening_id>/fairness")
@allow(*HIRERS)
def fairness(opening_id: int) -> str:
    """Selection rates per self-identified group against the four-fifths rule."""
    opening = opening_or_404(opening_id)
    return render_template(
        "hiring/reports/fairness.html",
        opening=opening,
        report=fairness_report(opening),
        min_shown=MIN_GROUP_SHOWN,
        min_group=adverse_impact.MIN_GROUP_TOTAL,
        min_selected=adverse_impact.MIN_TOTAL_SELECTED,
    )
