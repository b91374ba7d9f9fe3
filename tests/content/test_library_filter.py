"""A module's optional `setting:`, and the module list filtered by skill and setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from coachkit.auth.models import Role
from coachkit.content.module_parser import parse_module
from coachkit.content.modules import MAX_SETTING
from tests.conftest import page, signed_in
from tests.content.conftest import CONTENT, readme_example

LIBRARY = {
    path.stem: parse_module(path, path.read_bytes())[0]
    for path in sorted((CONTENT / "modules").glob("*.md"))
}
TITLE = re.compile(r'<h2><a href="/training/([a-z0-9-]+)">')


def listed(client, query: str = "") -> list[str]:
    return TITLE.findall(page(client.get(f"/training/{query}")))


def test_every_shipped_module_has_a_setting():
    assert {slug: m.setting for slug, m in LIBRARY.items() if not m.setting} == {}


def test_setting_is_optional_and_one_short_line():
    example = readme_example()
    module, problems = parse_module(Path("example.md"), example.encode())
    assert (
        module is not None and module.setting == "" and not [p for p in problems if not p.warning]
    )
    with_setting = example.replace("---\n", "---\nsetting: bank branch\n", 1)
    module, _problems = parse_module(Path("example.md"), with_setting.encode())
    assert module.setting == "bank branch"
    too_long = example.replace("---\n", f"---\nsetting: {'x' * (MAX_SETTING + 1)}\n", 1)
    _module, problems = parse_module(Path("example.md"), too_long.encode())
    assert [(p.line, p.reason) for p in problems if not p.warning] == [
        (2, f"setting is one short line, 1 to {MAX_SETTING} characters")
    ]


@pytest.fixture
def learner(app: Flask, make_user):
    return signed_in(app, make_user(Role.EMPLOYEE))


def test_the_list_filters_by_skill(learner):
    expected = sorted(
        (m.title.lower(), slug)
        for slug, m in LIBRARY.items()
        if "consistency-across-channels" in m.skills
    )
    assert listed(learner, "?skill=consistency-across-channels") == [slug for _t, slug in expected]
    assert 0 < len(expected) < len(LIBRARY)


def test_the_list_filters_by_setting_and_by_both(learner):
    setting = LIBRARY["outside-the-returns-window"].setting
    in_title_order = sorted(LIBRARY.items(), key=lambda item: item[1].title.lower())
    assert listed(learner, f"?setting={setting}") == [
        slug for slug, m in in_title_order if m.setting == setting
    ]
    assert listed(learner, f"?setting={setting}&skill=ownership") == [
        slug for slug, m in in_title_order if m.setting == setting and "ownership" in m.skills
    ]
    text = page(learner.get(f"/training/?setting={setting}&skill=consistency-across-channels"))
    assert "No module trains that skill in that setting yet." in text
    assert TITLE.findall(text) == []


def test_unknown_filter_values_show_everything(learner):
    assert len(listed(learner, "?skill=juggling&setting=the-moon")) == len(LIBRARY)
    text = page(learner.get("/training/?skill=juggling"))
    assert 'class="error"' not in text
    assert f"{len(LIBRARY)} modules" in text


def test_the_filter_offers_the_librarys_settings_and_skills(learner):
    text = page(learner.get("/training/"))
    for module in LIBRARY.values():
        assert f'<option value="{module.setting}">' in text.replace("&#39;", "'")
    assert '<option value="empathy">' in text
