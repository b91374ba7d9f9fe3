"""A live coachkit with the demo organisation, and Debian's Chromium driven by Playwright.

Browser tests are skipped when /usr/bin/chromium is missing, unless
COACHKIT_REQUIRE_BROWSER=1 makes that a failure (as CI does).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from coachkit import create_app, demo
from coachkit.extensions import db
from tests.conftest import base_config

CHROMIUM = os.environ.get("COACHKIT_CHROMIUM", "/usr/bin/chromium")
# Chromium flags for a closed network, as root, without a screen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "browser-demo-passphrase"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("COACHKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"COACHKIT_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(databases, chromium_path) -> Iterator[str]:
    app = create_app(base_config(databases.new("sqlite"), WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        demo.create(DEMO_PASSWORD)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` served on a free loopback port by werkzeug's threaded server, for as long
    as the block lasts: its base URL. The database connections are closed after."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def console_errors(page) -> list[str]:
    """Collect the page's console errors (CSP violations included), uncaught exceptions
    and dialogs, which a test then asserts are none."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return errors


@pytest.fixture
def page(browser):
    """A fresh browser context; console errors (CSP violations included) fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = console_errors(page)
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def screenshot(request):
    """Save a screenshot when COACHKIT_SCREENSHOTS names a folder (for looking at pages)."""
    folder = os.environ.get("COACHKIT_SCREENSHOTS")

    def take(page, name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take
