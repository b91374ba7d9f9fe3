"""A whole attempt's statements reach a real LRS (Ralph), in order, with the choices
identifiable, and pass Ralph's own xAPI models; who the learner is stays a hash."""

from __future__ import annotations

import json

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.training.models import Attempt
from tests.conftest import signed_in
from tests.xapi.play import PICKS, REFLECTION, SLUG, answer, play, queued, start

ADL = "http://adlnet.gov/expapi/verbs/"


def test_an_attempt_reaches_the_lrs_in_order_with_its_choices(app, make_user, run_pass, lrs):
    person = make_user(Role.EMPLOYEE, name="Ada Lovelace", email="ada@example.com")
    attempt_id = play(signed_in(app, person))
    run_pass()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        registration, version = attempt.registration, attempt.module_version.version
        times = [attempt.started_at] + [step.created_at for step in attempt.steps]
        finished = attempt.completed_at
        module = library().modules[SLUG]
    sent = queued(app, ("attempt", attempt_id))
    stored = []
    for statement in sent:
        [found] = lrs.statement(statement["id"])  # once, by its id
        BaseXapiStatement.model_validate(found)  # Ralph's own model of a statement
        stored.append(found)
    verbs = [s["verb"]["id"].removeprefix(ADL) for s in stored]
    assert verbs[:2] == ["launched", "initialized"]
    assert verbs[2:-1].count("answered") == len(PICKS) and "responded" in verbs
    assert verbs[-1] == "completed"
    assert {s["context"]["registration"] for s in stored} == {registration}
    # Each answer: a cmi.interaction of type choice whose response is one of its choices.
    answers = [s for s in stored if s["verb"]["id"] == ADL + "answered"]
    assert len(answers) == len(PICKS)
    for statement, pick in zip(answers, PICKS, strict=True):
        definition = statement["object"]["definition"]
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert definition["interactionType"] == "choice"
        ids = [choice["id"] for choice in definition["choices"]]
        assert statement["result"]["response"] in ids
        node = module.nodes[statement["object"]["id"].rsplit("/", 1)[1]]
        chosen = definition["choices"][ids.index(statement["result"]["response"])]
        assert chosen["description"]["en-US"] == node.choices[pick].text
        assert statement["context"]["contextActivities"]["parent"][0]["id"].endswith(SLUG)
    # Completed: the overall score and each skill on the 1-5 scale.
    completed = stored[-1]
    score = completed["result"]["score"]
    assert 0 <= score["scaled"] <= 1 and score["max"] == 100
    ratings = next(v for k, v in completed["result"]["extensions"].items() if "skill-ratings" in k)
    assert set(ratings) == set(module.skills)
    assert all(r is None or 1 <= r <= 5 for r in ratings.values())
    assert any(version in json.dumps(s["object"]) for s in stored if "definition" in s["object"])
    # Timestamps: when the learner acted, in order.
    acted = [s["timestamp"] for s in stored]
    assert acted == sorted(acted)
    assert acted[0].startswith(times[0].strftime("%Y-%m-%dT%H:%M:%S"))
    assert stored[-1]["timestamp"].startswith(finished.strftime("%Y-%m-%dT%H:%M:%S"))
    # The learner: a hash of their mailto IRI, never the address or the name.
    text = json.dumps(stored)
    assert "ada@example.com" not in text and "Ada" not in text and "Lovelace" not in text
    assert all("mbox_sha1sum" in s["actor"] and "name" not in s["actor"] for s in stored)
    # Reflections: no text unless the organisation opts in.
    assert REFLECTION not in text


@pytest.mark.parametrize("xapi_settings", [{"XAPI_ACTOR": "account", "XAPI_REFLECTION_TEXT": True}])
def test_an_account_actor_and_reflection_text_when_opted_in(app, make_user, run_pass, lrs):
    person = make_user(Role.EMPLOYEE)
    attempt_id = play(signed_in(app, person))
    run_pass()
    stored = [lrs.statement(s["id"])[0] for s in queued(app, ("attempt", attempt_id))]
    assert {json.dumps(s["actor"]["account"], sort_keys=True) for s in stored} == {
        json.dumps({"homePage": "https://coachkit.test", "name": str(person.id)}, sort_keys=True)
    }
    [responded] = [s for s in stored if s["verb"]["id"] == ADL + "responded"]
    assert responded["result"]["response"] == REFLECTION
    assert responded["object"]["definition"]["interactionType"] == "long-fill-in"


@pytest.mark.parametrize("xapi_settings", [{"XAPI_ENDPOINT": ""}])
def test_nothing_is_queued_without_an_endpoint(app, make_user):
    play(signed_in(app, make_user(Role.EMPLOYEE)))
    assert queued(app) == []


def test_a_refused_answer_queues_nothing(app, make_user):
    client = signed_in(app, make_user(Role.EMPLOYEE))
    attempt_id = start(client)
    before = queued(app)
    assert [s["verb"]["display"]["en-US"] for s in before] == ["launched", "initialized"]
    assert answer(client, attempt_id, choice=99).status_code == 200  # shown again, with why
    assert queued(app) == before
