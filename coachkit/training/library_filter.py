"""The module list's filter: by a skill the module trains and by its setting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from coachkit.content.modules import Module
from coachkit.content.skills import Skill
from coachkit.training.forms import LibraryFilterForm


def filter_form(
    args: MultiDict[str, str], modules: Iterable[Module], skills: Mapping[str, Skill]
) -> LibraryFilterForm:
    """The filter, its choices the skills and settings the library's modules have; an
    unknown value is ignored (shown as "all"), not an error."""
    modules = list(modules)
    trained = {skill for module in modules for skill in module.skills}
    settings = sorted({m.setting for m in modules if m.setting}, key=str.lower)
    form = LibraryFilterForm(args)
    form.skill.choices = [
        SelectChoice("", "All skills"),
        *(SelectChoice(s.id, s.name) for s in skills.values() if s.id in trained),
    ]
    form.setting.choices = [
        SelectChoice("", "All settings"),
        *(SelectChoice(s, s) for s in settings),
    ]
    form.validate()
    for field in (form.skill, form.setting):
        if field.errors:
            field.data, field.errors = "", []
    return form


def matching(modules: Iterable[Module], form: LibraryFilterForm) -> list[Module]:
    """The modules that train the chosen skill and happen in the chosen setting."""
    skill, setting = form.skill.data or "", form.setting.data or ""
    return [
        module
        for module in modules
        if (not skill or skill in module.skills) and (not setting or module.setting == setting)
    ]
