"""Days a hall or one of its windows takes no appointments (台风、停电、集中培训)

Revision ID: 0022_appointment_closures
Revises: 0021_appointment_reminders
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from tongban.migrations import rls

revision = '0022_appointment_closures'
down_revision = '0021_appointment_reminders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portal_appointment_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('window_name', sa.String(length=50), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.Column('closed_by', sa.String(length=80), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_appointment_closures')),
    sa.UniqueConstraint('tenant_id', 'day', 'window_name',
                        name=op.f('uq_portal_appointment_closures_tenant_id_day_window_name'))
    )
    with op.batch_alter_table('portal_appointment_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_appointment_closures_tenant_id'), ['tenant_id'], unique=False)
    rls.protect('portal_appointment_closures')


def downgrade() -> None:
    rls.unprotect('portal_appointment_closures')
    with op.batch_alter_table('portal_appointment_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_appointment_closures_tenant_id'))
    op.drop_table('portal_appointment_closures')
