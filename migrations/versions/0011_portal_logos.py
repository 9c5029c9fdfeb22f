"""Portal logos: a tenant's uploaded logo, re-encoded PNG bytes in the database, inherited by its subtree

``portal_logos`` holds one row per tenant (``tenant_id`` unique), protected like ``portal_themes``: visible
to the tenant and every tenant below it, written only by its own tenant.

Revision ID: 0011_portal_logos
Revises: 0010_single_sign_out
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

revision = '0011_portal_logos'
down_revision = '0010_single_sign_out'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portal_logos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_logos')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_portal_logos_tenant_id'))
    )
    with op.batch_alter_table('portal_logos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_logos_tenant_id'), ['tenant_id'], unique=False)
    rls.protect_inherited('portal_logos')


def downgrade() -> None:
    rls.unprotect_inherited('portal_logos')
    with op.batch_alter_table('portal_logos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_logos_tenant_id'))
    op.drop_table('portal_logos')
