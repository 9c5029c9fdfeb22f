"""A consultation or complaint may be about one of the asker's cases (its number kept with it)

Revision ID: 0023_petitions_about_a_case
Revises: 0022_appointment_closures
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0023_petitions_about_a_case'
down_revision = '0022_appointment_closures'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.add_column(sa.Column("case_number", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("petitions") as batch:
        batch.drop_column("case_number")
