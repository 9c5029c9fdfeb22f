"""construction admin: negative list versions (draft, published, superseded) and the validity of a
regional assessment

Revision ID: 0008_construction_admin
Revises: 0007_construction
Create Date: 2026-11-26 15:45:00
"""
from alembic import op

from tongban.migrations import rls
import sqlalchemy as sa


revision = '0008_construction_admin'
down_revision = '0007_construction'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('construction_negative_list_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('edited_by', sa.String(length=120), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=120), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_negative_list_versions')),
    sa.UniqueConstraint('tenant_id', 'version_no', name=op.f('uq_construction_negative_list_versions_tenant_id_version_no'))
    )
    with op.batch_alter_table('construction_negative_list_versions', schema=None) as batch_op:
        batch_op.create_index('ix_construction_negative_versions_state', ['tenant_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_negative_list_versions_tenant_id'), ['tenant_id'], unique=False)
    with op.batch_alter_table('construction_regional_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
    rls.protect_inherited('construction_negative_list_versions')


def downgrade() -> None:
    rls.unprotect_inherited('construction_negative_list_versions')
    with op.batch_alter_table('construction_regional_assessments', schema=None) as batch_op:
        batch_op.drop_column('valid_until')
    with op.batch_alter_table('construction_negative_list_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_negative_list_versions_tenant_id'))
        batch_op.drop_index('ix_construction_negative_versions_state')
    op.drop_table('construction_negative_list_versions')
