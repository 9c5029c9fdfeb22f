"""construction stage items are approval-engine cases: each item keeps its case's id

Revision ID: 0008_construction_cases
Revises: 0007_construction
Create Date: 2026-11-26 15:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_construction_cases'
down_revision = '0007_construction'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('construction_item_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_case_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_construction_item_cases_approval_case_id'), ['approval_case_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('construction_item_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_construction_item_cases_approval_case_id'))
        batch_op.drop_column('approval_case_id')
