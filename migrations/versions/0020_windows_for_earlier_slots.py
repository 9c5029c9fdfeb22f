"""Appointment windows for the slots opened before windows existed

Before 0018, slots were opened by the demo seed or by hand, each naming its window; since then the portal offers
only the slots of a window a tenant's administrator set up. So that an upgraded deployment goes on taking bookings
where it did, each window named by a slot gets a window row (open, every item, the times and places its future slots
have, ten working days ahead), which its administrator can then change. Bookings already made are untouched.

Revision ID: 0020_windows_for_earlier_slots
Revises: 0019_visit_ratings_per_tenant
Create Date: 2026-11-27
"""
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0020_windows_for_earlier_slots'
down_revision = '0019_visit_ratings_per_tenant'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    slots = bind.execute(sa.text(
        "SELECT s.tenant_id, s.window_name, s.start_time, s.end_time, MAX(s.capacity) FROM portal_appointment_slots s "
        "WHERE NOT EXISTS (SELECT 1 FROM portal_appointment_windows w "
        "                  WHERE w.tenant_id = s.tenant_id AND w.name = s.window_name) "
        "GROUP BY s.tenant_id, s.window_name, s.start_time, s.end_time "
        "ORDER BY s.tenant_id, s.window_name, s.start_time")).all()
    windows: dict[tuple[str, str], dict] = {}
    for tenant_id, name, start, end, capacity in slots:
        window = windows.setdefault((tenant_id, name), {"times": [], "capacity": 1})
        window["times"].append([start, end])
        window["capacity"] = max(window["capacity"], capacity or 1)
    now = datetime.now(UTC)
    for (tenant_id, name), window in windows.items():
        bind.execute(sa.text(
            "INSERT INTO portal_appointment_windows (tenant_id, name, address, items, times, capacity, horizon_days, "
            "open, revision, updated_by, updated_at) VALUES (:tenant_id, :name, '', :items, :times, :capacity, 10, "
            ":open, 1, 'migration 0020', :now)"),
            {"tenant_id": tenant_id, "name": name[:50], "items": json.dumps([]), "times": json.dumps(window["times"]),
             "capacity": min(window["capacity"], 200), "open": True, "now": now})


def downgrade() -> None:
    op.execute("DELETE FROM portal_appointment_windows WHERE updated_by = 'migration 0020'")
