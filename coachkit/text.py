"""The one Markdown renderer: Markdown to HTML, then sanitised with an allow-list."""

from __future__ import annotations

import functools
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_converter = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown converter: building one costs more than converting."""
    converter = getattr(_converter, "instance", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        _converter.instance = converter
    return converter


@functools.lru_cache(maxsize=1024)
def render_markdown(source: str) -> Markup:
    """Safe HTML for `source`: raw HTML, scripts and unsafe links are removed. A pure
    function of the text, so the same notes shown again are not converted again."""
    html = _markdown().reset().convert(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
