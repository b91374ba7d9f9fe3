"""Flask commands: `flask demo`, `flask users create`, `flask prune`, `flask recount`,
`flask backup`, `flask restore` (and `flask worker`, `flask send` from notifications)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from coachkit import backup, demo, rollups
from coachkit.auth.forms import email_key
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password, password_problem
from coachkit.auth.sessions import prune_expired
from coachkit.extensions import db
from coachkit.hiring import demo as hiring_demo
from coachkit.hiring.cli import hand_in_lapsed, hiring_cli, purge_candidates
from coachkit.hiring.greenhouse.cli import greenhouse_cli
from coachkit.notifications import cli as notifications_cli
from coachkit.scim.cli import scim_cli
from coachkit.xapi.cli import xapi_cli

users_cli = AppGroup("users", help="Manage accounts from the command line.")


@click.command("demo")
@with_appcontext
@click.option(
    "--password",
    default=demo.DEFAULT_PASSWORD,
    show_default=True,
    help="Password for every demo account.",
)
@click.option("--force", is_flag=True, help="Run even outside debug mode (not for production).")
def demo_command(password: str, force: bool) -> None:
    """Create (or refresh) the demo organisation and print its logins."""
    if not (current_app.debug or current_app.testing or force):
        raise click.UsageError(
            "demo creates accounts with a published password, so it runs only in debug "
            "mode (FLASK_DEBUG=1, as `make run` sets) or with --force."
        )
    if problem := password_problem(password, personal=[]):
        raise click.BadParameter(problem, param_hint="--password")
    people = demo.create(password)
    token = hiring_demo.try_it_token()
    db.session.commit()
    click.echo(f"Demo logins (password: {password}):")
    for user in people:
        click.echo(f"  {user.role.value:<10} {user.email}")
    if token:
        base = current_app.config["EXTERNAL_URL"] or "http://127.0.0.1:5000"
        click.echo(f"Try the candidate's side (no sign-in): {base}/screening/{token}")


@users_cli.command("create")
@click.option("--email", required=True, help="The person's e-mail address (their login).")
@click.option("--name", required=True, help="Display name.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.ADMIN.value,
    show_default=True,
)
@click.password_option(help="Prompted for (hidden) when not given.")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create an account, for example the first real administrator."""
    email = email_key(email)
    if "@" not in email or not name.strip():
        raise click.UsageError("Give a valid --email and a non-empty --name.")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise click.UsageError(f"An account with the e-mail {email} already exists.")
    if problem := password_problem(password, personal=[email, name]):
        raise click.BadParameter(problem, param_hint="--password")
    db.session.add(
        User(email=email, name=name.strip(), role=Role(role), password_hash=hash_password(password))
    )
    db.session.commit()
    click.echo(f"Created {role} {email}.")


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Delete expired sign-in sessions, old login attempts and candidates past the
    hiring retention period, and hand in candidates' attempts that ran out (run daily)."""
    removed = prune_expired()
    db.session.commit()
    click.echo(f"Removed {removed} expired sessions.")
    handed_in = hand_in_lapsed()
    click.echo(
        f"Handed in {handed_in} candidate attempt{'' if handed_in == 1 else 's'} that ran out."
    )
    purged = purge_candidates()
    plural = "" if purged == 1 else "s"
    click.echo(f"Deleted {purged} candidate{plural} past the hiring retention period.")
    notifications, messages = notifications_cli.prune()
    db.session.commit()
    click.echo(f"Deleted {notifications} read notifications and {messages} e-mails sent or failed.")


@click.command("recount")
@with_appcontext
def recount_command() -> None:
    """Rebuild every rollup (candidates per status, reply tallies, skill totals, answers'
    written flags and rater counts, scores revisions) and candidates' results from the
    rows they are made of. Safe while coachkit runs; needed only after changes made
    without it, such as an older release writing while a migration ran."""
    done = rollups.recount()
    db.session.commit()
    for table, count in done.rows.items():
        click.echo(f"{table}: {count} rows.")
    click.echo(f"hiring_answers: {done.answers_corrected} written flags or rater counts corrected.")
    click.echo(f"hiring_candidates: results of {done.candidates_rescored} candidates recomputed.")
    click.echo(f"hiring_openings: scores revision moved on for {done.openings_revised}.")
    if done.exercises_missing:
        click.echo(
            f"{done.exercises_missing} opening(s) left as they were: their exercise is missing.",
            err=True,
        )


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH, safely while coachkit runs."""
    try:
        backup.backup(backup.sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"]), path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database's contents with the backup at PATH."""
    try:
        live = backup.sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
        if not yes:
            click.confirm(f"Replace everything in {live} with {path}?", abort=True)
        db.engine.dispose()  # this process's pooled connections must not outlive the swap
        backup.restore(path, live)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {live} from {path}. Run `flask db upgrade` if the backup is older.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(prune_command)
    app.cli.add_command(recount_command)
    app.cli.add_command(hiring_cli)
    app.cli.add_command(greenhouse_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(notifications_cli.worker_command)
    app.cli.add_command(notifications_cli.send_command)
    app.cli.add_command(scim_cli)
    app.cli.add_command(xapi_cli)
