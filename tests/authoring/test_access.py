"""The author permission: given by admins to people of any role; a preview is its
author's alone."""

from __future__ import annotations

import pytest
from flask import Flask

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from tests.authoring.conftest import new_preview, shipped
from tests.conftest import page, signed_in


@pytest.mark.parametrize("role", list(Role))
def test_an_author_of_any_role_may_preview(app: Flask, make_author, role):
    client = signed_in(app, make_author(role))
    assert "It lasts 24 hours from your last change." in page(client.get("/authoring/"))
    assert 'href="/authoring/"' in page(client.get("/"))  # in their navigation
    preview_id = new_preview(client, shipped("modules", "charged-twice"))
    assert client.get(f"/authoring/previews/{preview_id}").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_without_the_permission_no_one_may(app: Flask, make_user, role):
    client = signed_in(app, make_user(role))
    assert client.get("/authoring/").status_code == 403
    assert client.post("/authoring/new", data={"kind": "module", "text": "x"}).status_code == 403
    assert 'href="/authoring/"' not in page(client.get("/"))


def test_a_preview_is_its_authors_alone(app: Flask, make_author, make_user):
    owner = signed_in(app, make_author(Role.MANAGER))
    preview_id = new_preview(owner, shipped("modules", "charged-twice"))
    owner.post(f"/authoring/previews/{preview_id}/module/start")
    other_author = signed_in(app, make_author(Role.ADMIN))
    base = f"/authoring/previews/{preview_id}"
    for url in (base, f"{base}/download", f"{base}/module/play", f"{base}/module/results"):
        assert other_author.get(url).status_code == 404, url
    assert other_author.post(f"{base}/delete").status_code == 404
    assert other_author.post(f"{base}/module/start").status_code == 404
    assert "a-draft" not in page(other_author.get("/authoring/"))
    # A non-author is refused before the preview is even looked up.
    assert signed_in(app, make_user(Role.ADMIN)).get(base).status_code == 403


def test_losing_the_permission_closes_ones_previews(app: Flask, make_author):
    author = make_author(Role.EMPLOYEE)
    client = signed_in(app, author)
    preview_id = new_preview(client, shipped("modules", "charged-twice"))
    with app.app_context():
        db.session.get(User, author.id).is_author = False
        db.session.commit()
    assert client.get(f"/authoring/previews/{preview_id}").status_code == 403
    assert client.get(f"/authoring/previews/{preview_id}/exercise/").status_code == 404


def test_admins_give_the_permission_on_the_people_pages(app: Flask, make_user):
    admin = signed_in(app, make_user(Role.ADMIN))
    recruiter = make_user(Role.RECRUITER, name="Rae Recruiter")
    form = {"name": recruiter.name, "email": recruiter.email, "role": "recruiter", "active": "y"}
    response = admin.post(f"/people/{recruiter.id}/edit", data={**form, "is_author": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, recruiter.id).is_author
    listing = page(admin.get("/people/?q=rae"))
    assert "Rae Recruiter" in listing and ">Author</span>" in listing
    assert signed_in(app, recruiter).get("/authoring/").status_code == 200
    admin.post(f"/people/{recruiter.id}/edit", data=form)  # unticked: taken away
    with app.app_context():
        assert not db.session.get(User, recruiter.id).is_author


def test_a_new_person_can_be_an_author_from_the_start(app: Flask, make_user):
    admin = signed_in(app, make_user(Role.ADMIN))
    response = admin.post(
        "/people/new",
        data={
            "name": "Tess Trainer",
            "email": "tess@example.com",
            "role": "employee",
            "team": "0",
            "position": "member",
            "is_author": "y",
        },
    )
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "tess@example.com"))
        assert user.is_author
