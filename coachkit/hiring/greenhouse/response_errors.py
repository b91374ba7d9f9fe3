"""Greenhouse's reports of answers it could not accept (`response_error`), kept for
admins to read beside the partner keys."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.extensions import db
from coachkit.hiring.greenhouse.models import PartnerKey, ResponseError
from coachkit.hiring.greenhouse.payloads import ReportedError

SHOWN = 50  # the latest reports on the keys page


def record(report: ReportedError, key: PartnerKey) -> ResponseError:
    row = ResponseError(
        key_id=key.id,
        api_call=report.api_call,
        errors=report.errors,
        partner_test_id=report.partner_test_id,
        partner_test_name=report.partner_test_name,
        partner_interview_id=report.partner_interview_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def recent() -> list[ResponseError]:
    return list(
        db.session.scalars(
            select(ResponseError)
            .order_by(ResponseError.received_at.desc(), ResponseError.id.desc())
            .limit(SHOWN)
        )
    )
