"""Quoted conversations in content files: each speaker's turn its own paragraph.

Markdown joins a quote's hard-wrapped lines into one paragraph, which is right for a
customer's e-mail but merges a chat's turns ("Customer: ... / Agent: ...") into one.
A quote whose first line names a speaker is read as a chat, and every later line that
names one starts a new paragraph. Blank quoted lines (real paragraph breaks) stay.
"""

from __future__ import annotations

import re

QUOTED = re.compile(r"^ {0,3}>")
# "Customer: ", "**Agent (you):** ", "[14:02] Sam Reid: ": one to three capitalised
# words, optionally bold and after a time, then a colon.
SPEAKER = re.compile(
    r"^(?:\[?\d{1,2}:\d{2}(?:\s?[ap]m)?\]?\s+)?(?:\*\*)?"
    r"[A-Z][\w'’.-]*(?:\s+[A-Z(][\w'’.()-]*){0,2}(?:\*\*)?:(?:\*\*)?\s"
)


def _content(line: str) -> str:
    """A quoted line's text, without the `>` and the one space after it."""
    text = QUOTED.sub("", line, count=1)
    return text[1:] if text.startswith(" ") else text


def turns_as_paragraphs(source: str) -> str:
    """`source` with a blank quoted line before each new speaker's turn in a chat."""
    out: list[str] = []
    chat = False  # the current quote began with a speaker
    previous_blank = True  # the line before, within the quote, was blank (or none)
    for line in source.split("\n"):
        if not QUOTED.match(line):
            chat, previous_blank = False, True
            out.append(line)
            continue
        text = _content(line)
        speaks = bool(SPEAKER.match(text))
        if previous_blank and not text.strip():
            out.append(line)
            continue
        if not out or not QUOTED.match(out[-1]):
            chat = speaks  # the quote's first line decides
        elif chat and speaks and not previous_blank:
            out.append(">")
        out.append(line)
        previous_blank = not text.strip()
    return "\n".join(out)
