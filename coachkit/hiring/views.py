"""Hiring's blueprint, `hiring`: no URL prefix of its own, it holds one blueprint per
sub-feature, each at the URLs it has always had, so their endpoints read
`hiring.<sub-feature>.<view>` (e.g. `hiring.candidates.show`).

Imports inside hiring flow one way, top to bottom:

1. `models` (openings, then candidates, then answers; hand-overs);
2. the shared domain: `versions`, `results`, `invitations`, `scope`, `status_counts`,
   `self_identification`;
3. the sub-features, each importing only the layers above: `openings`, then
   `candidates` (which shows the opening's page again with its forms' errors);
   `screening`, `rating`, `reports` and `handovers` import no other sub-feature;
   `greenhouse` (the partner API) adds candidates with `candidates.roster`;
4. what assembles them: this module, `nudges` (the worker's daily scans), `cli` and
   `demo` (with `demo_candidates`).
"""

from __future__ import annotations

from flask import Blueprint

from coachkit.hiring import nudges
from coachkit.hiring.candidates import invite_views  # noqa: F401 (its routes join `candidates`)
from coachkit.hiring.candidates.views import bp as candidates
from coachkit.hiring.greenhouse.admin_views import bp as greenhouse_keys
from coachkit.hiring.greenhouse.views import bp as greenhouse
from coachkit.hiring.handovers.views import bp as handovers
from coachkit.hiring.openings.views import bp as openings
from coachkit.hiring.rating.views import bp as rating
from coachkit.hiring.reports.views import bp as reports
from coachkit.hiring.screening.views import bp as screening
from coachkit.notifications import scans

bp = Blueprint("hiring", __name__)
for sub_feature in (
    openings,
    candidates,
    rating,
    reports,
    handovers,
    screening,
    greenhouse,
    greenhouse_keys,
):
    bp.register_blueprint(sub_feature)

scans.register_with(bp, "hiring.answers_waiting", nudges.answers_waiting)
scans.register_with(bp, "hiring.handed_in", nudges.handed_in)
scans.register_with(bp, "hiring.expiring_links", nudges.expiring_links)
