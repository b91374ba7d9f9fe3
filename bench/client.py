"""A small browser for the load test: one person's cookies over http.client, every
request timed and labelled with the journey step it belongs to, and HTML forms read
and filled the way a person submitting them would (hidden fields and CSRF token
included)."""

from __future__ import annotations

import functools
import html
import http.client
import random
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from coachkit.request_log import redact

TIMEOUT = 60


class TimeUp(Exception):
    """The run is over: the simulated person stops where they are."""


class JourneyError(Exception):
    """A request failed or a page was not what the journey needed (a missing form);
    `recorded` when the failed request is already in the samples."""

    def __init__(self, message: str, *, recorded: bool = False) -> None:
        super().__init__(message)
        self.recorded = recorded


@dataclass(frozen=True)
class Sample:
    step: str
    seconds: float
    status: int
    error: str | None = None
    at: float = 0.0  # time.monotonic() when it was sent


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # sent as they stand
    options: dict[str, list[str]] = field(default_factory=dict)  # radios, checkboxes, selects
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def filled(self, values: dict[str, str], button: str | None = None) -> list[tuple[str, str]]:
        """The pairs the browser would send with `values` chosen (replacing any default)
        and the submit button whose value is `button` pressed."""
        pairs = [(name, value) for name, value in self.fields if name not in values]
        pairs += list(values.items())
        pairs += [(name, value) for name, value in self.buttons if name and value == button]
        return pairs


# coachkit's templates quote every attribute with double quotes; a regular expression
# reads them many times faster than html.parser, which matters with fifty people
# sharing two cores with the server.
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_CONTROL = re.compile(
    r"<textarea\b([^>]*)>(.*?)</textarea>|<(input|button|select|option)\b([^>]*)>|</select>",
    re.S,
)
_ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_LINK = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def _attributes(text: str) -> dict[str, str]:
    return {name: html.unescape(value or "") for name, value in _ATTRIBUTE.findall(text)}


def _form(attributes: str, body: str, page_path: str) -> Form:
    a = _attributes(attributes)
    form = Form(a.get("action") or page_path, a.get("method", "get").lower())
    select = None
    for match in _CONTROL.finditer(body):
        if match.group(1) is not None:  # a textarea and its text
            name = _attributes(match.group(1)).get("name")
            if name:
                form.fields.append((name, html.unescape(match.group(2)).removeprefix("\n")))
            continue
        tag, a = match.group(3), _attributes(match.group(4) or "")
        name = a.get("name", "")
        if tag is None:
            select = None
        elif tag == "option" and select:
            form.options[select].append(a.get("value", ""))
            if "selected" in a or len(form.options[select]) == 1:  # else the first is sent
                form.fields = [pair for pair in form.fields if pair[0] != select]
                form.fields.append((select, a.get("value", "")))
        elif tag == "select" and name:
            select = name
            form.options[name] = []
        elif tag == "button":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"radio", "checkbox"}:
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file"}:
                form.fields.append((name, a.get("value", "")))
    return form


class Page:
    """A response; its forms and links are read only when a journey asks for them."""

    def __init__(self, path: str, status: int, body: str, location: str | None) -> None:
        self.path, self.status, self.body, self.location = path, status, body, location

    @functools.cached_property
    def forms(self) -> list[Form]:
        return [_form(m.group(1), m.group(2), self.path) for m in _FORM.finditer(self.body)]

    @functools.cached_property
    def links(self) -> list[str]:
        return [html.unescape(link) for link in _LINK.findall(self.body)]

    def form(self, action_pattern: str = "") -> Form:
        """The first form whose action matches `action_pattern` (not the sign-out one)."""
        for form in self.forms:
            if form.action != "/logout" and re.search(action_pattern, form.action):
                return form
        raise JourneyError(f"no form matching {action_pattern!r} on {redact(self.path)}")

    def links_to(self, pattern: str) -> list[str]:
        return sorted({link for link in self.links if re.fullmatch(pattern, link)})


class Browser:
    """One person's visits: cookies kept, nothing followed automatically (each journey
    labels the page a redirect leads to), every request recorded in `samples`."""

    def __init__(self, port: int, deadline: float, think: tuple[float, float], seed: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.deadline, self.think_range = deadline, think
        self.random = random.Random(seed)  # noqa: S311 - simulated choices, not security
        self.samples: list[Sample] = []
        # Every CSRF token and cookie value handed out: the log check looks for them.
        self.csrf_tokens: set[str] = set()
        self.cookie_values: set[str] = set()

    def think(self) -> None:
        """A person reading the page before the next click."""
        pause = self.random.uniform(*self.think_range)
        if time.monotonic() + pause >= self.deadline:
            raise TimeUp
        time.sleep(pause)

    def get(self, step: str, path: str, expect: tuple[int, ...] = (200,)) -> Page:
        return self.request(step, "GET", path, None, expect)

    def submit(
        self,
        step: str,
        form: Form,
        values: dict[str, str] | None = None,
        *,
        button: str | None = None,
        expect: tuple[int, ...] = (302, 303),
        to: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Page:
        """Send `form` as filled in; POST to `to` instead of its action when given
        (the autosave script posts the same fields elsewhere)."""
        body = urllib.parse.urlencode(form.filled(values or {}, button))
        return self.request(step, form.method.upper(), to or form.action, body, expect, headers)

    def request(
        self,
        step: str,
        method: str,
        path: str,
        body: str | None,
        expect: tuple[int, ...],
        extra_headers: dict[str, str] | None = None,
    ) -> Page:
        if time.monotonic() >= self.deadline:
            raise TimeUp
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers.update(extra_headers or {})
        at, started = time.monotonic(), time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.samples.append(Sample(step, time.perf_counter() - started, 0, repr(error), at))
            raise JourneyError(f"{method} {redact(path)}: {error!r}", recorded=True) from None
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
            self.cookie_values.add(self.cookies[name.strip()])
        ok = response.status in expect
        problem = None if ok else f"{response.status} for {method} {redact(path)}"
        self.samples.append(Sample(step, seconds, response.status, problem, at))
        if problem is not None:
            raise JourneyError(problem, recorded=True)
        self.csrf_tokens.update(_CSRF.findall(text))
        return Page(path, response.status, text, _local(response.headers.get("Location")))

    def close(self) -> None:
        self.connection.close()


def _local(location: str | None) -> str | None:
    """A redirect's target as a path on this server (with its query string)."""
    if not location:
        return None
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
