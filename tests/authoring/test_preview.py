"""A preview plays a module or an exercise exactly as a learner or a candidate would,
and records nothing but the preview itself."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.authoring.models import Preview, prune
from coachkit.database import utcnow
from coachkit.extensions import db
from tests.authoring.conftest import new_preview, record_counts, shipped
from tests.conftest import page, signed_in

HIDDEN = re.compile(r'name="(position|node)" type="hidden" value="([^"]*)"')
REPLY = re.compile(r'name="choice" required type="radio" value="(\d+)"')


def play_module(client: FlaskClient, preview_id: int) -> str:
    """Start the preview and answer every step (the first reply shown) to the end; the
    results page."""
    response = client.post(f"/authoring/previews/{preview_id}/module/start")
    assert response.status_code == 302
    url = f"/authoring/previews/{preview_id}/module/play"
    for _ in range(50):
        response = client.get(url)
        if response.status_code == 302:
            assert response.headers["Location"].endswith("/module/results")
            return page(client.get(response.headers["Location"]))
        text = page(response)
        data = dict(HIDDEN.findall(text))
        replies = REPLY.findall(text)
        if replies:
            data["choice"] = replies[0]
        else:
            data["reflection"] = "What she needed first was to be safe."
        assert client.post(url, data=data).status_code == 302
    raise AssertionError("the module never ended")


def test_a_module_played_in_preview_records_nothing(app: Flask, author_client: FlaskClient):
    before = record_counts(app)
    preview_id = new_preview(author_client, shipped("modules", "boiler-on-a-cold-morning"))
    results = play_module(author_client, preview_id)
    assert "How it went" in results and "The strongest path" in results
    assert "Nothing you do here is recorded" in results
    assert record_counts(app) == before
    with app.app_context():
        preview = db.session.get(Preview, preview_id)
        assert len(preview.progress["steps"]) >= 3


def test_the_preview_player_refuses_a_missing_reply_and_keeps_the_page(author_client):
    preview_id = new_preview(author_client, shipped("modules", "charged-twice"))
    author_client.post(f"/authoring/previews/{preview_id}/module/start")
    url = f"/authoring/previews/{preview_id}/module/play"
    data = dict(HIDDEN.findall(page(author_client.get(url))))
    response = author_client.post(url, data=data)
    assert response.status_code == 200
    assert "Choose one of the replies." in page(response)


def answer_exercise(client: FlaskClient, base: str) -> str:
    """Consent, answer every situation, hand in; the thank-you page."""
    response = client.post(f"{base}/", data={"consent": "y"})
    assert response.status_code == 302
    position = 1
    while True:
        url = f"{base}/items/{position}"
        text = page(client.get(url))
        if 'name="best"' in text:
            data = {"best": "0", "worst": "1"}
        elif 'name="rating_0"' in text:
            count = len(set(re.findall(r'name="(rating_\d+)"', text)))
            data = {f"rating_{i}": "3" for i in range(count)}
        else:
            data = {"text": "I am sorry. Let me put that right for you today."}
        response = client.post(url, data={**data, "action": "next"})
        assert response.status_code == 302, page(response)[:3000]
        if response.headers["Location"].endswith("/review"):
            break
        position += 1
    review = page(client.get(f"{base}/review"))
    assert "You have answered every situation" in review
    response = client.post(f"{base}/submit")
    assert response.status_code == 302
    return page(client.get(response.headers["Location"]))


def test_an_exercise_taken_in_preview_records_nothing(app: Flask, author_client: FlaskClient):
    before = record_counts(app)
    preview_id = new_preview(
        author_client, shipped("exercises", "renewal-season"), kind="exercise", name="renewal"
    )
    done = answer_exercise(author_client, f"/authoring/previews/{preview_id}/exercise")
    assert "Nothing was recorded" in done
    assert record_counts(app) == before


def test_a_recruiter_previews_an_openings_exercise_and_nothing_is_written(
    app: Flask, make_user, make_opening
):
    opening_id = make_opening()
    recruiter = make_user(Role.RECRUITER)  # no author permission needed
    client = signed_in(app, recruiter)
    assert "Preview as a candidate" in page(client.get(f"/hiring/openings/{opening_id}"))
    before = record_counts(app)
    response = client.post(f"/authoring/openings/{opening_id}/preview")
    assert response.status_code == 302
    base = response.headers["Location"].rstrip("/")
    welcome = page(client.get(f"{base}/"))
    assert "Care adviser" in welcome and "Start the exercise" in welcome
    assert "Nothing you do here is recorded" in welcome
    answer_exercise(client, base)
    assert record_counts(app) == before
    # An employee cannot preview an opening (nor see it).
    employee = signed_in(app, make_user(Role.EMPLOYEE))
    assert employee.post(f"/authoring/openings/{opening_id}/preview").status_code == 403
    # Another recruiter cannot take this recruiter's preview.
    other = signed_in(app, make_user(Role.RECRUITER))
    assert other.get(f"{base}/").status_code == 404
    assert other.get(f"{base}/items/1").status_code == 404


def test_expired_previews_are_gone_and_pruned(app: Flask, author_client: FlaskClient):
    preview_id = new_preview(author_client, shipped("modules", "charged-twice"))
    with app.app_context():
        db.session.get(Preview, preview_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert author_client.get(f"/authoring/previews/{preview_id}").status_code == 404
    assert "charged" not in page(author_client.get("/authoring/"))
    with app.app_context():
        assert prune(utcnow()) == 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Preview)) == 0


def test_the_checked_file_downloads_as_written(author_client: FlaskClient):
    text = shipped("modules", "the-wedding-suit")
    preview_id = new_preview(author_client, text, name="the-wedding-suit")
    response = author_client.get(f"/authoring/previews/{preview_id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="the-wedding-suit.md"'
    assert response.get_data(as_text=True) == text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "module", "text": "", "file_name": "x"}, "Upload a file or paste its text."),
        ({"kind": "module", "text": "---", "file_name": "Bad Name"}, "Use lowercase letters"),
        ({"kind": "poem", "text": "---", "file_name": "x"}, "Choose a training module"),
    ],
)
def test_a_bad_new_preview_is_refused_with_the_text_kept(app, author_client, data, error):
    response = author_client.post("/authoring/new", data=data)
    assert response.status_code == 422
    assert error in page(response)
    if data["text"]:
        assert data["text"] in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Preview)) == 0


def test_editing_the_text_checks_it_again(app: Flask, author_client: FlaskClient):
    preview_id = new_preview(author_client, shipped("modules", "charged-twice"))
    url = f"/authoring/previews/{preview_id}"
    assert "No problems found" in page(author_client.get(url))
    response = author_client.post(url, data={"text": "---\ntitle: Half a module\n---\n"})
    assert response.status_code == 302
    assert "front matter is missing: start, skills" in page(author_client.get(url))
    response = author_client.post(url, data={"text": ""})
    assert response.status_code == 422
    assert "The file cannot be empty." in page(response)


def test_the_list_of_previews_takes_the_same_queries_however_many(
    app: Flask, author_client: FlaskClient
):
    from sqlalchemy import event

    def queries() -> int:
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def listener(*args) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert author_client.get("/authoring/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    new_preview(author_client, shipped("modules", "charged-twice"), name="one")
    one = queries()
    for number in range(4):
        new_preview(author_client, shipped("modules", "charged-twice"), name=f"more-{number}")
    assert queries() == one
    assert "more-3.md" in page(author_client.get("/authoring/"))


def test_the_workers_pass_deletes_expired_previews_only(app: Flask, author_client, run_pass):
    kept = new_preview(author_client, shipped("modules", "charged-twice"), name="kept")
    gone = new_preview(author_client, shipped("modules", "charged-twice"), name="gone")
    with app.app_context():
        db.session.get(Preview, gone).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    run_pass()
    with app.app_context():
        assert db.session.scalars(select(Preview.id)).all() == [kept]
