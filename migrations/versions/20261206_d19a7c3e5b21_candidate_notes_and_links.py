"""hiring: notes and decision reasons on candidates, links shown again

- hiring_candidate_notes: notes on a candidate by recruiters and admins (author, when,
  text); a note with a decision holds the reason given for that shortlist, reject or
  hire. Deleted with the candidate; kept without the author when their account goes.
- hiring_candidates.decision_reason: the reason for the current decision (empty for
  decisions taken before).
- hiring_invitations.sealed_link: a link shown to a recruiter to send, sealed with a key
  derived from SECRET_KEY, so the page can show it again until it is replaced (empty
  for links issued before: those were shown once).

Revision ID: d19a7c3e5b21
Revises: e5b1c0a7d93f
Create Date: 2026-12-06 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import coachkit.database


# revision identifiers, used by Alembic.
revision = 'd19a7c3e5b21'
down_revision = 'e5b1c0a7d93f'
branch_labels = None
depends_on = None


# Plain ALTER TABLE for the new columns, not batch mode: SQLite adds (and, from 3.35,
# drops) a column in place, and recreating hiring_candidates would lose its expression
# index (ix_hiring_candidates_comparison).


def upgrade():
    op.create_table(
        'hiring_candidate_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column(
            'decision',
            sa.Enum(
                'new', 'invited', 'started', 'submitted', 'scored', 'shortlisted', 'rejected',
                'hired', name='candidatestatus', native_enum=False, length=20,
                create_constraint=False,
            ),
            nullable=True,
        ),
        sa.Column('created_at', coachkit.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'],
            name=op.f('fk_hiring_candidate_notes_author_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['candidate_id'], ['hiring_candidates.id'],
            name=op.f('fk_hiring_candidate_notes_candidate_id_hiring_candidates'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hiring_candidate_notes')),
    )
    with op.batch_alter_table('hiring_candidate_notes', schema=None) as batch_op:
        batch_op.create_index(
            'ix_hiring_candidate_notes_candidate', ['candidate_id', 'created_at'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_hiring_candidate_notes_author_id'), ['author_id'], unique=False
        )
    op.add_column('hiring_candidates', sa.Column('decision_reason', sa.Text(), nullable=True))
    op.add_column('hiring_invitations', sa.Column('sealed_link', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('hiring_invitations', 'sealed_link')
    op.drop_column('hiring_candidates', 'decision_reason')
    with op.batch_alter_table('hiring_candidate_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hiring_candidate_notes_author_id'))
        batch_op.drop_index('ix_hiring_candidate_notes_candidate')
    op.drop_table('hiring_candidate_notes')
