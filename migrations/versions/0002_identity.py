"""identity: accounts, enterprises and agents, staff, role grants, OAuth clients, tokens, keys, sessions

All identity tables are platform-wide (none is tenant-owned), so no row-level security policy is added.

Revision ID: 0002_identity
Revises: 0001
Create Date: 2026-11-26 12:08:51.650073
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_identity'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_accounts')),
    sa.UniqueConstraint('subject', name=op.f('uq_identity_accounts_subject')),
    sa.UniqueConstraint('username', name=op.f('uq_identity_accounts_username'))
    )
    with op.batch_alter_table('identity_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_accounts_email'), ['email'], unique=False)

    op.create_table('identity_audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_audit_events'))
    )
    with op.batch_alter_table('identity_audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_audit_events_at'), ['at'], unique=False)

    op.create_table('identity_enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_enterprises')),
    sa.UniqueConstraint('subject', name=op.f('uq_identity_enterprises_subject')),
    sa.UniqueConstraint('uscc', name=op.f('uq_identity_enterprises_uscc'))
    )
    op.create_table('identity_login_throttle',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_identity_login_throttle'))
    )
    op.create_table('identity_rp_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('claims', sa.JSON(), nullable=False),
    sa.Column('sealed_tokens', sa.Text(), nullable=False),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_identity_rp_sessions'))
    )
    with op.batch_alter_table('identity_rp_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_rp_sessions_subject'), ['subject'], unique=False)

    op.create_table('identity_signing_keys',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('alg', sa.String(length=10), nullable=False),
    sa.Column('private_jwk', sa.JSON(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publish_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_identity_signing_keys'))
    )
    op.create_table('identity_agents',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.String(length=30), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_agents_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['identity_enterprises.id'], name=op.f('fk_identity_agents_enterprise_id_identity_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enterprise_id', 'account_id', name=op.f('pk_identity_agents'))
    )
    with op.batch_alter_table('identity_agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_agents_account_id'), ['account_id'], unique=False)

    op.create_table('identity_clients',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('owner_account_id', sa.Integer(), nullable=True),
    sa.Column('first_party', sa.Boolean(), nullable=False),
    sa.Column('client_type', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=True),
    sa.Column('secret_rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redirect_uris', sa.JSON(), nullable=False),
    sa.Column('post_logout_redirect_uris', sa.JSON(), nullable=False),
    sa.Column('grant_types', sa.JSON(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('may_introspect', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_account_id'], ['identity_accounts.id'], name=op.f('fk_identity_clients_owner_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_identity_clients'))
    )
    with op.batch_alter_table('identity_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_clients_owner_account_id'), ['owner_account_id'], unique=False)

    op.create_table('identity_password_resets',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_password_resets_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_password_resets'))
    )
    with op.batch_alter_table('identity_password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_password_resets_account_id'), ['account_id'], unique=False)

    op.create_table('identity_persons',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('assurance_level', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_persons_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_identity_persons')),
    sa.UniqueConstraint('id_number', name=op.f('uq_identity_persons_id_number'))
    )
    op.create_table('identity_role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('tenant_code', sa.String(length=12), nullable=False),
    sa.Column('extends_to_subtree', sa.Boolean(), nullable=False),
    sa.Column('granted_by', sa.String(length=120), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_role_grants_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_code'], ['tenants.code'], name=op.f('fk_identity_role_grants_tenant_code_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_role_grants')),
    sa.UniqueConstraint('account_id', 'role', 'tenant_code', name=op.f('uq_identity_role_grants_account_id_role_tenant_code'))
    )
    with op.batch_alter_table('identity_role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_role_grants_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_role_grants_tenant_code'), ['tenant_code'], unique=False)

    op.create_table('identity_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('acting_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('auth_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amr', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_sessions_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['acting_enterprise_id'], ['identity_enterprises.id'], name=op.f('fk_identity_sessions_acting_enterprise_id_identity_enterprises'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_sessions'))
    )
    with op.batch_alter_table('identity_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_sessions_account_id'), ['account_id'], unique=False)

    op.create_table('identity_staff',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('home_tenant_code', sa.String(length=12), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_staff_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['home_tenant_code'], ['tenants.code'], name=op.f('fk_identity_staff_home_tenant_code_tenants')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_identity_staff'))
    )
    with op.batch_alter_table('identity_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_staff_home_tenant_code'), ['home_tenant_code'], unique=False)

    op.create_table('identity_authorization_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('acting_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('redirect_uri', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('nonce', sa.String(length=255), nullable=True),
    sa.Column('code_challenge', sa.String(length=128), nullable=True),
    sa.Column('code_challenge_method', sa.String(length=10), nullable=True),
    sa.Column('auth_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amr', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_authorization_codes_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['identity_clients.client_id'], name=op.f('fk_identity_authorization_codes_client_id_identity_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_identity_authorization_codes'))
    )
    with op.batch_alter_table('identity_authorization_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_authorization_codes_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_authorization_codes_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_identity_authorization_codes_client_nonce', ['client_id', 'nonce'], unique=False)

    op.create_table('identity_consents',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_consents_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['identity_clients.client_id'], name=op.f('fk_identity_consents_client_id_identity_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'client_id', name=op.f('pk_identity_consents'))
    )
    op.create_table('identity_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jti', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('acting_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.String(length=64), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('auth_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('amr', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('access_revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refresh_hash', sa.String(length=64), nullable=True),
    sa.Column('refresh_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refresh_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['identity_accounts.id'], name=op.f('fk_identity_tokens_account_id_identity_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['identity_clients.client_id'], name=op.f('fk_identity_tokens_client_id_identity_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_tokens')),
    sa.UniqueConstraint('jti', name=op.f('uq_identity_tokens_jti')),
    sa.UniqueConstraint('refresh_hash', name=op.f('uq_identity_tokens_refresh_hash'))
    )
    with op.batch_alter_table('identity_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_tokens_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_tokens_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_tokens_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_tokens_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('identity_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_tokens_session_id'))
        batch_op.drop_index(batch_op.f('ix_identity_tokens_family'))
        batch_op.drop_index(batch_op.f('ix_identity_tokens_client_id'))
        batch_op.drop_index(batch_op.f('ix_identity_tokens_account_id'))

    op.drop_table('identity_tokens')
    op.drop_table('identity_consents')
    with op.batch_alter_table('identity_authorization_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_authorization_codes_client_nonce')
        batch_op.drop_index(batch_op.f('ix_identity_authorization_codes_client_id'))
        batch_op.drop_index(batch_op.f('ix_identity_authorization_codes_account_id'))

    op.drop_table('identity_authorization_codes')
    with op.batch_alter_table('identity_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_staff_home_tenant_code'))

    op.drop_table('identity_staff')
    with op.batch_alter_table('identity_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_sessions_account_id'))

    op.drop_table('identity_sessions')
    with op.batch_alter_table('identity_role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_role_grants_tenant_code'))
        batch_op.drop_index(batch_op.f('ix_identity_role_grants_account_id'))

    op.drop_table('identity_role_grants')
    op.drop_table('identity_persons')
    with op.batch_alter_table('identity_password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_password_resets_account_id'))

    op.drop_table('identity_password_resets')
    with op.batch_alter_table('identity_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_clients_owner_account_id'))

    op.drop_table('identity_clients')
    with op.batch_alter_table('identity_agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_agents_account_id'))

    op.drop_table('identity_agents')
    op.drop_table('identity_signing_keys')
    with op.batch_alter_table('identity_rp_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_rp_sessions_subject'))

    op.drop_table('identity_rp_sessions')
    op.drop_table('identity_login_throttle')
    op.drop_table('identity_enterprises')
    with op.batch_alter_table('identity_audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_audit_events_at'))

    op.drop_table('identity_audit_events')
    with op.batch_alter_table('identity_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_accounts_email'))

    op.drop_table('identity_accounts')
