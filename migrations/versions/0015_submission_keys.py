"""Submission keys: a second submission of the same rendered form (or API call) leads to the first one's case

``submission_keys`` holds each one-time key once per handling tenant and applicant with the case it created,
written in the case's own unit of work; the unique constraint makes two concurrent submissions with one key
create one case. Tenant-owned (row-level security like ``case_materials``).

Revision ID: 0015_submission_keys
Revises: 0014_backchannel_logout
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

revision = '0015_submission_keys'
down_revision = '0014_backchannel_logout'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submission_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_subject', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_submission_keys_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_keys')),
    sa.UniqueConstraint('tenant_id', 'applicant_subject', 'key', name=op.f('uq_submission_keys_tenant_id_applicant_subject_key'))
    )
    with op.batch_alter_table('submission_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_keys_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_keys_tenant_id'), ['tenant_id'], unique=False)
    rls.protect('submission_keys')


def downgrade() -> None:
    rls.unprotect('submission_keys')
    with op.batch_alter_table('submission_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_keys_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_submission_keys_case_id'))
    op.drop_table('submission_keys')
