"""Checking an uploaded logo and re-encoding it, so only pixels we drew are served.

The upload is decoded with Pillow (PNG, JPEG or WebP only), its metadata dropped, its
size capped, and it is saved again as PNG. SVG is refused: it can carry scripts, and a
sanitiser for it is more than a logo is worth.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 512 * 1024
MAX_SIDE = 1024  # pixels on the longer side once re-encoded (the header shows ~48 px)
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
ACCEPTED = ("PNG", "JPEG", "WEBP")
CONTENT_TYPE = "image/png"


class LogoRefused(ValueError):
    """The upload cannot be a logo; the message says why, for the person uploading."""


@dataclass(frozen=True)
class Logo:
    data: bytes
    content_type: str
    width: int
    height: int


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED)
    except Image.DecompressionBombError as error:
        raise LogoRefused("That image has too many pixels. Use one under 4000 × 4000.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise LogoRefused("That file is not a PNG, JPEG or WebP image.") from error
    if image.width * image.height > MAX_PIXELS:
        raise LogoRefused("That image has too many pixels. Use one under 4000 × 4000.")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise LogoRefused(
            "That image is damaged or cut off. Save it again and upload it."
        ) from error
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is when the EXIF is corrupt."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of corrupt EXIF, then raises
            return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError):
        return image


def prepare(data: bytes) -> Logo:
    """A logo from the uploaded bytes, or LogoRefused with the reason."""
    if not data:
        raise LogoRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise LogoRefused(f"The logo must be {MAX_BYTES // 1024} KB or smaller.")
    if _looks_like_svg(data):
        raise LogoRefused(
            "SVG logos are not accepted (they can hold scripts). Upload a PNG, JPEG or WebP."
        )
    image = _upright(_decode(data))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    clean = image.convert("RGBA" if has_alpha else "RGB")
    clean.info = {}  # no EXIF, ICC profile or text chunks carried over
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return Logo(out.getvalue(), CONTENT_TYPE, clean.width, clean.height)
