"""skill totals rollup

- training_skill_totals: each person's points per skill over their completed attempts
  and how many attempts, the rollup behind skill profiles (home page, team progress,
  coaching session), kept by the application in the transaction that completes each
  attempt; filled here from the skill scores already stored.

Revision ID: a7c4e9d13b52
Revises: f3b8d2c6a1e4
Create Date: 2026-11-28 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c4e9d13b52'
down_revision = 'f3b8d2c6a1e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_skill_totals',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=60), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_skill_totals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill', name=op.f('pk_training_skill_totals'))
    )
    op.execute(
        "INSERT INTO training_skill_totals (user_id, skill, points, attempts) "
        "SELECT user_id, skill, sum(points), count(*) FROM training_skill_scores "
        "GROUP BY user_id, skill"
    )


def downgrade():
    op.drop_table('training_skill_totals')
