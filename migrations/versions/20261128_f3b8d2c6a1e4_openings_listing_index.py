"""index for the openings list's order

- hiring_openings ((closed_at IS NOT NULL), title, id): the openings list (open ones
  first, by title) reads a page of rows in index order instead of sorting them all.

Revision ID: f3b8d2c6a1e4
Revises: e5a1c3b7d920
Create Date: 2026-11-28 17:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d2c6a1e4'
down_revision = 'e5a1c3b7d920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_hiring_openings_listing',
        'hiring_openings',
        [sa.text('(closed_at IS NOT NULL)'), 'title', 'id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_hiring_openings_listing', table_name='hiring_openings')
