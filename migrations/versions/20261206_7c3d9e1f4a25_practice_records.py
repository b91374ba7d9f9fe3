"""Practice records: each person's first completion of each module and their first
three results, kept from the attempts, for the training impact report.

The records are filled here from the attempts by the same code that keeps them
(`coachkit.training.practice.records`); `flask recount` rebuilds them the same way.

Revision ID: 7c3d9e1f4a25
Revises: d24a7e1c9b30
Create Date: 2026-12-06 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3d9e1f4a25'
down_revision = 'd24a7e1c9b30'
branch_labels = None
depends_on = None


def upgrade():
    records = op.create_table(
        'training_practice_records',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('module_slug', sa.String(length=120), nullable=False),
        sa.Column('first_completed_on', sa.Date(), nullable=False),
        sa.Column('result_1', sa.Integer(), nullable=True),
        sa.Column('result_2', sa.Integer(), nullable=True),
        sa.Column('result_3', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_practice_records_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'module_slug', name=op.f('pk_training_practice_records')),
    )
    with op.batch_alter_table('training_practice_records', schema=None) as batch_op:
        batch_op.create_index('ix_training_practice_records_slug_first', ['module_slug', 'first_completed_on'], unique=False)

    from coachkit.training.practice import records as practice_records

    rows = practice_records(op.get_bind())
    for start in range(0, len(rows), 5000):
        op.bulk_insert(records, rows[start:start + 5000])


def downgrade():
    with op.batch_alter_table('training_practice_records', schema=None) as batch_op:
        batch_op.drop_index('ix_training_practice_records_slug_first')
    op.drop_table('training_practice_records')
