"""The conversation map: its SVG and its list say what the module's graph says, for
every shipped module (new modules are covered as they are added), laid out the same
way every time, and weighted by the replies learners took in the module report."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from coachkit.auth.models import Role, User
from coachkit.content.conversation_map import conversation_map
from coachkit.content.graph import links
from coachkit.content.library import library, read
from coachkit.content.paths import strongest_route
from coachkit.extensions import db
from tests.conftest import page, play_through, signed_in
from tests.content.conftest import CONTENT

SHIPPED = sorted(read(CONTENT)[0].modules)


def counted(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text))


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_svg_and_the_list_agree_with_the_graph(app: Flask, make_user, slug):
    client = signed_in(app, make_user(Role.MANAGER))
    text = page(client.get(f"/training/{slug}"))
    with app.app_context():
        module = library().modules[slug]
        forward, _backward = links(module)
        nodes, endings = len(module.nodes), len(module.endings)
        edges = sum(len(targets) for targets in forward.values())
        strongest = len(strongest_route(module).steps)
    svg = text[text.index('<svg class="map-svg"') : text.index("</svg>", text.index("map-svg"))]
    listing = text[text.index('<ol class="map-list"') :]
    listing = listing[: listing.index("</ol>\n  </div>")]
    assert counted(svg, r'<g class="map-node ') == nodes
    assert counted(svg, r'<g class="map-node [^"]*map-ending') == endings
    assert counted(svg, r'<g class="map-edge[ "]') == edges
    assert counted(svg, r'<g class="map-edge map-strongest') == strongest
    assert counted(listing, r'<li class="map-item ') == nodes
    assert counted(listing, r'<li class="map-item map-item-end"') == endings
    assert counted(listing, r'<li class="map-reply') == edges
    assert counted(listing, r'<li class="map-reply map-reply-strongest') == strongest
    # Every ending is coloured by its outcome, and every node is named in both.
    for node in module.nodes.values():
        assert f'data-node="{node.id}"' in svg
        assert f'id="map-{node.id}"' in listing
        if node.kind == "end":
            assert re.search(rf'map-outcome-{node.outcome}[^"]*" data-node="{node.id}"', svg)


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_layout_is_deterministic_and_inside_the_drawing(app: Flask, slug):
    with app.app_context():
        module = library().modules[slug]
        first, second = conversation_map(module), conversation_map(module)
    assert first == second
    assert first is not None
    for node in first.nodes:
        assert node.x >= 0 and node.x + 168 <= first.width
        assert node.y >= 0 and node.y + 48 <= first.height
    depths = [node.depth for node in first.nodes]
    assert depths == sorted(depths)  # layers by depth, the start alone on top
    assert first.nodes[0].id == module.start and depths.count(0) == 1


def test_the_report_weights_the_arrows_by_the_replies_taken(app: Flask, make_user):
    admin = make_user(Role.ADMIN)
    learner = make_user(Role.EMPLOYEE)
    with app.test_request_context():
        play_through(db.session.get(User, learner.id), "charged-twice", "I listened.")
        db.session.commit()
        module = library().modules["charged-twice"]
    text = page(signed_in(app, admin).get("/training/charged-twice/report"))
    assert "by how often each reply was taken" in text
    assert "taken 1 time" in text and "taken 0 times" in text
    widths = {float(w) for w in re.findall(r'stroke-width="([\d.]+)" marker-end', text)}
    assert max(widths) == 9.0 and min(widths) == 1.5  # the most taken, and the never taken
    assert counted(text, r'<g class="map-edge[ "]') == sum(
        len(t) for t in links(module)[0].values()
    )


def test_learners_see_the_map_once_they_have_finished_the_module(app: Flask, make_user):
    learner = make_user(Role.EMPLOYEE)
    client = signed_in(app, learner)
    assert "map-svg" not in page(client.get("/training/charged-twice"))
    with app.test_request_context():
        play_through(db.session.get(User, learner.id), "charged-twice", "I listened.")
        db.session.commit()
    assert "map-svg" in page(client.get("/training/charged-twice"))
