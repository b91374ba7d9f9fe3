"""what a coaching session reviewed

coaching_sessions.review_reference (the ticket number or call id), review_link (an
http/https address, checked by the form) and review_excerpt (part of the conversation).
Existing sessions get empty strings: they recorded no reference. Whether the employee
sees them is the private_fields entry "reviewed", so no column is needed for that.

Revision ID: ac83a4ed858c
Revises: c4e7a9b2d615
Create Date: 2026-12-06 05:36:46.642994

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ac83a4ed858c"
down_revision = "c4e7a9b2d615"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_reference", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("review_link", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("review_excerpt", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.drop_column("review_excerpt")
        batch_op.drop_column("review_link")
        batch_op.drop_column("review_reference")
