"""Admins import people from a CSV file: a preview of what each row does, then every
good row applied in one transaction."""

from __future__ import annotations

import base64

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from coachkit import mail
from coachkit.auth import password_links
from coachkit.auth.access import allow
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.people import accounts, password_mail, people_import, roster_file
from coachkit.people.forms import ApplyImportForm, PeopleFileForm
from coachkit.teams.roster import RosterError

bp = Blueprint("people_import", __name__)

CHANGED_MEANWHILE = "Someone changed these people meanwhile: preview the file again."


@bp.route("/people/import", methods=["GET", "POST"])
@allow(Role.ADMIN)
def start() -> ResponseReturnValue:
    """Upload a people file and see what importing it would do."""
    form = PeopleFileForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            plan = people_import.plan(roster_file.read(data))
        except roster_file.BadFile as error:
            form.file.errors = [str(error)]
        else:
            apply_form = ApplyImportForm(contents=base64.b64encode(data).decode())
            return render_template("people_import/preview.html", plan=plan, form=apply_form)
    return render_template("people_import/start.html", form=form)


@bp.route("/people/import/apply", methods=["POST"])
@allow(Role.ADMIN)
def apply() -> ResponseReturnValue:
    """Apply every good row of the previewed file, in one transaction."""
    form = ApplyImportForm()
    try:
        if not form.validate_on_submit():
            raise roster_file.BadFile("The preview expired: upload the file again.")
        lines = roster_file.read(base64.b64decode(form.contents.data or "", validate=True))
    except roster_file.BadFile as error:
        flash(str(error), "error")
        return redirect(url_for("people_import.start"))
    except ValueError:  # not base64 (binascii.Error) or not ASCII: not what the preview posts
        flash("Upload the file again.", "error")
        return redirect(url_for("people_import.start"))
    plan = people_import.plan(lines)
    try:
        added = people_import.apply(plan)
        mailed = _send_links(added)
        db.session.commit()
    except (IntegrityError, accounts.AccountError, RosterError):
        db.session.rollback()
        flash(CHANGED_MEANWHILE, "error")
        return redirect(url_for("people_import.start"))
    flash(_summary(plan, mailed), "success")
    return redirect(url_for("people.index"))


def _send_links(added: list[User]) -> int:
    """Give each new person a set-password link by e-mail; how many will be e-mailed."""
    if not current_app.config["PASSWORD_SIGN_IN"]:
        return 0
    mailed = 0
    for user in added:
        url, link = password_links.issue(user, issued_by=current_user)
        mailed += password_mail.send(user, url, link)
    return mailed


def _summary(plan: people_import.Plan, mailed: int) -> str:
    Outcome = people_import.Outcome
    text = (
        f"Imported: {plan.count(Outcome.ADD)} added, {plan.count(Outcome.UPDATE)} updated, "
        f"{plan.count(Outcome.UNCHANGED)} unchanged, {plan.count(Outcome.REFUSED)} refused."
    )
    added = plan.count(Outcome.ADD)
    if added and mail.configured() and current_app.config["PASSWORD_SIGN_IN"]:
        text += f" {mailed} set-password link{'' if mailed == 1 else 's'} will be e-mailed."
    elif added and current_app.config["PASSWORD_SIGN_IN"]:
        text += " E-mail is not set up: create each new person's set-password link on their page."
    return text
