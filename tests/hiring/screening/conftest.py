"""A candidate's link for the branding and dead-end tests, and the organisation's brand."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from coachkit.extensions import db
from coachkit.organisation import brand, logo


@dataclass(frozen=True)
class CandidateLink:
    opening_id: int
    candidate_id: int
    token: str

    @property
    def url(self) -> str:
        return f"/screening/{self.token}"


@pytest.fixture
def candidate_link(make_opening, make_candidate, invite) -> Callable[..., CandidateLink]:
    """A new opening (with `opening_fields`) and one invited candidate in it."""

    def make(**opening_fields: Any) -> CandidateLink:
        opening_id = make_opening(**opening_fields)
        candidate_id = make_candidate(opening_id)
        return CandidateLink(opening_id, candidate_id, invite(candidate_id))

    return make


@pytest.fixture
def branded(app: Flask) -> None:
    """The organisation's brand: name, orange accent, privacy notice, contact, logo."""
    png = io.BytesIO()
    Image.new("RGBA", (240, 80), "#c2410c").save(png, format="PNG")
    with app.app_context():
        brand.save(
            brand.settings_row(),
            name="Brightline Broadband",
            accent="#c2410c",
            privacy_url="https://brightline.example/privacy",
            contact_email="jobs@brightline.example",
            logo=logo.prepare(png.getvalue()),
        )
        db.session.commit()
