"""coaching drafts

coaching_drafts: a new-session form as its author left it ("Save draft", or the form's
autosave), one per author and employee, as the form's field names with their values.
Only its author reads it; saving the session deletes it. Deleting either user deletes
the draft. employee_id is indexed for that delete (the unique key leads with author_id).

Revision ID: 7a3d9cab84b7
Revises: ac83a4ed858c
Create Date: 2026-12-06 05:49:52.591637

"""

import sqlalchemy as sa
from alembic import op

import coachkit.database

# revision identifiers, used by Alembic.
revision = "7a3d9cab84b7"
down_revision = "ac83a4ed858c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coaching_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_at", coachkit.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_coaching_drafts_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["users.id"],
            name=op.f("fk_coaching_drafts_employee_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_drafts")),
        sa.UniqueConstraint(
            "author_id", "employee_id", name=op.f("uq_coaching_drafts_author_id_employee_id")
        ),
    )
    op.create_index(
        op.f("ix_coaching_drafts_employee_id"), "coaching_drafts", ["employee_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_coaching_drafts_employee_id"), table_name="coaching_drafts")
    op.drop_table("coaching_drafts")
