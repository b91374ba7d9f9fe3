"""status counts rollup; indexes for the home page and the rating queue

- hiring_status_counts: each opening's candidates counted by status, the rollup behind
  every status count (openings list, opening page, comparison), kept by the
  application in the transaction of every change; filled here from the candidates
  already stored.
- training_attempts (user, status, completed, id): the home page's unfinished attempts
  and last few completed ones, without sorting all of a person's attempts.
- hiring_candidates (opening, fully rated, submitted, id): the rating queue walks the
  hand-ins not yet fully rated, oldest first, to find the answers waiting for raters.

Revision ID: e5a1c3b7d920
Revises: c91d2e7a4f10
Create Date: 2026-11-28 14:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c3b7d920'
down_revision = 'c91d2e7a4f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hiring_status_counts',
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('new', 'invited', 'started', 'submitted', 'scored', 'shortlisted', 'rejected', 'hired', name='candidatestatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opening_id'], ['hiring_openings.id'], name=op.f('fk_hiring_status_counts_opening_id_hiring_openings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opening_id', 'status', name=op.f('pk_hiring_status_counts'))
    )
    op.execute(
        "INSERT INTO hiring_status_counts (opening_id, status, candidates) "
        "SELECT opening_id, status, count(*) FROM hiring_candidates "
        "GROUP BY opening_id, status"
    )
    with op.batch_alter_table('training_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_training_attempts_user_status_completed', ['user_id', 'status', 'completed_at', 'id'], unique=False)

    with op.batch_alter_table('hiring_candidates', schema=None) as batch_op:
        batch_op.create_index('ix_hiring_candidates_waiting', ['opening_id', 'fully_rated', 'submitted_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('hiring_candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_hiring_candidates_waiting')

    with op.batch_alter_table('training_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_training_attempts_user_status_completed')

    op.drop_table('hiring_status_counts')
