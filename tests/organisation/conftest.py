"""Images for the logo upload: real files made with Pillow, and broken ones."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 40), **save: object) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, "#0f766e").save(out, format=fmt, **save)
    return out.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
