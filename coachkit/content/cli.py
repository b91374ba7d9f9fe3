"""`flask content check [DIR]`: validate content files without starting the app.

Registered as a Flask CLI plugin (pyproject's flask.commands entry point), so it works
even when a broken file stops the app itself from loading.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup

from coachkit import config
from coachkit.content.library import read
from coachkit.content.problems import errors

content_cli = AppGroup("content", help="Check training, coaching and screening content.")


@content_cli.command("check", with_appcontext=False)
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (CI runs this).")
def check(directory: Path | None, strict: bool) -> None:
    """Validate DIR (default: CONTENT_DIR or ./content); exit 1 on any error."""
    directory = directory or Path(os.environ.get("CONTENT_DIR") or config.CONTENT_DIR)
    if not directory.is_dir():
        raise click.UsageError(f"{directory} is not a directory")
    library, problems = read(directory)
    for problem in problems:
        click.echo(str(problem), err=True)
    failed = len(errors(problems))
    warned = len(problems) - failed
    if failed or (strict and warned):
        raise SystemExit(1)
    found = f"{warned} warning(s)" if warned else "no problems"
    click.echo(
        f"{directory}: {len(library.skills)} skills, {len(library.modules)} modules and "
        f"{len(library.exercises)} exercises, {found}."
    )
