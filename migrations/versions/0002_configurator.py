"""configurator catalogue

Revision ID: 0002_configurator
Revises: 0001
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

from tongban.migrations import rls

OWNED = ("config_changes",)
INHERITED = ("items", "item_versions", "item_publications", "tenant_items")


revision = '0002_configurator'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('config_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_key', sa.String(length=120), nullable=False),
    sa.Column('diff', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_changes'))
    )
    with op.batch_alter_table('config_changes', schema=None) as batch_op:
        batch_op.create_index('ix_config_changes_entity', ['tenant_id', 'entity', 'entity_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_config_changes_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('latest_version_no', sa.Integer(), nullable=False),
    sa.Column('published_version_no', sa.Integer(), nullable=True),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('code', name=op.f('uq_items_code'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('catalogue_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publish_seq', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_clock'))
    )
    op.create_table('item_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('case_type', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=40), nullable=False),
    sa.Column('levels', sa.String(length=80), nullable=False),
    sa.Column('channels', sa.String(length=60), nullable=False),
    sa.Column('legal_limit_days', sa.Integer(), nullable=True),
    sa.Column('promised_limit_days', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=120), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_versions_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_versions')),
    sa.UniqueConstraint('item_id', 'version_no', name=op.f('uq_item_versions_item_id_version_no'))
    )
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_versions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('item_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('scope_code', sa.String(length=12), nullable=False),
    sa.Column('include_subtree', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('published_by', sa.String(length=120), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_publications_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['item_versions.id'], name=op.f('fk_item_publications_version_id_item_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_publications')),
    sa.UniqueConstraint('item_id', 'scope_code', 'include_subtree', name=op.f('uq_item_publications_item_id_scope_code_include_subtree'))
    )
    with op.batch_alter_table('item_publications', schema=None) as batch_op:
        batch_op.create_index('ix_item_publications_scope', ['scope_code', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_publications_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('tenant_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=True),
    sa.Column('pinned_version_id', sa.Integer(), nullable=True),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_tenant_items_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pinned_version_id'], ['item_versions.id'], name=op.f('fk_tenant_items_pinned_version_id_item_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_items')),
    sa.UniqueConstraint('tenant_id', 'item_id', name=op.f('uq_tenant_items_tenant_id_item_id'))
    )
    with op.batch_alter_table('tenant_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenant_items_tenant_id'), ['tenant_id'], unique=False)
    op.bulk_insert(sa.table("catalogue_clock", sa.column("id", sa.Integer), sa.column("publish_seq", sa.Integer),
                            sa.column("generation", sa.Integer)), [{"id": 1, "publish_seq": 0, "generation": 0}])
    rls.create_path_function()
    for table in OWNED:
        rls.protect(table)
    for table in INHERITED:
        rls.protect_inherited(table)


def downgrade() -> None:
    for table in INHERITED:
        rls.unprotect_inherited(table)
    for table in OWNED:
        rls.unprotect(table)
    rls.drop_path_function()
    with op.batch_alter_table('tenant_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenant_items_tenant_id'))

    op.drop_table('tenant_items')
    with op.batch_alter_table('item_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_publications_tenant_id'))
        batch_op.drop_index('ix_item_publications_scope')

    op.drop_table('item_publications')
    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_versions_tenant_id'))

    op.drop_table('item_versions')
    op.drop_table('catalogue_clock')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_tenant_id'))

    op.drop_table('items')
    with op.batch_alter_table('config_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_changes_tenant_id'))
        batch_op.drop_index('ix_config_changes_entity')

    op.drop_table('config_changes')
