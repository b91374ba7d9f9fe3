"""What an opening's page shows: the opening and its exercise, its candidates counted
by status, how far the e-mails of an "Invite all" have got, and the forms that add
candidates (handled by the candidates views, which show this page again with a form's
errors)."""

from __future__ import annotations

from typing import Any

from coachkit import mail
from coachkit.auth.forms import ActionForm
from coachkit.hiring import versions
from coachkit.hiring.invitations import INVITE_BATCH
from coachkit.hiring.models import CandidateStatus, Opening
from coachkit.hiring.openings.forms import (
    MAX_BULK_ROWS,
    BulkCandidatesForm,
    CandidateForm,
    UploadForm,
)
from coachkit.hiring.status_counts import status_counts
from coachkit.notifications.outbox import Progress


def opening_page(
    opening: Opening,
    candidate_form: CandidateForm | None = None,
    upload_form: UploadForm | None = None,
    sending: Progress | None = None,
    bulk_form: BulkCandidatesForm | None = None,
) -> dict[str, Any]:
    """The values of the opening's page, with a posted form in place of an empty one."""
    return {
        "opening": opening,
        "exercise": versions.exercise_or_none(opening),
        "counts": status_counts([opening.id])[opening.id],
        "statuses": list(CandidateStatus),
        "candidate_form": candidate_form or CandidateForm(formdata=None),
        "upload_form": upload_form or UploadForm(formdata=None),
        "bulk_form": bulk_form or BulkCandidatesForm(formdata=None),
        "max_bulk_rows": MAX_BULK_ROWS,
        "action_form": ActionForm(),
        "mail_configured": mail.configured(),
        "invite_batch": INVITE_BATCH,
        "sending": sending,
    }
