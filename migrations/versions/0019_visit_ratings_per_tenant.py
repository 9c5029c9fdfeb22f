"""A window visit's number is unique within its tenant, not across the province

Halls number their queue tickets themselves (三亚's A001 and 海口's A001 are different visits): the unique key of
``service_ratings.visit_key`` becomes (tenant_id, visit_key). Department names kept by earlier versions on
ratings, rectifications, petitions and alerts (市场监督管理局) become the department's code where it is a listed
department, as they are written from now on.

Revision ID: 0019_visit_ratings_per_tenant
Revises: 0018_appointment_windows
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_visit_ratings_per_tenant'
down_revision = '0018_appointment_windows'
branch_labels = None
depends_on = None

TABLES = ("service_ratings", "rating_rectifications", "petitions", "supervision_alerts")


def upgrade() -> None:
    with op.batch_alter_table('service_ratings', schema=None) as batch_op:
        batch_op.drop_constraint('uq_service_ratings_visit_key', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_service_ratings_tenant_id_visit_key'),
                                          ['tenant_id', 'visit_key'])
    _codes()


def _codes() -> None:
    """Names of listed departments as codes, in the tables that exist here."""
    from tongban.platform.approval.departments import code_of

    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in TABLES:
        if table not in present:
            continue
        names = [row[0] for row in bind.execute(sa.text(f"SELECT DISTINCT department FROM {table}"))]
        for name in names:
            code = code_of(name)
            if code and code != name:
                bind.execute(sa.text(f"UPDATE {table} SET department = :code WHERE department = :name"),
                             {"code": code, "name": name})
    if "supervision_rollups" in present:
        _merge_rollups(bind, code_of)


def _merge_rollups(bind, code_of) -> None:
    """A figure row kept under a department's name joins the row under its code (added to it, or renamed)."""
    from tongban.platform.supervision.models import MEASURES

    key = ("tenant_id", "item_code", "channel", "month")
    rows = bind.execute(sa.text(f"SELECT id, department, {', '.join(key)} FROM supervision_rollups")).mappings().all()
    for row in rows:
        code = code_of(row["department"])
        if not code or code == row["department"]:
            continue
        match = " AND ".join(f"{k} = :{k}" for k in key)
        target = bind.execute(sa.text(f"SELECT id FROM supervision_rollups WHERE department = :code AND {match}"),
                              {"code": code, **{k: row[k] for k in key}}).scalar()
        if target is None:
            bind.execute(sa.text("UPDATE supervision_rollups SET department = :code WHERE id = :id"),
                         {"code": code, "id": row["id"]})
            continue
        sums = ", ".join(f"{m} = {m} + (SELECT {m} FROM supervision_rollups WHERE id = :source)" for m in MEASURES)
        bind.execute(sa.text(f"UPDATE supervision_rollups SET {sums} WHERE id = :target"),
                     {"source": row["id"], "target": target})
        bind.execute(sa.text("DELETE FROM supervision_rollups WHERE id = :source"), {"source": row["id"]})


def downgrade() -> None:
    with op.batch_alter_table('service_ratings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_service_ratings_tenant_id_visit_key'), type_='unique')
        batch_op.create_unique_constraint('uq_service_ratings_visit_key', ['visit_key'])
