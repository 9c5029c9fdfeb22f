"""information resource sharing center: license types, issuer keys, licenses, department clients, the access
log, shared base data (enterprises, persons, qualifications, projects), the data dictionary, function groups
and item chains

Provincial tables: the library is read across tenants (by holders, at intake, by departments with a purpose
and a case), so the sharing services guard them; ``issuer_tenant`` records who issued a license.

Revision ID: 0006_sharing
Revises: 0003_approval
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_sharing'
down_revision = '0003_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sharing_access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('holder_id', sa.String(length=18), nullable=False),
    sa.Column('license_number', sa.String(length=80), nullable=True),
    sa.Column('record', sa.String(length=80), nullable=False),
    sa.Column('accessor', sa.String(length=80), nullable=False),
    sa.Column('accessor_name', sa.String(length=200), nullable=False),
    sa.Column('accessor_tenant', sa.String(length=12), nullable=True),
    sa.Column('accessor_department', sa.String(length=100), nullable=True),
    sa.Column('case_ref', sa.String(length=40), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_access_log'))
    )
    with op.batch_alter_table('sharing_access_log', schema=None) as batch_op:
        batch_op.create_index('ix_sharing_access_log_accessor', ['accessor', 'at'], unique=False)
        batch_op.create_index('ix_sharing_access_log_holder', ['holder_id', 'at'], unique=False)

    op.create_table('sharing_clients',
    sa.Column('client_id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('may_issue', sa.JSON(), nullable=False),
    sa.Column('may_read', sa.JSON(), nullable=False),
    sa.Column('rate_per_minute', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_sharing_clients'))
    )
    op.create_table('sharing_data_elements',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('field_names', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sharing_data_elements'))
    )
    op.create_table('sharing_enterprises',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('registered_capital', sa.String(length=30), nullable=False),
    sa.Column('business_scope', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('established_on', sa.Date(), nullable=True),
    sa.Column('subject', sa.String(length=80), nullable=True),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uscc', name=op.f('pk_sharing_enterprises'))
    )
    with op.batch_alter_table('sharing_enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_enterprises_subject'), ['subject'], unique=False)

    op.create_table('sharing_function_groups',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('element_codes', sa.JSON(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sharing_function_groups'))
    )
    op.create_table('sharing_item_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('before_item', sa.String(length=60), nullable=False),
    sa.Column('after_item', sa.String(length=60), nullable=False),
    sa.Column('requirement', sa.String(length=12), nullable=False),
    sa.Column('license_type', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_item_relations')),
    sa.UniqueConstraint('before_item', 'after_item', name=op.f('uq_sharing_item_relations_before_item_after_item'))
    )
    with op.batch_alter_table('sharing_item_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_item_relations_after_item'), ['after_item'], unique=False)
        batch_op.create_index('ix_sharing_item_relations_before', ['before_item'], unique=False)

    op.create_table('sharing_license_types',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('holder_kind', sa.String(length=12), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('template', sa.JSON(), nullable=False),
    sa.Column('validity_years', sa.Integer(), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sharing_license_types'))
    )
    op.create_table('sharing_licenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('type_code', sa.String(length=60), nullable=False),
    sa.Column('holder_kind', sa.String(length=12), nullable=False),
    sa.Column('holder_id', sa.String(length=18), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('holder_subject', sa.String(length=80), nullable=True),
    sa.Column('issuer_tenant', sa.String(length=12), nullable=False),
    sa.Column('issuer_department', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('signature', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_licenses')),
    sa.UniqueConstraint('number', name=op.f('uq_sharing_licenses_number'))
    )
    with op.batch_alter_table('sharing_licenses', schema=None) as batch_op:
        batch_op.create_index('ix_sharing_licenses_holder', ['holder_id', 'type_code', 'status'], unique=False)
        batch_op.create_index('ix_sharing_licenses_subject', ['holder_subject', 'type_code'], unique=False)

    op.create_table('sharing_persons',
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=True),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id_number', name=op.f('pk_sharing_persons'))
    )
    with op.batch_alter_table('sharing_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_persons_subject'), ['subject'], unique=False)

    op.create_table('sharing_projects',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('investor_id', sa.String(length=18), nullable=False),
    sa.Column('investor_name', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('investment_wan_yuan', sa.String(length=30), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sharing_projects'))
    )
    with op.batch_alter_table('sharing_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_projects_investor_id'), ['investor_id'], unique=False)

    op.create_table('sharing_qualifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.String(length=18), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_qualifications')),
    sa.UniqueConstraint('holder_id', 'number', name=op.f('uq_sharing_qualifications_holder_id_number'))
    )
    with op.batch_alter_table('sharing_qualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_qualifications_holder_id'), ['holder_id'], unique=False)

    op.create_table('sharing_signing_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=40), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('sealed_private', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_sharing_signing_keys_kid'))
    )
    with op.batch_alter_table('sharing_signing_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_signing_keys_tenant_code'), ['tenant_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sharing_signing_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_signing_keys_tenant_code'))

    op.drop_table('sharing_signing_keys')
    with op.batch_alter_table('sharing_qualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_qualifications_holder_id'))

    op.drop_table('sharing_qualifications')
    with op.batch_alter_table('sharing_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_projects_investor_id'))

    op.drop_table('sharing_projects')
    with op.batch_alter_table('sharing_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_persons_subject'))

    op.drop_table('sharing_persons')
    with op.batch_alter_table('sharing_licenses', schema=None) as batch_op:
        batch_op.drop_index('ix_sharing_licenses_subject')
        batch_op.drop_index('ix_sharing_licenses_holder')

    op.drop_table('sharing_licenses')
    op.drop_table('sharing_license_types')
    with op.batch_alter_table('sharing_item_relations', schema=None) as batch_op:
        batch_op.drop_index('ix_sharing_item_relations_before')
        batch_op.drop_index(batch_op.f('ix_sharing_item_relations_after_item'))

    op.drop_table('sharing_item_relations')
    op.drop_table('sharing_function_groups')
    with op.batch_alter_table('sharing_enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharing_enterprises_subject'))

    op.drop_table('sharing_enterprises')
    op.drop_table('sharing_data_elements')
    op.drop_table('sharing_clients')
    with op.batch_alter_table('sharing_access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_sharing_access_log_holder')
        batch_op.drop_index('ix_sharing_access_log_accessor')

    op.drop_table('sharing_access_log')
