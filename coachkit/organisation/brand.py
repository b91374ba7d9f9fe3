"""The employer's brand as candidate pages show it, and the one place that saves it.

Candidate pages read a `Brand` (a frozen copy, never the model): with no settings saved
they get a neutral one, so a new install shows a plain header, not coachkit's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.organisation.logo import Logo
from coachkit.organisation.models import SETTINGS_ID, OrganisationSettings

DEFAULT_NAME = "Hiring team"
COLOUR = re.compile(r"#[0-9a-f]{6}")
DARK_TEXT, LIGHT_TEXT = "#111111", "#ffffff"


@dataclass(frozen=True)
class Brand:
    """What a candidate page needs to look like the employer's."""

    name: str
    accent: str | None
    privacy_url: str | None
    contact_email: str | None
    has_logo: bool
    revision: int

    @property
    def text_on_accent(self) -> str:
        """Dark or light text, whichever reads better on the accent (always above the
        4.5:1 WCAG AA ratio: one of the two always is)."""
        if self.accent is None:
            return LIGHT_TEXT
        return (
            DARK_TEXT
            if contrast(self.accent, DARK_TEXT) >= contrast(self.accent, LIGHT_TEXT)
            else LIGHT_TEXT
        )


NEUTRAL = Brand(DEFAULT_NAME, None, None, None, has_logo=False, revision=0)


def current() -> Brand:
    """The saved brand, or the neutral one before an admin saves any (one query)."""
    settings = db.session.get(OrganisationSettings, SETTINGS_ID)
    if settings is None:
        return NEUTRAL
    accent = settings.accent_colour
    return Brand(
        name=settings.name or DEFAULT_NAME,
        accent=accent if accent and COLOUR.fullmatch(accent) else None,
        privacy_url=settings.privacy_url or None,
        contact_email=settings.contact_email or None,
        has_logo=settings.logo is not None,
        revision=settings.revision,
    )


def settings_row() -> OrganisationSettings:
    """The settings row to edit (a new, unsaved one before the first save)."""
    return db.session.get(OrganisationSettings, SETTINGS_ID) or OrganisationSettings(
        id=SETTINGS_ID, name="", revision=0
    )


def save(
    settings: OrganisationSettings,
    *,
    name: str,
    accent: str | None,
    privacy_url: str | None,
    contact_email: str | None,
    logo: Logo | None = None,
    remove_logo: bool = False,
) -> None:
    """Store checked values (the form validated them) and move the revision on."""
    settings.name = name.strip()
    settings.accent_colour = accent.lower() if accent else None
    settings.privacy_url = privacy_url or None
    settings.contact_email = contact_email or None
    if logo is not None:
        settings.logo, settings.logo_type = logo.data, logo.content_type
    elif remove_logo:
        settings.logo = settings.logo_type = None
    settings.revision = (settings.revision or 0) + 1
    settings.updated_at = utcnow()
    db.session.add(settings)
    db.session.flush()


def logo_of() -> tuple[bytes, str, int] | None:
    """The stored logo's bytes, type and revision, or None."""
    settings = db.session.get(OrganisationSettings, SETTINGS_ID)
    if settings is None or settings.logo is None or settings.logo_type is None:
        return None
    return settings.logo, settings.logo_type, settings.revision


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
