"""Words for generated records: names, team areas, coaching notes, written answers."""

from __future__ import annotations

FIRST_NAMES = [
    "Aisha",
    "Amelia",
    "Anna",
    "Ben",
    "Carlos",
    "Chloe",
    "Daniel",
    "Dev",
    "Elena",
    "Emma",
    "Fatima",
    "Finn",
    "Grace",
    "Hana",
    "Hugo",
    "Ibrahim",
    "Isla",
    "James",
    "Jonas",
    "Kai",
    "Lena",
    "Leo",
    "Lucia",
    "Marcus",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Rosa",
    "Ruth",
    "Sam",
    "Sofia",
    "Tariq",
    "Tom",
    "Yusuf",
    "Zara",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Bennett",
    "Bianchi",
    "Chen",
    "Costa",
    "Dubois",
    "Evans",
    "Fraser",
    "Garcia",
    "Grant",
    "Hansen",
    "Hussain",
    "Ivanova",
    "Jensen",
    "Khan",
    "Kowalski",
    "Lee",
    "Lopez",
    "Marin",
    "Mensah",
    "Murphy",
    "Nguyen",
    "Novak",
    "Okafor",
    "Osei",
    "Patel",
    "Petrova",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Sharma",
    "Silva",
    "Tan",
    "Walsh",
    "Weber",
    "Whitaker",
    "Wojcik",
    "Yilmaz",
]
TEAM_AREAS = (
    "Billing",
    "Broadband support",
    "Returns",
    "Renewals",
    "Shop floor",
    "Live chat",
    "Complaints",
    "Retention",
    "Onboarding",
    "Small business",
)
OPENING_TITLES = (
    "Customer care adviser",
    "Weekend sales assistant",
    "Live chat agent",
    "Renewals specialist",
    "Complaints handler",
    "Store supervisor",
)
REFLECTIONS = (
    "I would slow down and let the customer finish before offering the fix.",
    "Naming the worry first made the rest of the call easier. I want to do that sooner.",
    "I jumped to policy. Next time I will say what I *can* do before what I cannot.",
    "Checking what the customer actually needed saved us both time.",
)
NOTES = {
    "went_well": (
        "Let the customer finish the whole story before replying, and played back the "
        "worry, not just the amount.",
        "Took the case home: called the engineer and rang the customer back **before** "
        "the promised time.",
        "Clear, honest e-mail about the delay, with a date and what happens if it slips.",
    ),
    "to_improve": (
        "Jumped to the refund steps before the customer felt heard.",
        "Quoted policy twice on the late-delivery chat. Say what you *can* do first.",
        "The chat promised a callback the phone team never saw: log promises in the notes.",
    ),
    "goal": (
        "Customers feel understood before we explain any process.",
        "Own a case from first contact to a confirmed fix.",
        "Every promise is written where the next colleague will see it.",
    ),
    "reality": (
        "Good instincts; under pressure the process comes out first.",
        "Confident on the phone, less so in writing.",
    ),
    "options": (
        "Shadow a colleague; replay own calls; practise the matching module.",
        "Pair with a strong listener for a shift.",
    ),
    "way_forward": (
        "Listen back to two calls a week and mark where the fix started.",
        "Pick one case a week to follow end to end.",
        "Add a *promise* line to case notes for a month, then review with the team.",
    ),
}
ACTIONS = (
    "Review two of my calls each week and note the moment I acknowledge the feeling",
    "Follow one case a week from first contact to confirmed fix",
    "Add a promise line to the notes of every case that has one",
    "Ask what it is for before recommending anything, on every sale this month",
)
MANAGER_ACTIONS = ("Pair them with a strong listener for a shift", "Book the refresher module")
COMMENTS = ("", "", "Thanks, that was useful.", "Agreed. I'll try the promise line.")
# Written answers, strongest first; raters score them about at this level (1-5).
REPLIES = (
    (
        5,
        "That is not good enough, and I'm sorry, especially this week. I found the fault "
        "on our side, booked the first visit on Thursday and added a credit. I'll call "
        "you on Friday to make sure it is fixed.",
    ),
    (
        4,
        "I understand how worrying this is. The test shows a fault on your line, so an "
        "engineer can come on Thursday: shall I book the earliest slot for you?",
    ),
    (
        3,
        "Sorry about this. Our test shows a fault, so an engineer needs to fix it. The "
        "first visit is Thursday.",
    ),
    (2, "Sorry for the inconvenience. An engineer can visit from Thursday."),
    (1, "Please restart your router and contact the technical team if it continues."),
)
