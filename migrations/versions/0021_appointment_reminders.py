"""Appointment reminders: when a booking was reminded the day before (so each is texted once)

Revision ID: 0021_appointment_reminders
Revises: 0020_windows_for_earlier_slots
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_appointment_reminders'
down_revision = '0020_windows_for_earlier_slots'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_appointments") as batch:
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("portal_appointments") as batch:
        batch.drop_column("reminded_at")
