"""Logo drafts: a logo upload or removal waits in the tenant's theme draft until the theme is published

``portal_logo_drafts`` holds at most one row per tenant (``tenant_id`` unique): the checked PNG to publish, or
an empty ``sha256`` for the removal of the tenant's own logo. Unlike ``portal_logos`` (inherited by the
subtree) it is protected as tenant-owned: only its own tenant sees or writes it, so a draft never reaches a
tenant below.

Revision ID: 0013_logo_drafts
Revises: 0012_inherited_owner_deletes
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

revision = '0013_logo_drafts'
down_revision = '0012_inherited_owner_deletes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portal_logo_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_logo_drafts')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_portal_logo_drafts_tenant_id'))
    )
    with op.batch_alter_table('portal_logo_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_logo_drafts_tenant_id'), ['tenant_id'], unique=False)
    rls.protect('portal_logo_drafts')


def downgrade() -> None:
    rls.unprotect('portal_logo_drafts')
    with op.batch_alter_table('portal_logo_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_logo_drafts_tenant_id'))
    op.drop_table('portal_logo_drafts')
