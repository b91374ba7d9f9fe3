"""Organisation settings: only admins change them; every value is checked, a refused
form saves nothing and keeps what was typed; the logo is re-encoded and served as a
PNG at an address that changes with every save."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.organisation import brand, logo
from coachkit.organisation.models import OrganisationSettings
from tests.conftest import page, signed_in
from tests.organisation.conftest import SVG_WITH_SCRIPT, image_bytes

URL = "/admin/organisation"
GOOD = {
    "name": "Brightline Broadband",
    "accent_colour": "#C2410C",
    "privacy_url": "https://brightline.example/privacy",
    "contact_email": "jobs@brightline.example",
}


@pytest.fixture
def admin(app: Flask, make_user) -> FlaskClient:
    return signed_in(app, make_user(Role.ADMIN))


def post(
    client: FlaskClient, upload: bytes | None = None, filename: str = "logo.png", **fields: Any
):
    data: dict[str, Any] = {**GOOD, **fields}
    if upload is not None:
        data["logo"] = FileStorage(io.BytesIO(upload), filename)
    # Encoded in memory: the test client spools bodies over 500 KB to a temporary file
    # it never closes, which the suite's warning filter would report.
    boundary, body = encode_multipart(data)
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored(app: Flask) -> OrganisationSettings | None:
    with app.app_context():
        row = db.session.scalar(select(OrganisationSettings))
        if row is not None:
            db.session.expunge(row)
        return row


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.RECRUITER])
def test_only_admins_see_or_change_the_settings(app, make_user, role):
    client = signed_in(app, make_user(role))
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert stored(app) is None


def test_a_visitor_is_sent_to_sign_in(app, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert post(client).status_code == 302
    assert stored(app) is None


def test_the_people_page_links_to_the_settings(admin):
    assert URL in page(admin.get("/people/"))


# ---------------------------------------------------------------- saving


def test_an_admin_saves_the_brand_and_the_logo_is_re_encoded(app, admin):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude: where the photo was taken
    jpeg = image_bytes("JPEG", (2400, 600), exif=exif.tobytes())
    response = post(admin, jpeg, filename="logo.jpg")
    assert response.status_code == 302 and response.headers["Location"] == URL
    assert "Organisation settings saved" in page(admin.get(URL))
    row = stored(app)
    assert row is not None
    assert (row.name, row.accent_colour) == ("Brightline Broadband", "#c2410c")
    assert row.privacy_url == GOOD["privacy_url"] and row.contact_email == GOOD["contact_email"]
    assert row.logo_type == "image/png" and row.revision == 1
    image = Image.open(io.BytesIO(row.logo))
    assert image.format == "PNG"  # stored as PNG, never the uploaded bytes
    assert max(image.size) == logo.MAX_SIDE  # capped, proportions kept
    assert image.size == (logo.MAX_SIDE, logo.MAX_SIDE // 4)
    assert "exif" not in image.info and not image.getexif()


def test_saving_again_keeps_the_logo_moves_the_revision_and_remove_drops_it(app, admin):
    post(admin, image_bytes())
    post(admin, name="Brightline")  # no new file: the logo stays
    row = stored(app)
    assert row is not None and row.logo is not None and row.revision == 2
    post(admin, remove_logo="y")
    row = stored(app)
    assert row is not None and row.logo is None and row.revision == 3


def test_empty_optional_fields_are_stored_as_none(app, admin):
    post(admin, accent_colour="", privacy_url="", contact_email="")
    row = stored(app)
    assert row is not None
    assert (row.accent_colour, row.privacy_url, row.contact_email) == (None, None, None)


# ---------------------------------------------------------------- bad input


BAD_FIELDS = [
    ({"name": ""}, "Enter your organisation's name."),
    ({"accent_colour": "red"}, "like #0f766e"),
    ({"accent_colour": "#12345"}, "like #0f766e"),
    ({"accent_colour": "#1234567"}, "like #0f766e"),
    ({"accent_colour": "#0f766e;}body{display:none"}, "like #0f766e"),
    ({"privacy_url": "javascript:alert(1)"}, "starting with https://"),
    ({"privacy_url": "ftp://example.com/privacy"}, "starting with https://"),
    ({"privacy_url": "brightline.example/privacy"}, "starting with https://"),
    ({"privacy_url": "https://"}, "starting with https://"),
    ({"contact_email": "not an address"}, "Enter a valid e-mail address"),
]


@pytest.mark.parametrize(("fields", "error"), BAD_FIELDS)
def test_a_bad_value_is_refused_with_nothing_saved_and_input_kept(app, admin, fields, error):
    response = post(admin, **fields)
    assert response.status_code == 200
    text = page(response)
    assert error in text
    assert 'class="error' in text
    for value in fields.values():
        if value:
            assert f'value="{value}"' in text  # what the admin typed is kept
    assert stored(app) is None


TRUNCATED = image_bytes("PNG", (300, 300))[:-200]
BAD_FILES = [
    (SVG_WITH_SCRIPT, "logo.svg", "SVG logos are not accepted"),
    (b"  \n<svg xmlns='http://www.w3.org/2000/svg'><script>x()</script></svg>", "logo.png", "SVG"),
    (b"GIF89a" + b"\x00" * 40, "logo.gif", "not a PNG, JPEG or WebP"),
    (b"%PDF-1.7 not an image", "logo.png", "not a PNG, JPEG or WebP"),
    (image_bytes("GIF"), "logo.gif", "not a PNG, JPEG or WebP"),
    (image_bytes("BMP"), "logo.bmp", "not a PNG, JPEG or WebP"),
    (TRUNCATED, "logo.png", "damaged or cut off"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "logo.png", "not a PNG, JPEG or WebP"),
    (b"x" * (logo.MAX_BYTES + 1), "logo.png", "512 KB or smaller"),
]


@pytest.mark.parametrize(("upload", "filename", "error"), BAD_FILES)
def test_a_bad_logo_is_refused_with_nothing_saved(app, admin, upload, filename, error):
    response = post(admin, upload, filename=filename)
    assert response.status_code == 200
    text = page(response)
    assert error in text and 'id="logo-error"' in text
    assert 'value="Brightline Broadband"' in text  # the other fields are kept
    assert stored(app) is None


def test_a_refused_logo_leaves_the_saved_brand_as_it_was(app, admin):
    post(admin, image_bytes())
    before = stored(app)
    assert post(admin, SVG_WITH_SCRIPT, filename="x.svg").status_code == 200
    after = stored(app)
    assert before is not None and after is not None
    assert (after.logo, after.revision) == (before.logo, before.revision)


def test_an_image_with_too_many_pixels_is_refused_before_decoding():
    big = image_bytes("PNG", (5000, 9000))  # compresses small, decodes huge
    assert len(big) < logo.MAX_BYTES
    with pytest.raises(logo.LogoRefused, match="too many pixels"):
        logo.prepare(big)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_are_accepted(fmt):
    made = logo.prepare(image_bytes(fmt))
    assert made.content_type == "image/png"
    assert Image.open(io.BytesIO(made.data)).format == "PNG"


# ---------------------------------------------------------------- serving


def test_the_logo_is_served_as_png_with_nosniff_and_cached_by_revision(app, admin, client):
    post(admin, image_bytes("WEBP"))
    response = client.get("/organisation/logo?v=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response.headers["Cache-Control"]
    assert Image.open(io.BytesIO(response.data)).format == "PNG"
    stale = client.get("/organisation/logo?v=0")
    assert stale.headers["Cache-Control"] == "no-cache"  # an old address revalidates
    etag = stale.headers["ETag"]
    assert client.get("/organisation/logo", headers={"If-None-Match": etag}).status_code == 304


def test_the_logo_is_cacheable_for_a_signed_in_admin_too(admin):
    post(admin, image_bytes())
    assert "immutable" in admin.get("/organisation/logo?v=1").headers["Cache-Control"]


def test_no_logo_is_a_404(client):
    assert client.get("/organisation/logo").status_code == 404


def test_the_colour_is_served_as_css_only_when_set(app, admin, client):
    empty = client.get("/organisation/brand.css")
    assert empty.mimetype == "text/css" and "--accent" not in empty.get_data(as_text=True)
    post(admin)
    css = client.get("/organisation/brand.css?v=1").get_data(as_text=True)
    assert "--accent: #c2410c;" in css and "--on-accent: #ffffff;" in css


@pytest.mark.parametrize(
    ("accent", "text"), [("#0f766e", "#ffffff"), ("#ffe600", "#111111"), ("#767676", "#ffffff")]
)
def test_text_on_the_accent_always_meets_aa_contrast(accent, text):
    chosen = brand.Brand("X", accent, None, None, has_logo=False, revision=1).text_on_accent
    assert chosen == text
    assert brand.contrast(accent, chosen) >= 4.5


def test_with_nothing_saved_the_brand_is_neutral(app):
    with app.app_context():
        assert brand.current() == brand.NEUTRAL
        assert db.session.scalar(select(func.count()).select_from(OrganisationSettings)) == 0


def test_nothing_but_pixels_survives_from_the_upload(app, admin, client):
    """A PNG carrying HTML after its end and a text chunk (a polyglot): the served logo
    is drawn again from the pixels, so neither reaches a browser."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    polyglot = image_bytes("PNG", pnginfo=info) + b"<html><script>alert(2)</script></html>"
    assert post(admin, polyglot).status_code == 302
    served = client.get("/organisation/logo").data
    assert b"<script" not in served and b"Comment" not in served and b"<html" not in served
    assert Image.open(io.BytesIO(served)).size == (120, 40)
