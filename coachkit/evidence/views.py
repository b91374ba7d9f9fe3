"""Does it work? Whether screening predicts the job (recruiters and admins) and whether
training changes what coaches see (managers for their teams, admins for everyone)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from coachkit.auth.access import allow
from coachkit.auth.models import Role
from coachkit.evidence import reading
from coachkit.evidence.impact_report import impact_report, scope
from coachkit.evidence.validity import validity_report

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


@bp.route("/validity")
@allow(Role.ADMIN, Role.RECRUITER)
def validity() -> str:
    """Each skill's screening score against the hire's first months of coaching and
    practice, with correlations and the range-restriction correction."""
    days = current_app.config["EVIDENCE_FIRST_DAYS"]
    return render_template(
        "evidence/validity.html",
        report=validity_report(days),
        min_shown=reading.MIN_SHOWN,
        min_judged=reading.MIN_JUDGED,
    )


@bp.route("/impact")
@allow(Role.ADMIN, Role.MANAGER)
def impact() -> str:
    """Coaching ratings of each trained skill before and after completing a module, and
    practice results by attempt number, for the people the viewer may see."""
    days = current_app.config["EVIDENCE_WINDOW_DAYS"]
    return render_template(
        "evidence/impact.html",
        report=impact_report(scope(current_user), days),
        everyone=current_user.role == Role.ADMIN,
        min_shown=reading.MIN_SHOWN,
    )
