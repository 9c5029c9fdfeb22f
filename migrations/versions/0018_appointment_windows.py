"""Appointment windows set up by a tenant's administrator; bookings kept after cancellation and handled at the window

``portal_appointment_windows``: a window that takes appointments (items it serves, daily times, places per slot,
working days ahead), from which slots are opened day by day. A booking now stays on file when cancelled and is
marked attended or absent at the window (``handled_at``, ``handled_by``): one person holds one *active* booking
per slot (a partial unique index in place of the unique key over every booking).

Revision ID: 0018_appointment_windows
Revises: 0017_lean_case_indexes
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

revision = '0018_appointment_windows'
down_revision = '0017_lean_case_indexes'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'booked'")


def upgrade() -> None:
    op.create_table('portal_appointment_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('times', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_appointment_windows')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_portal_appointment_windows_tenant_id_name'))
    )
    with op.batch_alter_table('portal_appointment_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_appointment_windows_tenant_id'), ['tenant_id'], unique=False)
    rls.protect('portal_appointment_windows')
    with op.batch_alter_table('portal_appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handled_by', sa.String(length=80), nullable=True))
        batch_op.drop_constraint('uq_portal_appointments_slot_id_applicant_subject', type_='unique')
    op.create_index('uq_portal_appointments_active', 'portal_appointments', ['slot_id', 'applicant_subject'],
                    unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def downgrade() -> None:
    op.drop_index('uq_portal_appointments_active', table_name='portal_appointments')
    op.execute("DELETE FROM portal_appointments WHERE status <> 'booked'")
    with op.batch_alter_table('portal_appointments', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_portal_appointments_slot_id_applicant_subject',
                                          ['slot_id', 'applicant_subject'])
        batch_op.drop_column('handled_by')
        batch_op.drop_column('handled_at')
    rls.unprotect('portal_appointment_windows')
    with op.batch_alter_table('portal_appointment_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_appointment_windows_tenant_id'))
    op.drop_table('portal_appointment_windows')
