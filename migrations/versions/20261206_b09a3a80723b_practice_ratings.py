"""practice ratings on the 1-5 scale

- training_skill_scores.rating_tenths: each completed attempt's rating of the skill on
  the 1-5 scale of the module version it played, in tenths (42 is 4.2); NULL when every
  way through that version scores the skill the same. The player writes it when an
  attempt completes; filled here from each row's points and its attempt's version.
- training_skill_totals.rating_tenths and rated: the sum of those ratings and how many
  there are, so a person's mean rating of a skill is one row; filled here from the
  skill scores (`flask recount` rebuilds them the same way).

The ratings are computed by coachkit's own scale (`coachkit.training.scale`) from each
stored module version: the range a skill's points are placed in comes from every path
through the version's graph, which SQL cannot work out. Each version, skill and points
is rated once, then one UPDATE copies the ratings to every matching row.

Revision ID: b09a3a80723b
Revises: 702f470f1edd
Create Date: 2026-12-06 05:00:00.000000

"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b09a3a80723b'
down_revision = '702f470f1edd'
branch_labels = None
depends_on = None

BACKFILL = 'training_rating_backfill'  # scratch table, dropped before the end


def upgrade():
    with op.batch_alter_table('training_skill_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_tenths', sa.Integer(), nullable=True))
    with op.batch_alter_table('training_skill_totals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_tenths', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('rated', sa.Integer(), server_default='0', nullable=False))
    _rate_stored_scores()
    op.execute(
        "UPDATE training_skill_totals SET"
        " rating_tenths = coalesce((SELECT sum(s.rating_tenths) FROM training_skill_scores s"
        "  WHERE s.user_id = training_skill_totals.user_id"
        "  AND s.skill = training_skill_totals.skill), 0),"
        " rated = (SELECT count(s.rating_tenths) FROM training_skill_scores s"
        "  WHERE s.user_id = training_skill_totals.user_id"
        "  AND s.skill = training_skill_totals.skill)"
    )


def _rate_stored_scores():
    from coachkit.content.module_parser import parse_module
    from coachkit.training.scale import rating_tenths

    connection = op.get_bind()
    combinations = connection.execute(
        sa.text(
            "SELECT DISTINCT a.module_version_id, s.skill, s.points"
            " FROM training_skill_scores s JOIN training_attempts a ON a.id = s.attempt_id"
        )
    ).all()
    sources = {
        version_id: (slug, source)
        for version_id, slug, source in connection.execute(
            sa.text("SELECT id, slug, source FROM module_versions")
        )
    }
    modules = {}
    for version_id, (slug, source) in sources.items():
        module, _problems = parse_module(Path(f"{slug}.md"), source.encode("utf-8"))
        modules[version_id] = module
    rated = []
    for version_id, skill, points in combinations:
        module = modules.get(version_id)
        try:
            tenths = None if module is None else rating_tenths(module, skill, points)
        except (ValueError, KeyError):  # a stored graph that cannot be measured
            tenths = None
        if tenths is not None:
            rated.append({'module_version_id': version_id, 'skill': skill, 'points': points, 'rating_tenths': tenths})
    backfill = op.create_table(
        BACKFILL,
        sa.Column('module_version_id', sa.Integer(), nullable=False),
        sa.Column('skill', sa.String(length=60), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('rating_tenths', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('module_version_id', 'skill', 'points', name='pk_training_rating_backfill'),
    )
    if rated:
        op.bulk_insert(backfill, rated)
    op.execute(
        "UPDATE training_skill_scores SET rating_tenths = ("
        f"SELECT b.rating_tenths FROM {BACKFILL} b"
        " JOIN training_attempts a ON a.module_version_id = b.module_version_id"
        " WHERE a.id = training_skill_scores.attempt_id"
        " AND b.skill = training_skill_scores.skill AND b.points = training_skill_scores.points)"
    )
    op.drop_table(BACKFILL)


def downgrade():
    with op.batch_alter_table('training_skill_totals', schema=None) as batch_op:
        batch_op.drop_column('rated')
        batch_op.drop_column('rating_tenths')
    with op.batch_alter_table('training_skill_scores', schema=None) as batch_op:
        batch_op.drop_column('rating_tenths')
