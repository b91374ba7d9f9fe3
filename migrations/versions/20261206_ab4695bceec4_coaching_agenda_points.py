"""coaching agenda points

coaching_agenda_points: talking points for someone's next 1:1, added by them or a
coach, private or shared; open (discussed_in_id NULL) until a session marks them
discussed. Indexed for the open points of a person, and for the deletes that cascade
from a user or set NULL from a session.

Revision ID: ab4695bceec4
Revises: 7a3d9cab84b7
Create Date: 2026-12-06 06:02:44.481483

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = 'ab4695bceec4'
down_revision = '7a3d9cab84b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coaching_agenda_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('discussed_in_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_coaching_agenda_points_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['discussed_in_id'], ['coaching_sessions.id'], name=op.f('fk_coaching_agenda_points_discussed_in_id_coaching_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['users.id'], name=op.f('fk_coaching_agenda_points_employee_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_agenda_points'))
    )
    with op.batch_alter_table('coaching_agenda_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_agenda_points_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_agenda_points_discussed_in_id'), ['discussed_in_id'], unique=False)
        batch_op.create_index('ix_coaching_agenda_points_employee_id_open', ['employee_id', 'discussed_in_id'], unique=False)



def downgrade():
    with op.batch_alter_table('coaching_agenda_points', schema=None) as batch_op:
        batch_op.drop_index('ix_coaching_agenda_points_employee_id_open')
        batch_op.drop_index(batch_op.f('ix_coaching_agenda_points_discussed_in_id'))
        batch_op.drop_index(batch_op.f('ix_coaching_agenda_points_author_id'))

    op.drop_table('coaching_agenda_points')
