"""calibration rounds

calibration_rounds: a completed practice attempt (SET NULL when it is deleted, so the
managers' ratings stay) rated on its skills by several managers; calibration_seats: who
rates it and when they handed in; calibration_ratings: one 1-5 rating per seat and skill.

coaching_ratings.coach_id: the session's coach copied onto each rating (SET NULL with the
coach's account), filled from the sessions; coaching_coach_skill_totals: each coach's
ratings per skill (count, sum, sum of squares), the rollup a coach's lean is read from,
counted from the ratings here and kept by coaching.models.COACH_SKILL_TOTALS after.

Revision ID: 599119f97152
Revises: d19a7c3e5b21
Create Date: 2026-12-06 07:09:28.847810

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = '599119f97152'
down_revision = 'd19a7c3e5b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coaching_coach_skill_totals',
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=60), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('squares', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_coaching_coach_skill_totals_coach_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('coach_id', 'skill', name=op.f('pk_coaching_coach_skill_totals'))
    )
    with op.batch_alter_table('coaching_ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coach_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_coaching_ratings_coach_id'), ['coach_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_coaching_ratings_coach_id_users'), 'users', ['coach_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE coaching_ratings SET coach_id = (SELECT coaching_sessions.coach_id "
        "FROM coaching_sessions WHERE coaching_sessions.id = coaching_ratings.session_id)"
    )
    op.execute(
        "INSERT INTO coaching_coach_skill_totals (coach_id, skill, ratings, total, squares) "
        "SELECT coach_id, skill, count(*), sum(rating), sum(rating * rating) "
        "FROM coaching_ratings WHERE coach_id IS NOT NULL GROUP BY coach_id, skill"
    )

    op.create_table('calibration_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('module_slug', sa.String(length=120), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['training_attempts.id'], name=op.f('fk_calibration_rounds_attempt_id_training_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calibration_rounds_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_rounds'))
    )
    with op.batch_alter_table('calibration_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_rounds_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calibration_rounds_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('calibration_seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', coachkit.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['calibration_rounds.id'], name=op.f('fk_calibration_seats_round_id_calibration_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calibration_seats_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_seats')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_calibration_seats_round_id_user_id'))
    )
    with op.batch_alter_table('calibration_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_seats_user_id'), ['user_id'], unique=False)

    op.create_table('calibration_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=60), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['seat_id'], ['calibration_seats.id'], name=op.f('fk_calibration_ratings_seat_id_calibration_seats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_ratings')),
    sa.UniqueConstraint('seat_id', 'skill', name=op.f('uq_calibration_ratings_seat_id_skill'))
    )


def downgrade():
    op.drop_table('calibration_ratings')
    with op.batch_alter_table('calibration_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_seats_user_id'))

    op.drop_table('calibration_seats')
    with op.batch_alter_table('calibration_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_rounds_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_calibration_rounds_attempt_id'))

    op.drop_table('calibration_rounds')
    with op.batch_alter_table('coaching_ratings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_coaching_ratings_coach_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_coaching_ratings_coach_id'))
        batch_op.drop_column('coach_id')

    op.drop_table('coaching_coach_skill_totals')
