"""Row-level security for tenant-owned tables, used by migrations (PostgreSQL only; SQLite relies on the ORM).

A row is visible when its tenant is the transaction's tenant, or when the transaction opened an explicit
subtree scope and the row's tenant lies on that subtree's path. Nothing set → nothing visible.
"""
from alembic import op

# Two functions so the common case inlines: the planner inlines a scalar SQL function only when it has no
# sub-select, so the subtree look-up lives in its own function, reached only inside an explicit subtree scope.
SUBTREE_FUNCTION = """
CREATE OR REPLACE FUNCTION tongban_in_subtree(row_tenant varchar) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.subtree_path', true), '') <> ''
     AND (current_setting('app.subtree_path', true) = '/'
          OR EXISTS (SELECT 1 FROM tenants t
                     WHERE t.code = row_tenant
                       AND t.path >= current_setting('app.subtree_path', true)
                       AND t.path < current_setting('app.subtree_path', true) || '~'))
$$
"""

VISIBLE_FUNCTION = """
CREATE OR REPLACE FUNCTION tongban_tenant_visible(row_tenant varchar) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT row_tenant = current_setting('app.tenant_id', true)
      OR (current_setting('app.scope', true) = 'subtree'
          AND (current_setting('app.subtree_path', true) = '/' OR tongban_in_subtree(row_tenant)))
$$
"""


ON_MY_PATH_FUNCTION = """
CREATE OR REPLACE FUNCTION tongban_on_tenant_path(row_tenant varchar) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.tenant_path', true), '') <> ''
     AND position('/' || row_tenant || '/' in current_setting('app.tenant_path', true)) > 0
$$
"""


def is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_visibility_function() -> None:
    if is_postgres():
        op.execute(SUBTREE_FUNCTION)
        op.execute(VISIBLE_FUNCTION)


def create_path_function() -> None:
    if is_postgres():
        op.execute(ON_MY_PATH_FUNCTION)


def drop_path_function() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION IF EXISTS tongban_on_tenant_path(varchar)")


def protect_inherited(table: str) -> None:
    """Rows visible to their tenant, to every tenant below it, and to subtree scopes; written by the owner."""
    if not is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_inherited ON {table} "
        "USING (tongban_on_tenant_path(tenant_id) OR tongban_tenant_visible(tenant_id)) "
        "WITH CHECK (tongban_tenant_visible(tenant_id))"
    )
    restrict_deletes_to_owner(table)


def restrict_deletes_to_owner(table: str) -> None:
    """A DELETE has no WITH CHECK: without this restrictive policy every tenant below the owner, which sees the row
    through ``tenant_inherited``'s USING, could delete it. Idempotent."""
    if not is_postgres():
        return
    exists = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM pg_policies WHERE tablename = %(t)s AND policyname = 'owner_deletes'", {"t": table}).first()
    if not exists:
        op.execute(f"CREATE POLICY owner_deletes ON {table} AS RESTRICTIVE FOR DELETE "
                   "USING (tongban_tenant_visible(tenant_id))")


def unprotect_inherited(table: str) -> None:
    if not is_postgres():
        return
    op.execute(f"DROP POLICY IF EXISTS owner_deletes ON {table}")
    op.execute(f"DROP POLICY IF EXISTS tenant_inherited ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def drop_visibility_function() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION IF EXISTS tongban_tenant_visible(varchar)")
        op.execute("DROP FUNCTION IF EXISTS tongban_in_subtree(varchar)")


def protect(table: str) -> None:
    """Enable and force row-level security on ``table`` with the tenant policy."""
    if not is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        "USING (tongban_tenant_visible(tenant_id)) WITH CHECK (tongban_tenant_visible(tenant_id))"
    )


def unprotect(table: str) -> None:
    if not is_postgres():
        return
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def protect_shared(table: str, second_column: str = "received_tenant_id") -> None:
    """Rows visible to and written by either of two tenants (the handler and the receiver)."""
    if not is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    check = f"tongban_tenant_visible(tenant_id) OR tongban_tenant_visible({second_column})"
    op.execute(f"CREATE POLICY tenant_shared ON {table} USING ({check}) WITH CHECK ({check})")


def unprotect_shared(table: str) -> None:
    if not is_postgres():
        return
    op.execute(f"DROP POLICY IF EXISTS tenant_shared ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
