"""Blind rating: what a rater may see of an answer, its candidate's neutral code and
the written reply with the candidate's name and e-mail taken out, never the candidate
record itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from coachkit.content.exercises import Item
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import ANSWERED, Answer, Candidate, Opening
from coachkit.hiring.results import answered_text, open_items

NAME_MARK = "[name]"
EMAIL_MARK = "[e-mail]"
NAME_WORD = re.compile(r"[^\W\d_]+")  # runs of letters: "Anne-Marie O'Neil" -> Anne, Marie, O, Neil


# Names that are also everyday words: these are blanked only when written with a
# capital, so "I will hope this helps" from Will Hope stays readable.
_EVERYDAY = (
    "will may hope grace faith joy rose mark bill summer april june dawn guy sue art rich "
    "frank pat jack ray drew chase hunter sky don amber ruby victor young long king black "
    "white brown green wood hill park lee page bell rock stone field ford case bishop cook "
    "baker smith hall love"
)
EVERYDAY_WORDS = frozenset(_EVERYDAY.split())


def redact(text: str, name: str, email: str) -> str:
    """`text` with the candidate's e-mail replaced by "[e-mail]" and each word of their
    name of two or more letters (whole words) by "[name]": in any case, except names
    that are everyday words, which only count when capitalised."""
    if email.strip():
        text = re.sub(re.escape(email.strip()), EMAIL_MARK, text, flags=re.IGNORECASE)
    words = {w for w in NAME_WORD.findall(name) if len(w) >= 2}
    everyday = {w for w in words if w.lower() in EVERYDAY_WORDS}
    capitalised = {word.capitalize() for word in everyday}
    for group, flags in ((words - everyday, re.IGNORECASE), (capitalised, 0)):
        if group:
            longest_first = sorted(group, key=len, reverse=True)
            alternatives = "|".join(re.escape(word) for word in longest_first)
            text = re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", NAME_MARK, text, flags=flags)
    return text


@dataclass(frozen=True)
class BlindAnswer:
    """What a rater may see of an answer: the code, the item and the redacted text."""

    candidate_id: int
    code: str
    item: Item
    text: str


def blind_answer(opening: Opening, candidate_id: int, item_id: str) -> BlindAnswer | None:
    """The answer to rate, or None when it cannot be rated: the candidate is not this
    opening's or has not handed in, the item is not an open item, or the answer is blank."""
    item = next(
        (i for i in open_items(versions.exercise_or_none(opening)) if i.id == item_id), None
    )
    if item is None:
        return None
    row = db.session.execute(
        select(Candidate, Answer)
        .join(Answer, Answer.candidate_id == Candidate.id)
        .where(
            Candidate.id == candidate_id,
            Candidate.opening_id == opening.id,
            Candidate.status.in_(ANSWERED),
            Answer.item_id == item.id,
        )
    ).first()
    if row is None or not (text := answered_text(row.Answer)):
        return None
    candidate = row.Candidate
    return BlindAnswer(
        candidate.id, candidate.code, item, redact(text, candidate.name, candidate.email)
    )
