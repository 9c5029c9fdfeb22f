"""cases.gaps_at_intake: how many materials were missing but allowed a gap (容缺) when the case was submitted

Acceptance then looks the case's materials up only when there is a gap to check (NULL on cases submitted
before this column existed: those are looked up as before).

Revision ID: 0007_case_gaps_at_intake
Revises: 0003_approval
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_case_gaps_at_intake'
down_revision = '0003_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cases', sa.Column('gaps_at_intake', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('cases', 'gaps_at_intake')
