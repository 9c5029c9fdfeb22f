"""construction projects: stage templates and the negative list (province configuration, inherited by
every tenant below), projects, their stages, item cases, materials, commitments, regional assessments

Revision ID: 0007_construction
Revises: 0006_sharing
Create Date: 2026-11-26 14:47:42.183461
"""
from alembic import op

from tongban.migrations import rls
import sqlalchemy as sa


revision = '0007_construction'
down_revision = '0006_sharing'
branch_labels = None
depends_on = None

INHERITED = ('construction_stage_templates', 'construction_negative_list')
OWNED = ('construction_projects', 'construction_stages', 'construction_item_cases', 'construction_materials',
         'construction_commitments', 'construction_regional_assessments')


def upgrade() -> None:
    op.create_table('construction_negative_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('extra_item_code', sa.String(length=60), nullable=True),
    sa.Column('extra_department', sa.String(length=60), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_negative_list')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_construction_negative_list_tenant_id_code'))
    )
    with op.batch_alter_table('construction_negative_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_negative_list_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_negative_list_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('investor_subject', sa.String(length=80), nullable=False),
    sa.Column('investor_uscc', sa.String(length=18), nullable=False),
    sa.Column('investor_name', sa.String(length=200), nullable=False),
    sa.Column('investor_contact', sa.JSON(), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.Column('investment_wan_yuan', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('land_area_m2', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('industry', sa.String(length=40), nullable=False),
    sa.Column('project_type', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('extra_items', sa.JSON(), nullable=False),
    sa.Column('refusal', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_construction_projects_code'))
    )
    with op.batch_alter_table('construction_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_projects_investor_subject'), ['investor_subject'], unique=False)
        batch_op.create_index('ix_construction_projects_state', ['tenant_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_projects_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_regional_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('material_ids', sa.JSON(), nullable=False),
    sa.Column('report_ref', sa.String(length=100), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_regional_assessments'))
    )
    with op.batch_alter_table('construction_regional_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_construction_regional_area', ['tenant_id', 'area'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_regional_assessments_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_stage_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('lead_department', sa.String(length=60), nullable=False),
    sa.Column('limit_days', sa.Integer(), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('commitment_items', sa.JSON(), nullable=False),
    sa.Column('rongque_materials', sa.JSON(), nullable=False),
    sa.Column('rongque_days', sa.Integer(), nullable=False),
    sa.Column('project_types', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_stage_templates')),
    sa.UniqueConstraint('tenant_id', 'stage', name=op.f('uq_construction_stage_templates_tenant_id_stage'))
    )
    with op.batch_alter_table('construction_stage_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_stage_templates_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=40), nullable=False),
    sa.Column('lead_department', sa.String(length=60), nullable=False),
    sa.Column('limit_days', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('form_data', sa.JSON(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by', sa.String(length=80), nullable=True),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('appointment_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.String(length=12), nullable=True),
    sa.Column('notice_number', sa.String(length=60), nullable=True),
    sa.Column('notice', sa.JSON(), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['construction_projects.id'], name=op.f('fk_construction_stages_project_id_construction_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_stages')),
    sa.UniqueConstraint('project_id', 'stage', name=op.f('uq_construction_stages_project_id_stage'))
    )
    with op.batch_alter_table('construction_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_stages_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_stages_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_item_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=True),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=14), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('legal_limit_days', sa.Integer(), nullable=False),
    sa.Column('promised_limit_days', sa.Integer(), nullable=False),
    sa.Column('waits_on', sa.JSON(), nullable=False),
    sa.Column('power_ref', sa.String(length=60), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['construction_projects.id'], name=op.f('fk_construction_item_cases_project_id_construction_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['construction_stages.id'], name=op.f('fk_construction_item_cases_stage_id_construction_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_item_cases'))
    )
    with op.batch_alter_table('construction_item_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_item_cases_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_item_cases_stage_id'), ['stage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_item_cases_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_construction_items_open', ['tenant_id', 'department', 'state'], unique=False)

    op.create_table('construction_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('supply_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfied_by', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['construction_stages.id'], name=op.f('fk_construction_materials_stage_id_construction_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_materials')),
    sa.UniqueConstraint('stage_id', 'material_id', name=op.f('uq_construction_materials_stage_id_material_id'))
    )
    with op.batch_alter_table('construction_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_materials_stage_id'), ['stage_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_materials_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('construction_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_case_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('signed_by', sa.String(length=80), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inspection_state', sa.String(length=12), nullable=False),
    sa.Column('inspect_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inspection_note', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['item_case_id'], ['construction_item_cases.id'], name=op.f('fk_construction_commitments_item_case_id_construction_item_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_commitments'))
    )
    with op.batch_alter_table('construction_commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_construction_commitments_item_case_id'), ['item_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_construction_commitments_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_construction_inspection_queue', ['tenant_id', 'inspection_state', 'inspect_by'], unique=False)

    for table in INHERITED:
        rls.protect_inherited(table)
    for table in OWNED:
        rls.protect(table)


def downgrade() -> None:
    for table in OWNED:
        rls.unprotect(table)
    for table in INHERITED:
        rls.unprotect_inherited(table)
    with op.batch_alter_table('construction_commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_construction_inspection_queue')
        batch_op.drop_index(batch_op.f('ix_construction_commitments_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_construction_commitments_item_case_id'))

    op.drop_table('construction_commitments')
    with op.batch_alter_table('construction_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_materials_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_construction_materials_stage_id'))

    op.drop_table('construction_materials')
    with op.batch_alter_table('construction_item_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_construction_items_open')
        batch_op.drop_index(batch_op.f('ix_construction_item_cases_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_construction_item_cases_stage_id'))
        batch_op.drop_index(batch_op.f('ix_construction_item_cases_project_id'))

    op.drop_table('construction_item_cases')
    with op.batch_alter_table('construction_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_stages_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_construction_stages_project_id'))

    op.drop_table('construction_stages')
    with op.batch_alter_table('construction_stage_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_stage_templates_tenant_id'))

    op.drop_table('construction_stage_templates')
    with op.batch_alter_table('construction_regional_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_regional_assessments_tenant_id'))
        batch_op.drop_index('ix_construction_regional_area')

    op.drop_table('construction_regional_assessments')
    with op.batch_alter_table('construction_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_projects_tenant_id'))
        batch_op.drop_index('ix_construction_projects_state')
        batch_op.drop_index(batch_op.f('ix_construction_projects_investor_subject'))

    op.drop_table('construction_projects')
    with op.batch_alter_table('construction_negative_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_negative_list_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_construction_negative_list_industry'))

    op.drop_table('construction_negative_list')
