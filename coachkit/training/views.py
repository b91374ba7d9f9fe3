"""The training player: module list, briefing, one step per page, results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role, User
from coachkit.content.conversation_map import conversation_map, plain_map
from coachkit.content.library import library
from coachkit.content.modules import Module, Node
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import scans
from coachkit.teams.models import Membership, Position, Team, managed_members, visible_teams
from coachkit.training import assignments, library_filter, player, progress, reminders, scope
from coachkit.training.conversation import module_length, step_progress
from coachkit.training.forms import AssignForm, ChoiceForm, ReflectionForm, StepForm
from coachkit.training.models import (
    Attempt,
    AttemptStatus,
    ModuleVersion,
    own_attempts,
    readable_attempts,
)
from coachkit.training.order import shown_replies
from coachkit.training.results import overall, path_taken, skill_lines, strongest_path

bp = Blueprint("training", __name__, url_prefix="/training")
scans.register_with(bp, "training.due_soon", reminders.due_soon)
scans.register_with(bp, "training.overdue", reminders.overdue)
LEARNERS = (Role.EMPLOYEE, Role.MANAGER, Role.ADMIN)  # admins may preview
NEWEST_LINE = "now"  # the id of the player's newest line, where an answer returns to


@bp.route("/")
@allow(*LEARNERS)
def index() -> str:
    attempts = db.session.scalars(own_attempts(current_user.id).order_by(Attempt.id)).all()
    latest = {attempt.module_slug: attempt for attempt in attempts}
    everything = library().modules.values()
    form = library_filter.filter_form(request.args, everything, library().skills)
    modules = library_filter.matching(everything, form)
    # The viewer's unfinished assignments, soonest due first, one per module.
    assigned: dict[str, progress.AssignmentStatus] = {}
    for status in progress.assignment_statuses([current_user.id], utcnow().date()):
        if status.state != progress.AssignmentState.DONE:
            assigned.setdefault(status.assignment.module_slug, status)
    return render_template(
        "training/index.html",
        modules=modules,
        assigned=assigned,
        lengths={module.slug: module_length(module) for module in modules},
        latest=latest,
        skills=library().skills,
        form=form,
        total=len(everything),
    )


@bp.route("/<slug>")
@allow(*LEARNERS)
def show(slug: str) -> str:
    module = scope.module_or_404(slug)
    attempts = db.session.scalars(
        own_attempts(current_user.id)
        .where(Attempt.module_slug == slug)
        .order_by(Attempt.id.desc())
        # Each version's source, for attempts played on an earlier one (one query).
        .options(selectinload(Attempt.module_version).undefer(ModuleVersion.source))
    ).all()
    unfinished = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    return render_template(
        "training/show.html",
        module=module,
        length=module_length(module),
        attempts=attempts,
        percents={
            a.id: overall(player.module_of(a), a.scores).percent
            for a in attempts
            if a.status == AttemptStatus.COMPLETED
        },
        unfinished=unfinished,
        form=ActionForm(),
        skills=library().skills,
        cmap=plain_map(module) if scope.sees_map(attempts) else None,
    )


@bp.route("/<slug>/start", methods=["POST"])
@allow(*LEARNERS)
def start(slug: str) -> Response:
    """Resume the unfinished attempt, or begin a new one (also how "retry" works)."""
    module = scope.module_or_404(slug)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("training.show", slug=slug))
    attempt = player.start(current_user, module)
    db.session.commit()
    return redirect(url_for("training.play", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@allow(*LEARNERS)
def play(attempt_id: int) -> ResponseReturnValue:
    """Show the current step; on POST, record the answer and move on."""
    attempt = scope.attempt_or_404(attempt_id, for_update=True)
    if attempt.status == AttemptStatus.COMPLETED:
        return redirect(url_for("training.results", attempt_id=attempt.id))
    module = player.module_of(attempt)
    node = module.nodes[attempt.current_node]
    if _answers_an_earlier_step(attempt, node):
        flash("That answer was already recorded. Here is where you are now.", "info")
        return redirect(url_for("training.play", attempt_id=attempt.id))
    form = ReflectionForm() if node.kind == "reflect" else ChoiceForm()
    if isinstance(form, ChoiceForm):  # in this attempt's order, valued by authored index
        form.choice.choices = [
            SelectChoice(str(i), c.text) for i, c in shown_replies(node, attempt.id)
        ]
    if form.validate_on_submit():
        choice = form.choice.data if isinstance(form, ChoiceForm) else None
        text = form.reflection.data if isinstance(form, ReflectionForm) else None
        try:
            player.answer(
                attempt, module, position=attempt.step_count, choice=choice, reflection=text
            )
        except player.StaleAnswer:
            return redirect(url_for("training.play", attempt_id=attempt.id))
        except ValueError as error:
            db.session.rollback()
            field = form.choice if isinstance(form, ChoiceForm) else form.reflection
            field.errors = [*field.errors, str(error)]
            return _render_step(attempt, module, node, form)
        db.session.commit()
        if attempt.status == AttemptStatus.COMPLETED:
            return redirect(url_for("training.results", attempt_id=attempt.id))
        # Back to the conversation at the reply just given (browsers keep the fragment).
        return redirect(url_for("training.play", attempt_id=attempt.id, _anchor=NEWEST_LINE))
    return _render_step(attempt, module, node, form)


def _answers_an_earlier_step(attempt: Attempt, node: Node) -> bool:
    """Whether the post answers a step the attempt has moved past (sent twice, or from
    another tab): recognised before it is read as an answer to the current step, whose
    kind of form it may not fit."""
    sent = StepForm()
    return sent.validate_on_submit() and (sent.node.data, sent.position.data) != (
        node.id,
        attempt.step_count,
    )


def _render_step(
    attempt: Attempt, module: Module, node: Node, form: ChoiceForm | ReflectionForm
) -> str:
    form.position.data, form.node.data = attempt.step_count, node.id
    return render_template(
        "training/play.html",
        attempt=attempt,
        module=module,
        node=node,
        form=form,
        taken=path_taken(attempt, module),
        progress=step_progress(module, node.id, attempt.step_count),
        newest=NEWEST_LINE,
    )


@bp.route("/attempts/<int:attempt_id>/results")
@allow(*LEARNERS)
def results(attempt_id: int) -> ResponseReturnValue:
    """An attempt's results, for the learner and for the managers of that learner."""
    attempt = db.session.scalar(
        readable_attempts(current_user)
        .where(Attempt.id == attempt_id)
        .options(joinedload(Attempt.module_version, innerjoin=True))
    )
    if attempt is None:
        abort(404)
    own = attempt.user_id == current_user.id
    if attempt.status != AttemptStatus.COMPLETED:
        if not own:
            abort(404)  # nothing to read yet, and the player is the learner's alone
        return redirect(url_for("training.play", attempt_id=attempt.id))
    module = player.module_of(attempt)
    return render_template(
        "training/results.html",
        attempt=attempt,
        module=module,
        taken=path_taken(attempt, module),
        best=strongest_path(module),
        ending=module.nodes[attempt.ending or ""],
        lines=skill_lines(module, attempt.scores, library().skills),
        overall=overall(module, attempt.scores),
        skills=library().skills,
        form=ActionForm(),
        learner=None if own else db.session.get(User, attempt.user_id),
    )


# Managers: assign modules, follow their teams, read module reports.


@bp.route("/assign", methods=["GET", "POST"])
@allow(Role.MANAGER, Role.ADMIN)
def assign() -> ResponseReturnValue:
    form = AssignForm()
    form.module.choices = [SelectChoice(m.slug, m.title) for m in library().modules.values()]
    form.target.choices = scope.assign_targets(current_user)
    if form.validate_on_submit():
        people = scope.people_for(form.target.data or "")
        if not people:
            form.target.errors = ["That team has no active members yet."]
        else:
            count = assignments.assign(
                form.module.data or "", people, form.due_on.data, current_user
            )
            db.session.commit()
            flash(f"Assigned to {count} {'person' if count == 1 else 'people'}.", "success")
            return redirect(url_for("training.assign"))
    return render_template("training/assign.html", form=form)


@bp.route("/teams/<int:team_id>")
@allow(Role.MANAGER, Role.ADMIN)
def team_progress(team_id: int) -> str:
    team = db.session.scalar(
        visible_teams(current_user)
        .where(Team.id == team_id)
        .options(selectinload(Team.memberships).selectinload(Membership.user))
    )
    if team is None:
        abort(404)
    members = sorted(
        (m.user for m in team.memberships if m.position == Position.MEMBER),
        key=lambda user: user.name.lower(),
    )
    ids = [member.id for member in members]
    statuses = progress.assignment_statuses(ids, utcnow().date())
    by_person: dict[int, list[progress.AssignmentStatus]] = {}
    for status in statuses:
        by_person.setdefault(status.assignment.user_id, []).append(status)
    return render_template(
        "training/team_progress.html",
        team=team,
        members=members,
        by_person=by_person,
        completion=progress.completion(statuses),
        form=ActionForm(),
        profiles=progress.skill_profiles(ids),
        skills=library().skills,
        modules=library().modules,
    )


@bp.route("/teams/<int:team_id>/assignments/<int:assignment_id>/remind", methods=["POST"])
@allow(Role.MANAGER, Role.ADMIN)
def remind(team_id: int, assignment_id: int) -> Response:
    """Remind a member of the team of a module they have not completed."""
    back = redirect(url_for("training.team_progress", team_id=team_id))
    assignment, learner = scope.team_assignment_or_404(team_id, assignment_id)
    if not ActionForm().validate_on_submit():
        return back
    today = utcnow().date()
    status = next(
        s
        for s in progress.assignment_statuses([learner.id], today)
        if s.assignment.id == assignment.id
    )
    module = scope.module_or_404(assignment.module_slug)
    if status.state == progress.AssignmentState.DONE:
        flash(f"{learner.name} has already completed {module.title}.", "info")
        return back
    reminders.remind(assignment, module.title, learner, today)
    db.session.commit()
    flash(
        f"Reminded {learner.name} of {module.title}, due {assignment.due_on:%-d %B %Y}, "
        f"on {today:%-d %B %Y}.",
        "success",
    )
    return back


@bp.route("/<slug>/report")
@allow(Role.MANAGER, Role.ADMIN)
def report(slug: str) -> str:
    """Per step, how often each reply was chosen and its average outcome."""
    module = scope.module_or_404(slug)
    people = (
        None
        if current_user.role == Role.ADMIN
        else managed_members(current_user).with_only_columns(User.id)
    )
    counts = progress.choice_counts(slug, module.version, people)
    taken = {key: count.taken for key, count in counts.items()}
    return render_template(
        "training/report.html",
        module=module,
        counts=counts,
        cmap=conversation_map(module, taken),
    )
