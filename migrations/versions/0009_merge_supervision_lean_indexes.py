"""One head again; the supervision tick's tables lose their single-column tenant_id indexes

The branches that grew side by side (identity, supervision, portal, case gaps, construction) are joined here.
The tables the supervision tick writes a thousand rows at a time lose their single-column ``tenant_id``
indexes, which only cost writes: timers are searched by ``(state, fire_at)`` and case, alerts by their
``(tenant_id, state, raised_at)`` index, events by subject, and both rollups by their unique keys, which
lead with ``tenant_id``. The tick now deletes the timers it claims (their alerts are the record), so the
timers table holds what is still to come; the fired timers kept so far are deleted. The index of due timers
keeps armed timers only and the index of 督办 deadlines only alerts under 督办. On PostgreSQL the rollup
tables, counters updated in place, leave 30 % of each page free so that an update needs no new index entry.

Revision ID: 0009_merge_lean_indexes
Revises: 0002_identity, 0004_supervision, 0005_portal, 0007_case_gaps_at_intake, 0008_construction_admin,
         0008_construction_cases
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_merge_lean_indexes'
down_revision = ('0002_identity', '0004_supervision', '0005_portal', '0007_case_gaps_at_intake',
                 '0008_construction_admin', '0008_construction_cases')
branch_labels = None
depends_on = None

LEAN = ("supervision_timers", "supervision_alerts", "supervision_events", "supervision_rollups",
        "supervision_rollups_tenant")


ROLLUPS = ("supervision_rollups", "supervision_rollups_tenant")
ARMED = "state = 'armed'"
SUPERVISED = "state = 'under_supervision'"


def upgrade() -> None:
    for table in LEAN:
        op.drop_index(f"ix_{table}_tenant_id", table_name=table)
    op.execute("DELETE FROM supervision_timers WHERE state <> 'armed'")  # a claimed timer is now deleted
    op.drop_index("ix_supervision_timers_due", table_name="supervision_timers")
    op.create_index("ix_supervision_timers_armed", "supervision_timers", ["fire_at"],
                    postgresql_where=sa.text(ARMED), sqlite_where=sa.text(ARMED))
    op.drop_index("ix_supervision_alerts_correction_due", table_name="supervision_alerts")
    op.create_index("ix_supervision_alerts_supervised_due", "supervision_alerts", ["correction_due_at"],
                    postgresql_where=sa.text(SUPERVISED), sqlite_where=sa.text(SUPERVISED))
    if op.get_bind().dialect.name == "postgresql":
        for table in ROLLUPS:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 70)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ROLLUPS:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    op.drop_index("ix_supervision_alerts_supervised_due", table_name="supervision_alerts")
    op.create_index("ix_supervision_alerts_correction_due", "supervision_alerts", ["state", "correction_due_at"])
    op.drop_index("ix_supervision_timers_armed", table_name="supervision_timers")
    op.create_index("ix_supervision_timers_due", "supervision_timers", ["state", "fire_at"])
    for table in LEAN:
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"], unique=False)
