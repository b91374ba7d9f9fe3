"""organisation brand and replaced links

- organisation_settings: one row with the employer's name, accent colour, privacy
  notice address, contact for candidates and logo (re-encoded PNG bytes and type), and
  a revision every save moves on (the logo and colour URLs carry it);
- hiring_replaced_links: the SHA-256 of each invite link a newer one replaced (Resend,
  the reminder's fresh link), so an old link says a newer one was sent. Deleted with
  its invitation.

Revision ID: e5b1c0a7d93f
Revises: 42c3a7b3effa
Create Date: 2026-12-06 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = 'e5b1c0a7d93f'
down_revision = '42c3a7b3effa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('accent_colour', sa.String(length=7), nullable=True),
    sa.Column('privacy_url', sa.String(length=500), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_type', sa.String(length=40), nullable=True),
    sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_settings'))
    )
    op.create_table('hiring_replaced_links',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('replaced_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['hiring_invitations.id'], name=op.f('fk_hiring_replaced_links_invitation_id_hiring_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_hiring_replaced_links'))
    )
    with op.batch_alter_table('hiring_replaced_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hiring_replaced_links_invitation_id'), ['invitation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hiring_replaced_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hiring_replaced_links_invitation_id'))

    op.drop_table('hiring_replaced_links')
    op.drop_table('organisation_settings')
