"""Quoted customer e-mails and chats in exercise items read as paragraphs: the file's
hard-wrapped lines join, real paragraph breaks stay, and each speaker's turn in a chat
is its own paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from coachkit.config import CONTENT_DIR
from coachkit.content.library import load
from coachkit.content.quotes import turns_as_paragraphs
from coachkit.text import render_markdown
from tests.conftest import page
from tests.hiring.conftest import EXERCISE

STYLESHEET = Path(__file__).resolve().parents[3] / "coachkit" / "static" / "coachkit.css"


def paragraphs(html: str) -> list[str]:
    quote = re.search(r"<blockquote>(.*?)</blockquote>", str(html), re.S)
    assert quote is not None
    return [" ".join(p.split()) for p in re.findall(r"<p>(.*?)</p>", quote.group(1), re.S)]


CHAT = """A customer writes on chat:

> Customer: My parcel was due on Friday and
> it still has not come.
> **Agent:** I'm sorry. Let me look.
> [14:02] Customer: It was a birthday present.
>
> Customer: Are you still there?
"""


def test_each_turn_of_a_chat_is_a_paragraph():
    assert paragraphs(render_markdown(turns_as_paragraphs(CHAT))) == [
        "Customer: My parcel was due on Friday and it still has not come.",
        "<strong>Agent:</strong> I'm sorry. Let me look.",
        "[14:02] Customer: It was a birthday present.",
        "Customer: Are you still there?",
    ]


def test_an_e_mails_wrapped_lines_join_and_its_paragraphs_stay():
    mail = (
        "> Hello,\n>\n> I ordered a kettle on the 3rd. It arrived\n> broken: the lid\n"
        "> will not close.\n>\n> Regards: Ann\n"
    )
    assert turns_as_paragraphs(mail) == mail  # not a chat: nothing added
    assert paragraphs(render_markdown(mail)) == [
        "Hello,",
        "I ordered a kettle on the 3rd. It arrived broken: the lid will not close.",
        "Regards: Ann",
    ]


def test_a_line_that_looks_like_a_speaker_does_not_split_an_e_mail():
    text = "> Straight question: why renew? This year\n> Not great: the outage in March.\n"
    assert turns_as_paragraphs(text) == text


def test_text_outside_quotes_is_untouched():
    text = "Customer: hello\nAgent: hi\n\nplain"
    assert turns_as_paragraphs(text) == text


def test_the_help_line_customers_message_is_one_paragraph(client, candidate_link):
    items = load(Path(CONTENT_DIR)).exercises[EXERCISE].items
    position, item = next(
        (i, it) for i, it in enumerate(items, 1) if "<blockquote>" in it.situation_html
    )
    assert paragraphs(item.situation_html) == [
        "This is the third time this month the internet has gone off in the evening. My "
        "daughter has her exams in three weeks and does all her revision online. I've been "
        "with you for six years and honestly I'm starting to wonder why. Is anyone actually "
        "going to fix this, or should I just leave?"
    ]
    link = candidate_link()
    client.post(link.url, data={"consent": "y"})
    assert '<div class="situation prose">' in page(client.get(f"{link.url}/items/{position}"))


def test_quotes_in_rendered_text_do_not_show_the_files_line_breaks():
    """The browser side of the reflow: blockquotes keep pre-wrap for people's own text
    (a reflection, an excerpt), but rendered Markdown inside .prose wraps normally."""
    css = STYLESHEET.read_text()
    assert re.search(r"\.prose blockquote \{ white-space: normal; \}", css)
