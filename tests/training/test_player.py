"""Playing a module over HTTP: steps, resume, retry, results, and versioned content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.training.models import Attempt, AttemptStatus, AttemptStep, ModuleVersion
from tests.conftest import login

CONTENT = Path(__file__).resolve().parents[2] / "content"
SLUG = "charged-twice"
BEST_PICKS = [0, 0, 0]  # acknowledge, admit and reverse, same-day return + follow-up


def page(response):
    return response.get_data(as_text=True)


def start(client, slug=SLUG):
    response = client.post(f"/training/{slug}/start")
    assert response.status_code == 302
    return int(re.search(r"/training/attempts/(\d+)", response.headers["Location"]).group(1))


def answer(client, attempt_id, *, choice=None, reflection=None):
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    position = re.search(r'name="position" type="hidden" value="(\d+)"', body).group(1)
    node = re.search(r'name="node" type="hidden" value="([^"]+)"', body).group(1)
    data = {"position": position, "node": node}
    if choice is not None:
        data["choice"] = str(choice)
    if reflection is not None:
        data["reflection"] = reflection
    return client.post(f"/training/attempts/{attempt_id}", data=data)


def play_best(client, attempt_id):
    for pick in BEST_PICKS:
        answer(client, attempt_id, choice=pick)
    return answer(client, attempt_id, reflection="She needed the rent covered, not a refund.")


def test_module_list_and_briefing(client, learner):
    assert "Charged twice, rent due tomorrow" in page(client.get("/training/"))
    briefing = page(client.get(f"/training/{SLUG}"))
    assert "Dana Whitfield" in briefing and "Start" in briefing


def test_play_through_to_results(app, client, learner):
    attempt_id = start(client)
    first = page(client.get(f"/training/attempts/{attempt_id}"))
    assert "you&#39;ve taken the renewal twice" in first or "taken the renewal twice" in first
    for pick in BEST_PICKS:
        assert answer(client, attempt_id, choice=pick).status_code == 302
    assert "What did she actually need" in page(client.get(f"/training/attempts/{attempt_id}"))
    done = answer(client, attempt_id, reflection="The rent, tomorrow morning.")
    assert done.headers["Location"] == f"/training/attempts/{attempt_id}/results"
    results = page(client.get(done.headers["Location"]))
    assert "Good ending" in results
    assert "You named the two things that matter to her" in results  # feedback per choice
    assert "The rent, tomorrow morning." in results
    assert "The strongest path" in results
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == AttemptStatus.COMPLETED
        assert attempt.ending == "end-partner"
        assert attempt.scores["fix-the-customer-first"] == 2
        assert len(attempt.steps) == 4


def test_resume_where_you_left_off(client, learner):
    attempt_id = start(client)
    answer(client, attempt_id, choice=0)
    assert start(client) == attempt_id  # starting again resumes
    assert "Step 2" in page(client.get(f"/training/attempts/{attempt_id}"))


def test_retry_after_finishing_starts_a_new_attempt(client, learner):
    first = start(client)
    play_best(client, first)
    second = start(client)
    assert second != first
    assert "Step 1" in page(client.get(f"/training/attempts/{second}"))
    assert "Results" in page(client.get(f"/training/{SLUG}"))


def test_double_submitted_answer_is_recorded_once(app, client, learner):
    attempt_id = start(client)
    body = page(client.get(f"/training/attempts/{attempt_id}"))
    data = {"position": "0", "node": "opening", "choice": "0"}
    assert "opening" in body
    client.post(f"/training/attempts/{attempt_id}", data=data)
    again = client.post(f"/training/attempts/{attempt_id}", data=data)
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptStep.id))) == 1


def test_missing_choice_shows_an_error_and_saves_nothing(app, client, learner):
    attempt_id = start(client)
    response = answer(client, attempt_id)
    assert response.status_code == 200
    assert "Choose one of the replies." in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptStep.id))) == 0


def test_out_of_range_choice_is_refused(app, client, learner):
    attempt_id = start(client)
    response = answer(client, attempt_id, choice=7)
    assert "Choose one of the replies." in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptStep.id))) == 0


def test_empty_reflection_is_refused_and_text_kept(app, client, learner):
    attempt_id = start(client)
    for pick in BEST_PICKS:
        answer(client, attempt_id, choice=pick)
    response = answer(client, attempt_id, reflection="   ")
    assert "Write a few words before you continue." in page(response)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == AttemptStatus.IN_PROGRESS


def test_someone_elses_attempt_is_not_found(app, client, learner, make_user):
    attempt_id = start(client)
    other = app.test_client()
    login(other, make_user(Role.EMPLOYEE))
    assert other.get(f"/training/attempts/{attempt_id}").status_code == 404
    assert (
        other.post(
            f"/training/attempts/{attempt_id}",
            data={"position": "0", "node": "opening", "choice": "0"},
        ).status_code
        == 404
    )
    assert other.get(f"/training/attempts/{attempt_id}/results").status_code == 404


def test_unknown_module_is_not_found(client, learner):
    assert client.get("/training/no-such-module").status_code == 404
    assert client.post("/training/no-such-module/start").status_code == 404


def test_editing_content_after_an_attempt_leaves_its_result_unchanged(
    app_factory, make_user, tmp_path
):
    content = tmp_path / "content"
    (content / "modules").mkdir(parents=True)
    shutil.copy(CONTENT / "skills.md", content / "skills.md")
    source = (CONTENT / "modules" / f"{SLUG}.md").read_text()
    (content / "modules" / f"{SLUG}.md").write_text(source)
    app = app_factory(CONTENT_DIR=str(content))
    client = app.test_client()
    person = make_user(Role.EMPLOYEE)
    login(client, person)
    attempt_id = start(client)
    play_best(client, attempt_id)
    before = page(client.get(f"/training/attempts/{attempt_id}/results"))

    edited = source.replace(
        "You named the two things that matter to her", "REWRITTEN FEEDBACK"
    ).replace("fix-the-customer-first +2, empathy +2", "fix-the-customer-first +3, empathy +2")
    (content / "modules" / f"{SLUG}.md").write_text(edited)
    # The same learner, on a server started after the edit.
    app = app_factory(CONTENT_DIR=str(content))
    client = app.test_client()
    login(client, person)
    after = page(client.get(f"/training/attempts/{attempt_id}/results"))
    assert "You named the two things that matter to her" in after
    assert "REWRITTEN FEEDBACK" not in after
    assert after.count("+3") == before.count("+3")
    with app.app_context():
        assert db.session.scalar(select(func.count(ModuleVersion.id))) == 1
