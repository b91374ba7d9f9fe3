"""Pieces of the recruiter's pages built in Python: the status counts appear on every
card of the openings list and the recruiter's home, where a template macro per card
cost more than the rest of the card."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from coachkit.hiring.models import CandidateStatus, Opening
from coachkit.hiring.openings import StatusCounts

# Each status, in order, with its name as shown, escaped once.
_STATUSES = tuple(
    (status, f'<span class="status-name">{escape(status.label.lower())}</span>')
    for status in CandidateStatus
)


def status_counts(
    counts: StatusCounts, opening: Opening | None = None, status_link: str | None = None
) -> Markup:
    """An opening's candidates counted by status, every status in order, zeros muted.
    With `status_link` (an endpoint listing `opening`'s candidates), each non-zero
    count links to the candidates in that status."""
    base = escape(url_for(status_link, opening_id=opening.id)) if status_link and opening else ""
    by_status = counts.by_status
    items = []
    for status, name in _STATUSES:
        number = int(by_status.get(status, 0))  # a number: nothing to escape
        if not number:
            items.append(f'<li class="is-zero"><span class="status-count">0</span> {name}</li>')
        elif base:
            items.append(
                f'<li><a href="{base}?status={status.value}"><span class="status-count">'
                f"{number}</span> {name}</a></li>"
            )
        else:
            items.append(f'<li><span class="status-count">{number}</span> {name}</li>')
    return Markup('<ul class="status-counts">\n' + "\n".join(items) + "\n</ul>")  # noqa: S704 - escaped above
