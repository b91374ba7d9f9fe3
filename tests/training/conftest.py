"""What the training tests share."""

from __future__ import annotations

import pytest

from coachkit.auth.models import Role
from tests.conftest import login


@pytest.fixture
def learner(client, make_user):
    """An employee, signed in on `client`."""
    person = make_user(Role.EMPLOYEE)
    login(client, person)
    return person
