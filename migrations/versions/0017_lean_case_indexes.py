"""Fewer indexes on the tables every case action writes

Each case action inserts and updates rows of cases, tasks, events, materials, outbox messages and supervision's
figures, and every index of those tables is written with them. Single-column indexes that a composite index
already leads (``cases.tenant_id`` under ``(tenant_id, state)``, ``cases.received_tenant_id`` under
``(received_tenant_id, submitted_at)``, ``tasks.tenant_id`` under ``(tenant_id, state, due_at)``,
``case_materials.case_id``, ``submission_keys.tenant_id`` and ``case_counters.tenant_id`` under their unique keys)
serve no read the composite one does not; and events, materials, outbox messages and figures are read by case or
id, never by tenant alone, so their ``tenant_id`` indexes served nothing.

Revision ID: 0017_lean_case_indexes
Revises: 0016_theme_drafts_owner_only
Create Date: 2026-11-27
"""
from alembic import op

revision = '0017_lean_case_indexes'
down_revision = '0016_theme_drafts_owner_only'
branch_labels = None
depends_on = None

DROPPED = (
    ('cases', 'tenant_id'),
    ('cases', 'received_tenant_id'),
    ('tasks', 'tenant_id'),
    ('case_events', 'tenant_id'),
    ('case_materials', 'tenant_id'),
    ('case_materials', 'case_id'),
    ('submission_keys', 'tenant_id'),
    ('case_counters', 'tenant_id'),
    ('outbox', 'tenant_id'),
    ('supervision_case_facts', 'tenant_id'),
)


def upgrade() -> None:
    for table, column in DROPPED:
        op.drop_index(f'ix_{table}_{column}', table_name=table)


def downgrade() -> None:
    for table, column in DROPPED:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
