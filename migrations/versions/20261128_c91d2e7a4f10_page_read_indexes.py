"""indexes the busiest pages read from

- training_skill_scores: (user, skill, points) replaces (user, skill), so skill
  profiles average the points from the index alone.
- hiring_candidates: (opening, submitted, id), so the rating queue walks an opening's
  hand-ins oldest first and stops after a page.
- hiring_candidates: (opening, overall descending with unscored last, code, id), the
  comparison's default order. SQLite cannot say NULLS LAST in an index and puts NULLs
  last in a descending one anyway; PostgreSQL needs it said.

Revision ID: c91d2e7a4f10
Revises: b4c705e559ee
Create Date: 2026-11-28 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c91d2e7a4f10'
down_revision = 'b4c705e559ee'
branch_labels = None
depends_on = None


def _comparison_index():
    overall = sa.column('overall').desc()
    if op.get_bind().dialect.name == "postgresql":
        return "ix_hiring_candidates_comparison_pg", overall.nulls_last()
    return "ix_hiring_candidates_comparison", overall


def upgrade():
    with op.batch_alter_table('training_skill_scores', schema=None) as batch_op:
        batch_op.create_index('ix_training_skill_scores_profile', ['user_id', 'skill', 'points'], unique=False)
        batch_op.drop_index('ix_training_skill_scores_user_id_skill')

    with op.batch_alter_table('hiring_candidates', schema=None) as batch_op:
        batch_op.create_index('ix_hiring_candidates_submitted', ['opening_id', 'submitted_at', 'id'], unique=False)
    name, overall = _comparison_index()
    op.create_index(name, 'hiring_candidates', [sa.column('opening_id'), overall, sa.column('code'), sa.column('id')], unique=False)


def downgrade():
    name, _overall = _comparison_index()
    op.drop_index(name, table_name='hiring_candidates')
    with op.batch_alter_table('hiring_candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_hiring_candidates_submitted')

    with op.batch_alter_table('training_skill_scores', schema=None) as batch_op:
        batch_op.create_index('ix_training_skill_scores_user_id_skill', ['user_id', 'skill'], unique=False)
        batch_op.drop_index('ix_training_skill_scores_profile')
