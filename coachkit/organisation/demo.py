"""The demo organisation's brand: a name, a colour and a logo drawn here (no files)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from coachkit.organisation import brand, logo

NAME = "Brightline"
ACCENT = "#1d4ed8"


def _mark() -> bytes:
    """A small mark: a blue rounded square with a white beam of light."""
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 159, 159), radius=32, fill=ACCENT)
    draw.polygon([(40, 120), (120, 40), (120, 72), (72, 120)], fill="white")
    draw.ellipse((34, 34, 70, 70), fill="#fbbf24")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def create() -> None:
    """Give the demo organisation its brand (again, unchanged, when run again)."""
    settings = brand.settings_row()
    if settings.revision:
        return
    brand.save(
        settings,
        name=NAME,
        accent=ACCENT,
        privacy_url="https://brightline.example/privacy",
        contact_email="jobs@brightline.example",
        logo=logo.prepare(_mark()),
    )
