"""Rows a tenant inherits from above can no longer be deleted by it (PostgreSQL row-level security)

The ``tenant_inherited`` policy lets every tenant below the owner see the row (USING) and write only its own
(WITH CHECK) — but a DELETE has no WITH CHECK, so a township could delete its county's catalogue overrides,
theme or logo with raw SQL. Each such table gets a restrictive ``owner_deletes`` policy: a delete must also
pass the owner test. (``rls.protect_inherited`` adds it to tables protected from now on; the ORM refuses such
deletes on both databases.) The downgrade keeps the policies: it never reopens the hole.

Revision ID: 0012_inherited_owner_deletes
Revises: 0011_portal_logos
Create Date: 2026-11-26
"""
from alembic import op

from tongban.migrations import rls

revision = '0012_inherited_owner_deletes'
down_revision = '0011_portal_logos'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not rls.is_postgres():
        return
    tables = [row[0] for row in op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_policies WHERE policyname = 'tenant_inherited' ORDER BY tablename")]
    for table in tables:
        rls.restrict_deletes_to_owner(table)


def downgrade() -> None:
    pass
