"""A theme's draft is seen by its own tenant only (PostgreSQL row-level security)

Themes are inherited down the tree (``tenant_inherited``), and that let every tenant below a county read the
county's unpublished draft with raw SQL; the application filtered it out in code. A restrictive policy now
keeps draft rows to their tenant (and to scopes above it that see its subtree), as logo drafts already are.

Revision ID: 0016_theme_drafts_owner_only
Revises: 0015_submission_keys
Create Date: 2026-11-26
"""
from alembic import op

from tongban.migrations import rls

revision = '0016_theme_drafts_owner_only'
down_revision = '0015_submission_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not rls.is_postgres():
        return
    op.execute("CREATE POLICY drafts_owner_only ON portal_themes AS RESTRICTIVE FOR SELECT "
               "USING (status <> 'draft' OR tongban_tenant_visible(tenant_id))")


def downgrade() -> None:
    if rls.is_postgres():
        op.execute("DROP POLICY IF EXISTS drafts_owner_only ON portal_themes")
