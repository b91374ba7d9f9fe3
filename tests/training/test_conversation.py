"""The player as a conversation: replies in the attempt's own order, the customer named,
the conversation so far as a transcript, feedback after each reply when the module asks
for it, and "Step N of about M" from the ways left to an ending."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.training.conversation import Length, module_length, step_progress
from coachkit.training.order import shown_replies
from tests.conftest import login
from tests.training.test_player import answer, page, start
from tests.training.test_progress import counted, play

CONTENT = Path(__file__).resolve().parents[2] / "content"
AT_END = "charged-twice"  # Dana Whitfield; feedback at the end
AFTER_EACH = "boiler-on-a-cold-morning"  # Margaret Ellison; feedback after each reply


def shown_values(body: str) -> list[int]:
    """The authored indexes the page's radio buttons post, in the order shown."""
    return [int(v) for v in re.findall(r'name="choice" required type="radio" value="(\d+)"', body)]


def text(body: str) -> str:
    return html.unescape(body)


def test_replies_are_shown_in_the_attempts_order_the_same_on_every_reload(app, client, learner):
    attempt_id = start(client)
    first = page(client.get(f"/training/attempts/{attempt_id}"))
    with app.app_context():
        node = library().modules[AT_END].nodes["opening"]
        expected = [index for index, _choice in shown_replies(node, attempt_id)]
    assert shown_values(first) == expected
    labels = re.findall(r'<label for="choice-\d">([^<]+)</label>', first)
    assert [text(label) for label in labels] == [node.choices[i].text for i in expected]
    for _ in range(3):
        assert shown_values(page(client.get(f"/training/attempts/{attempt_id}"))) == expected


def test_two_attempts_see_different_orders_and_answers_keep_the_reply(app, client, learner):
    """Over a module's steps two attempts are shown different orders, yet the same posted
    reply (by authored index) is recorded as the same reply."""
    orders, scores = [], []
    for _ in range(2):
        attempt_id = start(client)
        seen = []
        for pick in (0, 0, 0):
            seen.append(shown_values(page(client.get(f"/training/attempts/{attempt_id}"))))
            answer(client, attempt_id, choice=pick)
        answer(client, attempt_id, reflection="The rent covered by the morning.")
        results = text(page(client.get(f"/training/attempts/{attempt_id}/results")))
        orders.append(seen)
        scores.append(results[results.index("The path you took") :])
    assert orders[0] != orders[1]
    assert scores[0] == scores[1]  # the same replies, feedback and points


def test_the_transcript_shows_the_conversation_so_far_newest_at_the_bottom(client, learner):
    attempt_id = start(client)
    opening = text(page(client.get(f"/training/attempts/{attempt_id}")))
    assert "Your conversation with Dana Whitfield" in opening
    assert '<span class="avatar" aria-hidden="true">DW</span>' in opening
    reply = "Finding that in your account the day before your rent goes out is awful."
    answered = answer(client, attempt_id, choice=0)
    assert answered.headers["Location"] == f"/training/attempts/{attempt_id}#now"
    body = text(page(client.get(f"/training/attempts/{attempt_id}")))
    transcript = body[body.index('<ol class="transcript">') : body.index("</ol>")]
    said = transcript.index("you've taken the renewal twice")
    replied = transcript.index(reply)
    reaction = transcript.index("It's 4471-2208")
    assert said < replied < reaction  # her line, your reply, her reaction: newest last
    assert 'id="now"' in transcript[said:reaction]  # the redirect returns to your reply
    assert "You named the two things" not in body  # feedback waits for the results
    assert body.index("</ol>") < body.index("What do you say?")


def test_after_each_feedback_comes_between_the_reply_and_the_customers_reaction(client, learner):
    attempt_id = start(client, AFTER_EACH)
    body = text(page(client.get(f"/training/attempts/{attempt_id}")))
    assert "Margaret Ellison" in body and ">ME</span>" in body
    assert "feedback after each reply" in body
    answer(client, attempt_id, choice=1)  # "Oh, Mrs Ellison, a freezing house..."
    body = text(page(client.get(f"/training/attempts/{attempt_id}")))
    reply = body.index("Oh, Mrs Ellison, a freezing house")
    feedback = body.index("You named what she is going through")
    reaction = body.index("I'm in the kitchen with my coat on")
    assert reply < feedback < reaction < body.index("What do you say?")


def test_a_reflection_joins_the_transcript(client, learner):
    attempt_id = start(client)
    for pick in (0, 0, 0):
        answer(client, attempt_id, choice=pick)
    body = text(page(client.get(f"/training/attempts/{attempt_id}")))
    assert "What did she actually need" in body
    assert "I can ask for a same-day return" in body  # the last reply, above the prompt
    assert body.index("I can ask for a same-day return") < body.index('for="reflection"')


def test_the_situation_is_open_before_the_first_reply_and_folded_after(client, learner):
    attempt_id = start(client)
    assert '<details class="brief" open>' in page(client.get(f"/training/attempts/{attempt_id}"))
    answer(client, attempt_id, choice=0)
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    assert '<details class="brief">' in body and "Dana Whitfield</strong>" in body


def test_steps_are_counted_from_the_ways_left(app, client, learner):
    with app.app_context():
        module = library().modules[AT_END]
        length = module_length(module)
        after_one = step_progress(module, "check-account", 1)
    assert (length.fewest, length.most) == (2, 7)  # a quick poor ending, or the longest way
    attempt_id = start(client)
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    assert f"Step 1 of about {length.about}" in body
    answer(client, attempt_id, choice=0)
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    about = after_one.length
    expected = str(about.most) if about.fewest == about.most else f"about {about.about}"
    assert f"Step 2 of {expected}" in body
    show = page(client.get(f"/training/{AT_END}"))
    assert "2 to 7 steps" in show and "decisions" not in show
    assert f"{length.fewest} to {length.most} steps" in page(client.get("/training/"))


def test_lengths_read_as_a_range_or_one_number():
    assert str(Length(4, 6)) == "4 to 6 steps" and Length(4, 6).about == 5
    assert str(Length(5, 5)) == "5 steps" and Length(5, 5).about == 5
    assert Length(4, 7).about == 6  # halves round up
    assert str(Length(1, 1)) == "1 step"


def test_a_refused_answer_shows_the_replies_in_the_same_order(client, learner):
    attempt_id = start(client)
    values = shown_values(page(client.get(f"/training/attempts/{attempt_id}")))
    response = client.post(
        f"/training/attempts/{attempt_id}",
        data={"position": "0", "node": "opening", "choice": "9"},
    )
    assert "Choose one of the replies." in page(response)
    assert shown_values(page(response)) == values


def test_player_pages_keep_their_query_budget_as_attempts_grow(app, client, learner, make_user):
    """The step (with its transcript), the results, the module page and the list: at
    most 5 statements each, and as many after ten times the attempts, here and by
    other people."""
    others = [make_user(Role.EMPLOYEE) for _ in range(3)]

    def grow(rounds):
        for _ in range(rounds):
            for person in others:
                play(app, person)
            play(app, learner)

    def measure():
        finished = play(app, learner)
        unfinished = play(app, learner, finish=False)
        counts = {}
        for path in (
            f"/training/attempts/{unfinished}",
            f"/training/attempts/{finished}/results",
            f"/training/{AT_END}",
            "/training/",
        ):
            with counted(app) as statements:
                assert client.get(path).status_code == 200, path
            counts[re.sub(r"\d+", "N", path)] = len(statements)
        # finish it, so the next attempt starts afresh
        answer(client, unfinished, reflection="Done.")
        return counts

    grow(1)
    small = measure()
    grow(9)
    assert measure() == small
    assert max(small.values()) <= 5, small


def test_a_module_without_a_customer_name_still_reads_as_a_conversation(
    app_factory, make_user, tmp_path
):
    """Versions written before `customer:` existed (a warning, not an error): the
    customer is "Customer", with a plain figure for an avatar."""
    content = tmp_path / "content"
    (content / "modules").mkdir(parents=True)
    shutil.copy(CONTENT / "skills.md", content / "skills.md")
    source = (CONTENT / "modules" / f"{AT_END}.md").read_text()
    unnamed = source.replace("customer: Dana Whitfield\n", "", 1)
    assert unnamed != source
    (content / "modules" / f"{AT_END}.md").write_text(unnamed)
    client = app_factory(CONTENT_DIR=str(content)).test_client()
    login(client, make_user(Role.EMPLOYEE))
    attempt_id = start(client)
    answer(client, attempt_id, choice=0)
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    assert '<h2 id="conversation-heading">The conversation</h2>' in body
    assert body.count('<p class="speaker">Customer</p>') == 2
    assert '<span class="avatar" aria-hidden="true"><svg' in body
