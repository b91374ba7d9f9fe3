"""What the load test's simulated people do, as a person would in a browser: read a
page, pause, click a link or fill a form. Every request is labelled "<role>: <step>"
for the report; STEPS lists them all, so a run can show each was exercised."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from bench.client import Browser

PASSWORD = "practise-listening-first"  # noqa: S105 - the demo's published password
MAX_PLAYER_STEPS = 40
MAX_SITUATIONS = 20
# What people type: none of it may ever reach a log (bench/loadtest.py checks).
NOTE = "Listened to the whole story before offering the refund; named the worry first."
TO_IMPROVE = "Say what you *can* do before the policy."
REFLECTION = "I would say sorry and name her worry first."
COMMENT = "Thanks, that is a fair summary."
ANSWER = (
    "I'm sorry, three drop-outs in a month is not good enough. The line test shows a "
    "fault on our side, so I have booked an engineer for Thursday and I will call you "
    "on Friday to check it is fixed."
)
TYPED = (NOTE, TO_IMPROVE, REFLECTION, COMMENT, ANSWER)

STEPS = {
    "employee": (
        "sign in page",
        "sign in",
        "home",
        "training",
        "module",
        "start module",
        "player step",
        "answer step",
        "results",
        "my coaching",
        "coaching session",
        "acknowledge",
    ),
    "manager": (
        "sign in page",
        "sign in",
        "home",
        "coaching dashboard",
        "person",
        "team progress",
        "new session form",
        "record session",
        "session",
    ),
    "recruiter": (
        "sign in page",
        "sign in",
        "home",
        "openings",
        "comparison",
        "rating queue",
        "answer",
        "rate answer",
    ),
    "candidate": (
        "invite link",
        "consent",
        "situation",
        "autosave",
        "next situation",
        "review",
        "hand in",
        "done",
    ),
}


@dataclass(frozen=True)
class Person:
    role: str
    email: str = ""
    team_id: int | None = None  # a manager's team
    opening_id: int | None = None  # the opening a recruiter rates


class Invites:
    """Fresh candidates' invite tokens, each handed to one simulated candidate."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.lock = list(tokens), threading.Lock()

    def take(self) -> str | None:
        with self.lock:
            return self.tokens.pop() if self.tokens else None


def sign_in(browser: Browser, person: Person) -> None:
    """Once per simulated person: the session cookie is kept for the whole run."""
    role = person.role
    page = browser.get(f"{role}: sign in page", "/login")
    browser.think()
    values = {"email": person.email, "password": PASSWORD}
    page = browser.submit(f"{role}: sign in", page.form("/login"), values)
    browser.get(f"{role}: home", page.location or "/")


def employee(browser: Browser, person: Person) -> None:
    """Home, a training module played to its results, my coaching, an acknowledgement."""
    browser.get("employee: home", "/")
    browser.think()
    page = browser.get("employee: training", "/training/")
    modules = page.links_to(r"/training/(?!attempts/|teams/|assign)[a-z0-9-]+")
    browser.think()
    page = browser.get("employee: module", browser.random.choice(modules))
    browser.think()
    page = browser.submit("employee: start module", page.form(r"/start$"))
    for _ in range(MAX_PLAYER_STEPS):
        path = page.location or ""
        if path.endswith("/results"):
            break
        page = browser.get("employee: player step", path)
        browser.think()
        form = page.form("")
        values = {"reflection": REFLECTION}
        if "choice" in form.options:
            values = {"choice": browser.random.choice(form.options["choice"])}
        page = browser.submit("employee: answer step", form, values)
    browser.get("employee: results", page.location or "")
    browser.think()
    page = browser.get("employee: my coaching", "/coaching/mine/")
    sessions = page.links_to(r"/coaching/mine/\d+")
    if sessions:
        browser.think()
        newest = max(sessions, key=lambda link: int(link.rsplit("/", 1)[1]))
        page = browser.get("employee: coaching session", newest)
        if any(form.action.endswith("/acknowledge") for form in page.forms):
            browser.think()
            values = {"comment": COMMENT}
            page = browser.submit("employee: acknowledge", page.form(r"/acknowledge$"), values)
            browser.get("employee: coaching session", page.location or newest)
    browser.think()


def manager(browser: Browser, person: Person) -> None:
    """The coaching dashboard, a team member, team progress, a session recorded."""
    page = browser.get("manager: coaching dashboard", "/coaching/")
    people = page.links_to(r"/coaching/people/\d+")
    browser.think()
    chosen = browser.random.choice(people)
    browser.get("manager: person", chosen)
    browser.think()
    browser.get("manager: team progress", f"/training/teams/{person.team_id}")
    browser.think()
    page = browser.get("manager: new session form", f"{chosen}/sessions/new")
    browser.think()
    form = page.form("")
    values = {
        "kind": form.options["kind"][-1],
        "ratings-0-rating": browser.random.choice("12345"),
        "ratings-1-rating": browser.random.choice("12345"),
        "went_well": NOTE,
        "to_improve": TO_IMPROVE,
    }
    page = browser.submit("manager: record session", form, values)
    browser.get("manager: session", page.location or "")
    browser.think()


def recruiter(browser: Browser, person: Person) -> None:
    """Openings, the comparison, the rating queue and one answer rated."""
    opening = person.opening_id
    browser.get("recruiter: openings", "/hiring/")
    browser.think()
    browser.get("recruiter: comparison", f"/hiring/openings/{opening}/compare")
    browser.think()
    page = browser.get("recruiter: rating queue", f"/hiring/rating/openings/{opening}")
    answers = page.links_to(rf"/hiring/rating/openings/{opening}/candidates/\d+/items/[\w-]+")
    browser.think()
    page = browser.get("recruiter: answer", browser.random.choice(answers))
    browser.think()
    form = page.form("")
    values = {
        name: browser.random.choice(choices)
        for name, choices in form.options.items()
        if name.startswith("rate-")
    }
    page = browser.submit("recruiter: rate answer", form, values)
    following = page.location or ""
    step = "recruiter: answer" if "/items/" in following else "recruiter: rating queue"
    browser.get(step, following)
    browser.think()


def candidate(browser: Browser, token: str) -> None:
    """Open the invite link, consent, answer each situation (autosaving on the way)
    and hand in."""
    base = f"/screening/{token}"
    page = browser.get("candidate: invite link", base)
    browser.think()
    page = browser.submit("candidate: consent", page.form(""), {"consent": "y"})
    for _ in range(MAX_SITUATIONS):
        path = page.location or ""
        if path.endswith("/review"):
            break
        page = browser.get("candidate: situation", path)
        form = page.form("")
        values = _answers(browser, form.options)
        if "text" in {name for name, _ in form.fields}:
            values["text"] = ANSWER
        browser.think()
        csrf = dict(form.fields).get("csrf_token", "")
        browser.submit(
            "candidate: autosave",
            form,
            values,
            to=f"{path}/autosave",
            expect=(200, 204),
            headers={"X-CSRFToken": csrf},
        )
        # The page autosaves while they type; "Next" follows straight after.
        page = browser.submit("candidate: next situation", form, values, button="next")
    page = browser.get("candidate: review", f"{base}/review")
    browser.think()
    page = browser.submit("candidate: hand in", page.form(r"/submit$"))
    browser.get("candidate: done", page.location or f"{base}/done")
    browser.think()


def _answers(browser: Browser, options: dict[str, list[str]]) -> dict[str, str]:
    """A complete answer: best and worst different, a rating for every response."""
    values = {name: browser.random.choice(choices) for name, choices in options.items()}
    if "best" in options and "worst" in options:
        values["best"], values["worst"] = options["best"][0], options["best"][-1]
    return values


JOURNEYS: dict[str, Callable[[Browser, Person], None]] = {
    "employee": employee,
    "manager": manager,
    "recruiter": recruiter,
}
