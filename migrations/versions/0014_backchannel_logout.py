"""Back-channel logout: registered clients are told when a session they took part in ends

``identity_clients`` gets ``backchannel_logout_uri`` and ``backchannel_logout_session_required``;
``identity_tokens.issuer`` keeps the ``iss`` a token was issued under (the Logout Token repeats it);
``identity_logout_deliveries`` is the outbox of Logout Tokens owed, written with the sign-out and sent after
commit (platform-wide like every identity table: no row-level security).

Revision ID: 0014_backchannel_logout
Revises: 0013_logo_drafts
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_backchannel_logout'
down_revision = '0013_logo_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity_clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backchannel_logout_uri', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('backchannel_logout_session_required', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('identity_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=255), nullable=True))
    op.create_table('identity_logout_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('uri', sa.Text(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=True),
    sa.Column('subject', sa.String(length=40), nullable=True),
    sa.Column('sid', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['identity_clients.client_id'],
                            name=op.f('fk_identity_logout_deliveries_client_id_identity_clients'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_logout_deliveries'))
    )
    with op.batch_alter_table('identity_logout_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_logout_deliveries_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_identity_logout_deliveries_pending', ['sent_at', 'next_attempt_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identity_logout_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_logout_deliveries_pending')
        batch_op.drop_index(batch_op.f('ix_identity_logout_deliveries_client_id'))
    op.drop_table('identity_logout_deliveries')
    with op.batch_alter_table('identity_tokens', schema=None) as batch_op:
        batch_op.drop_column('issuer')
    with op.batch_alter_table('identity_clients', schema=None) as batch_op:
        batch_op.drop_column('backchannel_logout_session_required')
        batch_op.drop_column('backchannel_logout_uri')
