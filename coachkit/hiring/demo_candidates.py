"""The demo's candidates: who they are, how far each has got and how able they are,
and the written replies they give, strongest first."""

from __future__ import annotations

from dataclasses import dataclass

TRY_IT = "Jamie Ortiz"  # the demo candidate whose fresh link `flask demo` prints


@dataclass(frozen=True)
class Reply:
    text: str
    quality: dict[str, int]  # the rubric rating each skill deserves


# Written replies to "evenings-keep-dropping", strongest first. "{first}" is the
# candidate's first name: raters see it blanked out.
REPLIES = (
    Reply(
        "Three drop-outs in a month is not good enough, and I'm sorry, especially with "
        "your daughter revising every evening before her exams. The test I've just run "
        "found a fault on the line to your house, so it's on our side. I've booked an "
        "engineer for Thursday morning, the first visit we have, and added £30 to your "
        "account. It may still drop before then, so if it does, your phone's hotspot "
        "will keep her revision going. I'll check in with you on Friday to make sure it "
        "is fixed. Six years matters to us, and I'd like to earn the next six.",
        {"active-listening": 5, "ownership": 5, "candid-communication": 4},
    ),
    Reply(
        "I completely understand how worrying this is with exams coming up. The test I "
        "ran shows a fault on your line, so it isn't your equipment. An engineer can "
        "come on Thursday: I'll book the earliest slot if that suits you, and I've put "
        "a £20 credit on your account. It might still drop before Thursday, so it could "
        "be worth saving revision material during the day. Thanks, {first}",
        {"active-listening": 4, "ownership": 4, "candid-communication": 5},
    ),
    Reply(
        "Sorry about this. I can see three drop-outs this month, all in the evening. "
        "Our line test shows a fault, so an engineer needs to fix it. The first visit is "
        "Thursday; shall I book it for you? I've also added a £15 credit. Good luck to "
        "your daughter with her exams.",
        {"active-listening": 3, "ownership": 4, "candid-communication": 4},
    ),
    Reply(
        "Don't worry, I've sorted it and it won't happen again! An engineer is coming on "
        "Thursday and I've added £30. We really value you after six years, so please "
        "don't leave.",
        {"active-listening": 3, "ownership": 4, "candid-communication": 1},
    ),
    Reply(
        "I'm sorry to hear about the problems with your connection. I have run a line "
        "test and there is a fault. An engineer can visit from Thursday, please let us "
        "know what time suits you best.",
        {"active-listening": 2, "ownership": 3, "candid-communication": 3},
    ),
    Reply(
        "Sorry for any inconvenience. Please restart your router and check that all the "
        "cables are connected. If the problem continues, please contact our technical "
        "team, who will be able to help you further.",
        {"active-listening": 1, "ownership": 1, "candid-communication": 2},
    ),
)


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    stage: str  # new, invited, started, submitted, rated-once, scored, or a decision
    ability: float = 0.5  # 0..1
    reply: int = 2  # index into REPLIES
    about: tuple[str | None, str | None, str | None] = (None, None, None)


CANDIDATES = (
    DemoCandidate(
        "Harriet Osei", "shortlisted", 0.95, 0, ("Woman", "Black, African or Caribbean", "Under 40")
    ),
    DemoCandidate("Tomasz Wojcik", "shortlisted", 0.85, 1, ("Man", "White", "40 or over")),
    DemoCandidate("Mei Lin Tan", "hired", 0.8, 1, ("Woman", "Asian or Asian British", "Under 40")),
    DemoCandidate("Callum Fraser", "rejected", 0.2, 5, ("Man", "White", "Under 40")),
    DemoCandidate(
        "Grace Adeyemi", "scored", 0.7, 2, ("Woman", "Black, African or Caribbean", "40 or over")
    ),
    DemoCandidate("Oliver Grant", "rejected", 0.3, 4, ("Man", "White", "40 or over")),
    DemoCandidate("Sofia Marin", "scored", 0.6, 3, ("Woman", "White", "Under 40")),
    DemoCandidate(
        "Ibrahim Khalil", "scored", 0.65, 2, ("Man", "Asian or Asian British", "Under 40")
    ),
    DemoCandidate("Ruth Bennett", "scored", 0.45, 4, ("Woman", "White", "40 or over")),
    DemoCandidate(
        "Kwame Mensah", "rated-once", 0.75, 1, ("Man", "Black, African or Caribbean", "Under 40")
    ),
    DemoCandidate("Leah Goldberg", "submitted", 0.55, 3, ("Prefer not to say", None, "Under 40")),
    DemoCandidate("Dev Sharma", "submitted", 0.4, 4),
    DemoCandidate("Nadia Petrova", "started", 0.6),
    DemoCandidate(TRY_IT, "invited"),
    DemoCandidate("Ben Whitaker", "new"),
    DemoCandidate("Amara Nwosu", "new"),
)
SECOND_CANDIDATES = (
    DemoCandidate("Lucy Evans", "invited"),
    DemoCandidate("Marco Bianchi", "new"),
    DemoCandidate("Zainab Hussain", "new"),
)
