"""content authoring

- users.is_author: may preview content files (given by admins, any role); false for
  everyone already there;
- authoring_previews: an author's draft of one module or exercise file and how far
  they have played it, kept until expires_at (a day from the last change) and deleted
  with its owner or its opening.

Revision ID: d24a7e1c9b30
Revises: 599119f97152
Create Date: 2026-12-06 07:30:00

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = 'd24a7e1c9b30'
down_revision = '599119f97152'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_author', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('authoring_previews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('module', 'exercise', name='previewkind', native_enum=False, length=20), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opening_id'], ['hiring_openings.id'], name=op.f('fk_authoring_previews_opening_id_hiring_openings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_authoring_previews_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authoring_previews'))
    )
    with op.batch_alter_table('authoring_previews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authoring_previews_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index('ix_authoring_previews_owner_id_expires_at', ['owner_id', 'expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('authoring_previews', schema=None) as batch_op:
        batch_op.drop_index('ix_authoring_previews_owner_id_expires_at')
        batch_op.drop_index(batch_op.f('ix_authoring_previews_expires_at'))

    op.drop_table('authoring_previews')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_author')
