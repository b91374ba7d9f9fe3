"""Playing a module over HTTP as a learner, and reading back what was queued."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from coachkit.deliveries.models import HttpDelivery
from coachkit.extensions import db

SLUG = "charged-twice"
PICKS = [1, 0, 0]  # a weaker first reply, then the strongest ones
REFLECTION = "She needed the rent covered, not a refund."


def start(client: FlaskClient, slug: str = SLUG) -> int:
    response = client.post(f"/training/{slug}/start")
    assert response.status_code == 302
    return int(re.search(r"/training/attempts/(\d+)", response.headers["Location"]).group(1))  # type: ignore[union-attr]


def answer(client: FlaskClient, attempt_id: int, **values: Any) -> Any:
    body = client.get(f"/training/attempts/{attempt_id}").get_data(as_text=True)
    data = {
        "position": re.search(r'name="position" type="hidden" value="(\d+)"', body).group(1),  # type: ignore[union-attr]
        "node": re.search(r'name="node" type="hidden" value="([^"]+)"', body).group(1),  # type: ignore[union-attr]
        **{key: str(value) for key, value in values.items()},
    }
    return client.post(f"/training/attempts/{attempt_id}", data=data)


def play(client: FlaskClient) -> int:
    """A whole attempt: PICKS, then the reflection; the attempt's id."""
    attempt_id = start(client)
    for pick in PICKS:
        assert answer(client, attempt_id, choice=pick).status_code == 302
    done = answer(client, attempt_id, reflection=REFLECTION)
    assert done.headers["Location"].endswith("/results")
    return attempt_id


def queued(app: Flask, about: tuple[str, int] | None = None) -> list[dict[str, Any]]:
    """The statements in the outbox (about one thing), in the order they were queued."""
    with app.app_context():
        statement = select(HttpDelivery).where(HttpDelivery.target == "xapi")
        if about is not None:
            statement = statement.where(
                HttpDelivery.object_type == about[0], HttpDelivery.object_id == about[1]
            )
        found = [row.body for row in db.session.scalars(statement.order_by(HttpDelivery.id))]
        db.session.remove()
        return found
