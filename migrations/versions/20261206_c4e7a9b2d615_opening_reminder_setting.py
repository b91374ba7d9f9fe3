"""openings: remind candidates before their link expires

- hiring_openings.remind_before_expiry: whether a candidate who has not started gets
  one reminder e-mail 3 days before their invite link expires; on for every opening,
  those already there included (the setting is on by default).

Revision ID: c4e7a9b2d615
Revises: b09a3a80723b
Create Date: 2026-12-06 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e7a9b2d615'
down_revision = 'b09a3a80723b'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: SQLite adds (and, from 3.35, drops) a column in
# place, and recreating hiring_openings would lose its expression index
# (ix_hiring_openings_listing).


def upgrade():
    op.add_column(
        'hiring_openings',
        sa.Column('remind_before_expiry', sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade():
    op.drop_column('hiring_openings', 'remind_before_expiry')
