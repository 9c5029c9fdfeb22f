"""Identity tables. All platform-wide (one person, enterprise or staff member across every tenant).

Timestamps are timezone-aware UTC; SQLite hands them back naive, so compare through ``clock.utc``.
Secrets (passwords, client secrets, refresh tokens, authorisation codes) are stored only as hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tongban.platform.db import Base, utcnow


class Account(Base):
    """Someone who signs in: a natural person (citizen, agent) or a member of staff."""

    __tablename__ = "identity_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), unique=True)  # the OIDC ``sub``
    kind: Mapped[str] = mapped_column(String(16))  # AccountKind
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="active")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code's time step is used once
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship(back_populates="account", uselist=False)
    staff: Mapped[Staff | None] = relationship(back_populates="account", uselist=False)


class Person(Base):
    """A natural person's real-name record (实名信息)."""

    __tablename__ = "identity_persons"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # resident ID (居民身份证号码)
    assurance_level: Mapped[int] = mapped_column(Integer, default=1)  # AssuranceLevel

    account: Mapped[Account] = relationship(back_populates="person")


class Staff(Base):
    """A member of staff: where they belong; what they may do comes from role grants."""

    __tablename__ = "identity_staff"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100))
    home_tenant_code: Mapped[str] = mapped_column(ForeignKey("tenants.code"), index=True)
    department: Mapped[str] = mapped_column(String(100), default="")

    account: Mapped[Account] = relationship(back_populates="staff")


class Enterprise(Base):
    """A legal person (法人): it never signs in itself; its agents act for it."""

    __tablename__ = "identity_enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    legal_representative: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Agent(Base):
    """A person who may act for an enterprise (经办人, or the legal representative)."""

    __tablename__ = "identity_agents"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("identity_enterprises.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    capacity: Mapped[str] = mapped_column(String(30), default="agent")  # agent | legal_representative
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()


class RoleGrant(Base):
    """(account, role, tenant, extends to subtree): the only source of staff permissions."""

    __tablename__ = "identity_role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(40))
    tenant_code: Mapped[str] = mapped_column(ForeignKey("tenants.code"), index=True)
    extends_to_subtree: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("account_id", "role", "tenant_code"),)


class AuditEvent(Base):
    """Who did what to which identity record, when (grants, lockouts, resets, keys, secrets)."""

    __tablename__ = "identity_audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120), default="")
    tenant_code: Mapped[str | None] = mapped_column(String(12))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class LoginThrottle(Base):
    """Failure counters per username (known or not) and per client address."""

    __tablename__ = "identity_login_throttle"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]


class PasswordReset(Base):
    """One emailed reset link; ``used_at`` makes it single-use."""

    __tablename__ = "identity_password_resets"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SigningKey(Base):
    """An RSA signing key. One is active; retired ones stay published until ``publish_until``."""

    __tablename__ = "identity_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(10), default="RS256")
    private_jwk: Mapped[dict] = mapped_column(JSON)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))  # active | retired
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
    publish_until: Mapped[datetime | None]


class Client(Base):
    """An OAuth client: first-party (portal, workbench, admin) or a third-party developer's app."""

    __tablename__ = "identity_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    first_party: Mapped[bool] = mapped_column(Boolean, default=False)
    client_type: Mapped[str] = mapped_column(String(16))  # public | confidential
    secret_hash: Mapped[str | None] = mapped_column(String(200))
    secret_rotated_at: Mapped[datetime | None]
    redirect_uris: Mapped[list] = mapped_column(JSON, default=list)
    post_logout_redirect_uris: Mapped[list] = mapped_column(JSON, default=list)
    # OpenID Connect Back-Channel Logout: where a Logout Token is POSTed when a session it took part in ends
    backchannel_logout_uri: Mapped[str | None] = mapped_column(Text)
    backchannel_logout_session_required: Mapped[bool] = mapped_column(Boolean, default=False)
    grant_types: Mapped[list] = mapped_column(JSON, default=list)
    scope: Mapped[str] = mapped_column(Text, default="")
    may_introspect: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProviderSession(Base):
    """A sign-in at the provider (SSO): the cookie holds its signed id."""

    __tablename__ = "identity_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(16))  # second_factor | enrol | complete
    acting_enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_enterprises.id", ondelete="SET NULL")
    )
    auth_time: Mapped[datetime] = mapped_column(default=utcnow)
    amr: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    client_address: Mapped[str] = mapped_column(String(64), default="")


class AuthorizationCode(Base):
    """An issued code (hash only). Kept after use so that a replay is recognised."""

    __tablename__ = "identity_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(
        ForeignKey("identity_clients.client_id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    acting_enterprise_id: Mapped[int | None] = mapped_column(Integer)
    session_id: Mapped[str | None] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text, default="")
    nonce: Mapped[str | None] = mapped_column(String(255))
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(10))
    auth_time: Mapped[datetime]
    amr: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_identity_authorization_codes_client_nonce", "client_id", "nonce"),)


class IssuedToken(Base):
    """One token response: the access token's ``jti`` and the refresh token's hash.

    ``family`` ties together every token descended from one authorisation (a code, then each
    refresh): a replayed code or refresh token revokes the whole family.
    """

    __tablename__ = "identity_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    family: Mapped[str] = mapped_column(String(64), index=True)
    client_id: Mapped[str] = mapped_column(
        ForeignKey("identity_clients.client_id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), index=True
    )
    acting_enterprise_id: Mapped[int | None] = mapped_column(Integer)
    session_id: Mapped[str | None] = mapped_column(String(64), index=True)
    issuer: Mapped[str | None] = mapped_column(String(255))  # the ``iss`` it was issued under
    scope: Mapped[str] = mapped_column(Text, default="")
    auth_time: Mapped[datetime | None]
    amr: Mapped[list] = mapped_column(JSON, default=list)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    access_expires_at: Mapped[datetime]
    access_revoked_at: Mapped[datetime | None]
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    refresh_expires_at: Mapped[datetime | None]
    refresh_used_at: Mapped[datetime | None]  # rotated: presenting it again is a replay
    revoked_at: Mapped[datetime | None]


class Consent(Base):
    """A person's consent to a third-party application for some scopes."""

    __tablename__ = "identity_consents"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("identity_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(
        ForeignKey("identity_clients.client_id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class RelyingPartySession(Base):
    """A first-party web room's own sign-in (per host cookie), holding the tokens it received."""

    __tablename__ = "identity_rp_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(40), index=True)
    claims: Mapped[dict] = mapped_column(JSON)
    # The ``sid`` of the provider session it came from: ending that session ends this one (single sign-out).
    provider_sid: Mapped[str | None] = mapped_column(String(32), index=True)
    sealed_tokens: Mapped[str] = mapped_column(Text)  # id, access and refresh token, encrypted (Fernet)
    access_expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LogoutDelivery(Base):
    """A Logout Token owed to a client whose session ended (outbox: written with the sign-out, sent after commit).

    The token itself is signed when it is sent, so a retry an hour later still carries a fresh ``exp``.
    """

    __tablename__ = "identity_logout_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(
        ForeignKey("identity_clients.client_id", ondelete="CASCADE"), index=True
    )
    uri: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(40))
    sid: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_identity_logout_deliveries_pending", "sent_at", "next_attempt_at"),)
