"""foundation: tenants, notices, jobs

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

from tongban.migrations import rls

TENANT_OWNED = ("notices", "subtree_access_log")


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('worker', sa.String(length=80), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_job_runs'))
    )
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_notices_tenant_published', ['tenant_id', 'published_at'], unique=False)

    op.create_table('subtree_access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('subtree_code', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subtree_access_log'))
    )
    with op.batch_alter_table('subtree_access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subtree_access_log_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('tenant_directory_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_directory_version'))
    )
    op.create_table('tenants',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('path', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['tenants.code'], name=op.f('fk_tenants_parent_code_tenants')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_tenants')),
    sa.UniqueConstraint('path', name=op.f('uq_tenants_path')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug'))
    )
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.create_index('ix_tenants_level', ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenants_parent_code'), ['parent_code'], unique=False)

    op.create_table('tenant_hosts',
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['tenant_code'], ['tenants.code'], name=op.f('fk_tenant_hosts_tenant_code_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_tenant_hosts'))
    )
    with op.batch_alter_table('tenant_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenant_hosts_tenant_code'), ['tenant_code'], unique=False)
    rls.create_visibility_function()
    for table in TENANT_OWNED:
        rls.protect(table)


def downgrade() -> None:
    for table in TENANT_OWNED:
        rls.unprotect(table)
    rls.drop_visibility_function()
    with op.batch_alter_table('tenant_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenant_hosts_tenant_code'))

    op.drop_table('tenant_hosts')
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenants_parent_code'))
        batch_op.drop_index('ix_tenants_level')

    op.drop_table('tenants')
    op.drop_table('tenant_directory_version')
    with op.batch_alter_table('subtree_access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subtree_access_log_tenant_id'))

    op.drop_table('subtree_access_log')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_tenant_published')
        batch_op.drop_index(batch_op.f('ix_notices_tenant_id'))

    op.drop_table('notices')
    op.drop_table('job_runs')
