"""notifications and the outbox

- notifications: in-app notifications, one per recipient, newest first per person
  (ix_notifications_recipient_id_id), and those waiting for the daily digest;
- notification_outbox: e-mails written in the transaction of the change that causes
  them, sent by the worker (state, attempts, next attempt, claim time, Message-ID);
- notification_preferences, notification_defaults: how each kind reaches a person
  (their choice, else the organisation's default, else e-mailed singly);
- notification_suppressions: kinds an address without an account unsubscribed from
  (kept as the address's SHA-256 digest);
- notification_occasions: keys of notifications made once only (reminder scans);
- users.unread_notifications: the header's count, kept with each notification; 0 for
  everyone here, as nobody has a notification yet.

Revision ID: 702f470f1edd
Revises: a7c4e9d13b52
Create Date: 2026-12-06 04:16:11.471020

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = '702f470f1edd'
down_revision = 'a7c4e9d13b52'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_defaults',
    sa.Column('kind', sa.Enum('module_assigned', 'module_due_soon', 'module_overdue', 'session_shared', 'session_edited', 'session_acknowledged', 'action_assigned', 'action_due_soon', 'action_overdue', 'next_session_due', 'answers_waiting', 'candidates_handed_in', 'candidate_invite', 'candidate_invite_resent', 'candidate_reminder', 'password_link', 'digest', name='kind', native_enum=False, length=40), nullable=False),
    sa.Column('delivery', sa.Enum('email', 'digest', 'off', name='delivery', native_enum=False, length=20), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_notification_defaults'))
    )
    op.create_table('notification_occasions',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_notification_occasions'))
    )
    op.create_table('notification_suppressions',
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('module_assigned', 'module_due_soon', 'module_overdue', 'session_shared', 'session_edited', 'session_acknowledged', 'action_assigned', 'action_due_soon', 'action_overdue', 'next_session_due', 'answers_waiting', 'candidates_handed_in', 'candidate_invite', 'candidate_invite_resent', 'candidate_reminder', 'password_link', 'digest', name='kind', native_enum=False, length=40), nullable=False),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('address_hash', 'kind', name=op.f('pk_notification_suppressions'))
    )
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('module_assigned', 'module_due_soon', 'module_overdue', 'session_shared', 'session_edited', 'session_acknowledged', 'action_assigned', 'action_due_soon', 'action_overdue', 'next_session_due', 'answers_waiting', 'candidates_handed_in', 'candidate_invite', 'candidate_invite_resent', 'candidate_reminder', 'password_link', 'digest', name='kind', native_enum=False, length=40), nullable=False),
    sa.Column('delivery', sa.Enum('email', 'digest', 'off', name='delivery', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('module_assigned', 'module_due_soon', 'module_overdue', 'session_shared', 'session_edited', 'session_acknowledged', 'action_assigned', 'action_due_soon', 'action_overdue', 'next_session_due', 'answers_waiting', 'candidates_handed_in', 'candidate_invite', 'candidate_invite_resent', 'candidate_reminder', 'password_link', 'digest', name='kind', native_enum=False, length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('digest_pending', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_digest_pending_recipient_id', ['digest_pending', 'recipient_id'], unique=False)
        batch_op.create_index('ix_notifications_recipient_id_id', ['recipient_id', 'id'], unique=False)

    op.create_table('notification_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('module_assigned', 'module_due_soon', 'module_overdue', 'session_shared', 'session_edited', 'session_acknowledged', 'action_assigned', 'action_due_soon', 'action_overdue', 'next_session_due', 'answers_waiting', 'candidates_handed_in', 'candidate_invite', 'candidate_invite_resent', 'candidate_reminder', 'password_link', 'digest', name='kind', native_enum=False, length=40), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'sending', 'sent', 'failed', name='outboxstate', native_enum=False, length=20), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('batch', sa.String(length=36), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('secret_link', sa.String(length=500), nullable=True),
    sa.Column('ical', sa.LargeBinary(), nullable=True),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_outbox_notification_id_notifications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notification_outbox_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_outbox')),
    sa.UniqueConstraint('message_id', name=op.f('uq_notification_outbox_message_id'))
    )
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_outbox_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_outbox_notification_id'), ['notification_id'], unique=False)
        batch_op.create_index('ix_notification_outbox_object_type_object_id', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_outbox_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index('ix_notification_outbox_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unread_notifications', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('unread_notifications')

    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_outbox_state_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_notification_outbox_recipient_id'))
        batch_op.drop_index('ix_notification_outbox_object_type_object_id')
        batch_op.drop_index(batch_op.f('ix_notification_outbox_notification_id'))
        batch_op.drop_index(batch_op.f('ix_notification_outbox_batch'))

    op.drop_table('notification_outbox')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_id_id')
        batch_op.drop_index('ix_notifications_digest_pending_recipient_id')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
    op.drop_table('notification_suppressions')
    op.drop_table('notification_occasions')
    op.drop_table('notification_defaults')
