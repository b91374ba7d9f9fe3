"""An opening's statistics for recruiters and admins: do the raters agree, does the
exercise measure well, and does it select groups of candidates at similar rates."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from coachkit.auth.access import allow
from coachkit.content.library import library
from coachkit.hiring.models import HIRERS
from coachkit.hiring.reports import quality as quality_reports
from coachkit.hiring.reports import statistics
from coachkit.hiring.reports.fairness import MIN_GROUP_SHOWN, Basis, fairness_report
from coachkit.hiring.scope import opening_or_404
from coachkit.statistics import adverse_impact, bootstrap, item_analysis
from coachkit.statistics import agreement as coefficients
from coachkit.statistics.display import shown

bp = Blueprint("reports", __name__, url_prefix="/hiring/reports")
# Every statistic on these pages goes through one rule, so that its digits never
# contradict its flag: `value|stat(threshold, ...)` (coachkit.statistics.display).
bp.add_app_template_filter(shown, "stat")


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
        threshold=coefficients.CALIBRATION_THRESHOLD,
        good=coefficients.GOOD_AGREEMENT,
        icc_bands=(0.5, 0.75, coefficients.EXCELLENT_ICC),
        min_units=bootstrap.MIN_UNITS,
    )


@bp.route("/openings/<int:opening_id>/quality")
@allow(*HIRERS)
def quality(opening_id: int) -> str:
    """Item difficulty and discrimination and the exercise's reliability."""
    opening = opening_or_404(opening_id)
    return render_template(
        "hiring/reports/quality.html",
        opening=opening,
        report=quality_reports.quality_report(opening),
        minimum=item_analysis.MIN_CANDIDATES_FOR_REPORT,
        to_act=item_analysis.MIN_CANDIDATES_TO_ACT,
    )


@bp.route("/openings/<int:opening_id>/fairness")
@allow(*HIRERS)
def fairness(opening_id: int) -> str:
    """Selection rates per self-identified group against the four-fifths rule, with
    what counts as selected chosen by `?selected=shortlisted|hired`."""
    opening = opening_or_404(opening_id)
    choice = request.args.get("selected")
    basis = next((basis for basis in Basis if basis.value == choice), Basis.SHORTLISTED)
    return render_template(
        "hiring/reports/fairness.html",
        opening=opening,
        report=fairness_report(opening, basis),
        bases=list(Basis),
        min_shown=MIN_GROUP_SHOWN,
        min_group=adverse_impact.MIN_GROUP_TOTAL,
        min_selected=adverse_impact.MIN_TOTAL_SELECTED,
    )
