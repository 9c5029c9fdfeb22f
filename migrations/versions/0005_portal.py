"""portal: tenant themes, drafts, uploads, appointment slots and bookings, query-code attempts

Revision ID: 0005_portal
Revises: 0003_approval
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

from tongban.migrations import rls

OWNED = ("portal_appointment_slots", "portal_appointments", "portal_drafts", "portal_theme_failures",
         "portal_uploads")
INHERITED = ("portal_themes",)

revision = '0005_portal'
down_revision = '0003_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portal_appointment_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_name', sa.String(length=100), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_appointment_slots')),
    sa.UniqueConstraint('tenant_id', 'window_name', 'day', 'start_time', name=op.f('uq_portal_appointment_slots_tenant_id_window_name_day_start_time'))
    )
    with op.batch_alter_table('portal_appointment_slots', schema=None) as batch_op:
        batch_op.create_index('ix_portal_appointment_slots_day', ['tenant_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_appointment_slots_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('portal_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_subject', sa.String(length=80), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('form_data', sa.JSON(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('licenses', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_drafts')),
    sa.UniqueConstraint('tenant_id', 'applicant_subject', 'item_code', name=op.f('uq_portal_drafts_tenant_id_applicant_subject_item_code'))
    )
    with op.batch_alter_table('portal_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_drafts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('portal_query_attempts',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_portal_query_attempts'))
    )
    op.create_table('portal_theme_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_name', sa.String(length=120), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('page_tenant', sa.String(length=12), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_theme_failures')),
    sa.UniqueConstraint('tenant_id', 'template_name', 'revision', name=op.f('uq_portal_theme_failures_tenant_id_template_name_revision'))
    )
    with op.batch_alter_table('portal_theme_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_theme_failures_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('portal_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('tokens', sa.JSON(), nullable=False),
    sa.Column('templates', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_themes')),
    sa.UniqueConstraint('tenant_id', 'status', name=op.f('uq_portal_themes_tenant_id_status'))
    )
    with op.batch_alter_table('portal_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_themes_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('portal_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('owner_subject', sa.String(length=80), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=False),
    sa.Column('purpose', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=160), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_portal_uploads_token'))
    )
    with op.batch_alter_table('portal_uploads', schema=None) as batch_op:
        batch_op.create_index('ix_portal_uploads_owner', ['tenant_id', 'owner_subject', 'item_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_uploads_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('portal_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('applicant_subject', sa.String(length=80), nullable=False),
    sa.Column('applicant_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('item_code', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['slot_id'], ['portal_appointment_slots.id'], name=op.f('fk_portal_appointments_slot_id_portal_appointment_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_appointments')),
    sa.UniqueConstraint('number', name=op.f('uq_portal_appointments_number')),
    sa.UniqueConstraint('slot_id', 'applicant_subject', name=op.f('uq_portal_appointments_slot_id_applicant_subject'))
    )
    with op.batch_alter_table('portal_appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_appointments_applicant_subject'), ['applicant_subject'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_appointments_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_appointments_tenant_id'), ['tenant_id'], unique=False)

    for table in OWNED:
        rls.protect(table)
    for table in INHERITED:
        rls.protect_inherited(table)


def downgrade() -> None:
    for table in INHERITED:
        rls.unprotect_inherited(table)
    for table in OWNED:
        rls.unprotect(table)
    with op.batch_alter_table('portal_appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_appointments_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_portal_appointments_slot_id'))
        batch_op.drop_index(batch_op.f('ix_portal_appointments_applicant_subject'))

    op.drop_table('portal_appointments')
    with op.batch_alter_table('portal_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_uploads_tenant_id'))
        batch_op.drop_index('ix_portal_uploads_owner')

    op.drop_table('portal_uploads')
    with op.batch_alter_table('portal_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_themes_tenant_id'))

    op.drop_table('portal_themes')
    with op.batch_alter_table('portal_theme_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_theme_failures_tenant_id'))

    op.drop_table('portal_theme_failures')
    op.drop_table('portal_query_attempts')
    with op.batch_alter_table('portal_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_drafts_tenant_id'))

    op.drop_table('portal_drafts')
    with op.batch_alter_table('portal_appointment_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_appointment_slots_tenant_id'))
        batch_op.drop_index('ix_portal_appointment_slots_day')

    op.drop_table('portal_appointment_slots')
