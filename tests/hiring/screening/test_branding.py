"""Candidate pages in the employer's name: their logo, colour and privacy notice, no
coachkit slogan and no way to the staff sign-in; times in words and local time; the
time left when a candidate comes back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from coachkit.hiring.screening import timing
from tests.conftest import page

SLOGAN = "fix the customer first, then the customer's problem"
HEADER = re.compile(r"<header.*?</header>", re.S)
FOOTER = re.compile(r"<footer.*?</footer>", re.S)


def candidate_pages(client, link) -> dict[str, str]:
    """Welcome, a situation, the review and the thank-you page, in that order."""
    pages = {"welcome": page(client.get(link.url))}
    client.post(link.url, data={"consent": "y"})
    pages["item"] = page(client.get(f"{link.url}/items/1"))
    pages["review"] = page(client.get(f"{link.url}/review"))
    client.post(f"{link.url}/submit")
    pages["done"] = page(client.get(f"{link.url}/done"))
    return pages


def test_every_candidate_page_carries_the_employers_brand(client, candidate_link, branded):
    link = candidate_link()
    for name, text in candidate_pages(client, link).items():
        header = HEADER.search(text).group(0)
        assert "Brightline Broadband" in header, name
        assert 'src="/organisation/logo?v=1"' in header, name
        assert "<a " not in header, name  # the logo and name link nowhere (no sign-in)
        assert 'href="/organisation/brand.css?v=1"' in text, name
        assert 'class="screening branded"' in text, name
        footer = FOOTER.search(text).group(0)
        assert 'href="https://brightline.example/privacy"' in footer, name
        assert SLOGAN not in text and "coachkit" not in text.lower().replace(
            "/static/", ""
        ).replace("coachkit.css", ""), name
        assert 'href="/login"' not in text, name
        assert re.search(r"<title>[^<]* · Brightline Broadband</title>", text), name


def test_without_settings_the_header_is_plain_and_neutral(client, candidate_link):
    text = page(client.get(candidate_link().url))
    header = HEADER.search(text).group(0)
    assert "Hiring team" in header
    assert "<img" not in header and "<svg" not in header and "<a " not in header
    assert "brand.css" not in text and "branded" not in text
    assert SLOGAN not in text and 'href="/login"' not in text
    assert "Privacy notice" not in FOOTER.search(text).group(0)


def test_the_brand_costs_one_query_per_page(app, client, candidate_link, branded):
    from sqlalchemy import event

    from coachkit.extensions import db

    link = candidate_link()
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(*args) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get(link.url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "organisation_settings" in s]) == 1


def test_staff_pages_keep_coachkits_own_header(app, make_user, branded):
    from coachkit.auth.models import Role
    from tests.conftest import signed_in

    text = page(signed_in(app, make_user(Role.ADMIN)).get("/"))
    assert SLOGAN in text and "Brightline Broadband" not in text


# ---------------------------------------------------------------- times


def test_the_expiry_shows_as_a_phrase_and_a_time_for_local_display(client, candidate_link):
    text = page(client.get(candidate_link().url))
    match = re.search(r'<time datetime="([^"]+)" data-local-time>([^<]+)</time> \(([^)]+)\)', text)
    assert match is not None
    moment = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert match.group(2) == f"{moment.day} {moment:%B %Y at %H:%M} UTC"
    assert match.group(3) == "in 14 days"
    assert 'src="/static/local_time.js"' in text


NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "phrase"),
    [
        (timedelta(days=13, hours=23, minutes=59), "in 14 days"),
        (timedelta(days=13), "in 13 days"),
        (timedelta(days=1), "in 1 day"),
        (timedelta(hours=5, minutes=10), "in 5 hours"),
        (timedelta(minutes=42), "in 42 minutes"),
        (timedelta(seconds=20), "in less than a minute"),
        (timedelta(seconds=-20), "just now"),
        (timedelta(days=-3), "3 days ago"),
        (timedelta(hours=-1), "1 hour ago"),
    ],
)
def test_relative_phrases(delta, phrase):
    assert timing.relative(NOW + delta, NOW) == phrase


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1200, "about 20 minutes"),
        (61, "about 2 minutes"),
        (60, "about 1 minute"),
        (1, "about 1 minute"),
        (0, "no time"),
    ],
)
def test_minutes_left_round_up(seconds, words):
    assert timing.minutes_left(seconds) == words


def test_coming_back_says_how_much_time_is_left(client, candidate_link):
    link = candidate_link(time_limit_minutes=20)
    client.post(link.url, data={"consent": "y"})
    text = page(client.get(link.url))
    assert "Your time is still running: you have about 20 minutes left." in text


def test_coming_back_without_a_limit_says_nothing_of_time(client, candidate_link):
    link = candidate_link()
    client.post(link.url, data={"consent": "y"})
    text = page(client.get(link.url))
    assert "Welcome back" in text and "still running" not in text
