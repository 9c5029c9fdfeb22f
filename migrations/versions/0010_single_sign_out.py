"""Single sign-out: a room's session remembers the provider session it came from

``identity_rp_sessions.provider_sid`` holds the ``sid`` claim of the id_token the session was made from
(indexed: ending a provider session deletes the rooms' sessions bound to it). Sessions made before this
revision take it from their claims, where the id_token's ``sid`` was already kept in clear.

Revision ID: 0010_single_sign_out
Revises: 0009_merge_lean_indexes
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_single_sign_out'
down_revision = '0009_merge_lean_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity_rp_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_sid', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_identity_rp_sessions_provider_sid'), ['provider_sid'],
                              unique=False)
    rp_sessions = sa.table('identity_rp_sessions', sa.column('id_hash', sa.String),
                           sa.column('claims', sa.JSON), sa.column('provider_sid', sa.String))
    bind = op.get_bind()
    for id_hash, claims in bind.execute(sa.select(rp_sessions.c.id_hash, rp_sessions.c.claims)).all():
        sid = (claims or {}).get('sid')
        if sid:
            bind.execute(rp_sessions.update().where(rp_sessions.c.id_hash == id_hash)
                         .values(provider_sid=str(sid)[:32]))


def downgrade() -> None:
    with op.batch_alter_table('identity_rp_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_rp_sessions_provider_sid'))
        batch_op.drop_column('provider_sid')
