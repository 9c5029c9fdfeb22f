"""The identity service: each method is one unit of work, called the same way from routes, CLI and tests.

Refusals that must leave a trace (failed sign-ins, lockouts) are raised only after the unit of work has
committed that trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from tongban.platform.identity import keys, reset, sessions, signin, totp
from tongban.platform.identity.accounts import enterprises_of, requires_second_factor
from tongban.platform.identity.common import IdentityError, log, utc
from tongban.platform.identity.config import IdentityConfig
from tongban.platform.identity.grants import grants_of
from tongban.platform.identity.models import Account, Enterprise, IssuedToken
from tongban.platform.identity.sessions import Stage
from tongban.platform.identity.tokens import Principal, TokenRefused, verify_access_token
from tongban.tenants.isolation import TenantContext


class SessionRequired(IdentityError):
    code = "login_required"

    def __init__(self) -> None:
        super().__init__("请先登录", "Please sign in first")


@dataclass(frozen=True)
class SignInStep:
    session_id: str
    stage: Stage


@dataclass(frozen=True)
class EnterpriseView:
    subject: str
    name: str
    uscc: str


@dataclass(frozen=True)
class SessionView:
    session_id: str
    stage: str
    subject: str
    username: str
    display_name: str
    kind: str
    acting: EnterpriseView | None
    enterprises: tuple[EnterpriseView, ...] = ()
    roles: tuple = ()
    second_factor: bool = False
    amr: tuple[str, ...] = field(default=())


class IdentityService:
    def __init__(self, database, config: IdentityConfig) -> None:
        self.database, self.config = database, config
        self.key_cache = keys.KeyCache(database, self.now)

    def now(self):
        return self.config.clock()

    def unit(self):
        """Identity tables are platform-wide: no tenant is needed (and none is granted)."""
        return self.database.unit_of_work(TenantContext.none())

    def issuer(self, origin: str) -> str:
        return self.config.issuer or origin.rstrip("/")

    # --- signing in ---------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, *, address: str = "") -> SignInStep:
        now = self.now()
        with self.unit() as session:
            attempt = signin.check_password(
                session, self.config, username=username, password=password, address=address, now=now
            )
            step = None
            if attempt.refusal is None:
                account = attempt.account
                if requires_second_factor(session, account):
                    stage = Stage.SECOND_FACTOR if totp.is_enrolled(account) else Stage.ENROL
                    ttl = self.config.pending_session_ttl
                else:
                    stage, ttl = Stage.COMPLETE, self.config.session_ttl
                row = sessions.start(session, account, stage=stage, now=now, ttl=ttl, address=address)
                step = SignInStep(row.id, stage)
        if attempt.refusal is not None:
            raise attempt.refusal
        return step

    def register_and_sign_in(self, form, *, address: str = "") -> SignInStep:
        """A new person's account (``registration.register``: every field checked at once), then signed in."""
        from tongban.platform.identity import registration

        with self.unit() as session:
            outcome = registration.register(session, self.config.passwords, form, address=address, now=self.now())
        if outcome.refusal is not None:  # raised after the commit: a try that probed an account stays counted
            raise outcome.refusal
        return self.sign_in(form.username, form.password, address=address)

    def enrolment(self, session_id: str) -> tuple[str, str]:
        """(secret, otpauth URI) for a session that must enrol a second factor."""
        with self.unit() as session:
            row = self._pending(session, session_id, Stage.ENROL)
            account = session.get(Account, row.account_id)
            if account.totp_secret is None:
                totp.begin_enrolment(account)
            return account.totp_secret, totp.provisioning_uri(account)

    def second_factor(
        self, session_id: str, code: str, *, address: str = "", enrolling: bool = False
    ) -> SignInStep:
        now = self.now()
        with self.unit() as session:
            row = self._pending(session, session_id, Stage.ENROL if enrolling else Stage.SECOND_FACTOR)
            account = session.get(Account, row.account_id)
            refusal = signin.check_second_factor(
                session, self.config, row, account, code=code, address=address, now=now, enrolling=enrolling
            )
            if refusal is None:
                sessions.complete(row, now=now, ttl=self.config.session_ttl)
        if refusal is not None:
            raise refusal
        return SignInStep(session_id, Stage.COMPLETE)

    def _pending(self, session, session_id: str, stage: Stage):
        row = sessions.load(session, session_id, self.now(), stage=stage)
        if row is None:
            raise SessionRequired()
        return row

    def session_view(
        self, session_id: str | None, *, stage: Stage | None = Stage.COMPLETE
    ) -> SessionView | None:
        with self.unit() as session:
            row = sessions.load(session, session_id, self.now(), stage=stage)
            if row is None:
                return None
            account = session.get(Account, row.account_id)
            companies = tuple(
                EnterpriseView(e.subject, e.name, e.uscc) for e in enterprises_of(session, account.id)
            )
            acting = session.get(Enterprise, row.acting_enterprise_id) if row.acting_enterprise_id else None
            return SessionView(
                row.id,
                row.stage,
                account.subject,
                account.username,
                account.display_name,
                account.kind,
                EnterpriseView(acting.subject, acting.name, acting.uscc) if acting else None,
                companies,
                tuple(grants_of(session, account.id)),
                totp.is_enrolled(account),
                tuple(row.amr or ()),
            )

    def switch_acting(self, session_id: str, enterprise_subject: str | None) -> None:
        with self.unit() as session:
            row = sessions.load(session, session_id, self.now())
            if row is None:
                raise SessionRequired()
            account = session.get(Account, row.account_id)
            sessions.act_as(session, row, enterprise_subject, actor=account.subject, now=self.now())

    def sign_out(self, session_id: str | None) -> None:
        with self.unit() as session:
            row = sessions.load(session, session_id, self.now(), stage=None)
            if row is not None:
                sessions.end(session, row, self.now())

    def revoke_sessions(self, username: str, *, actor: str) -> int:
        """End every session of an account (an operator's decision); returns how many ended."""
        with self.unit() as session:
            return sessions.revoke_all_of(session, username, self.now(), actor=actor)

    # --- password reset -----------------------------------------------------------------------------------
    def request_password_reset(
        self, identifier: str, *, link_for: Callable[[str], str], address: str = ""
    ) -> None:
        with self.unit() as session:
            reset.request_reset(
                session, self.config, identifier, link_for=link_for, now=self.now(), address=address
            )

    def check_reset_link(self, token: str) -> str:
        with self.unit() as session:
            return reset.check_link(session, self.config, token, self.now()).username

    def reset_password(self, token: str, new_password: str) -> None:
        with self.unit() as session:
            reset.complete_reset(session, self.config, token, new_password, now=self.now())

    # --- tokens and keys ----------------------------------------------------------------------------------
    def verify_access_token(
        self,
        token: str,
        *,
        required_scopes: Iterable[str] = (),
        audience: str | None = None,
        check_revocation: bool = True,
    ) -> Principal:
        """Verify a bearer access token locally (signature by ``kid``, issuer, expiry, audience, scopes).

        ``check_revocation`` adds one indexed lookup so that revoked and replay-revoked tokens stop
        working before they expire; pass False where a few minutes of grace are acceptable.
        """
        audience = audience or self.config.api_audience
        try:
            return verify_access_token(
                token,
                required_scopes=required_scopes,
                audience=audience,
                key_for=self.key_cache.get,
                now=self.now(),
                issuer=self.config.issuer,
                is_revoked=self._is_revoked if check_revocation else None,
            )
        except TokenRefused as refused:
            log.warning("access token refused", extra={"fields": {"error": refused.code, "reason": refused.reason,
                                                                  "audience": audience}})
            raise

    def _is_revoked(self, jti: str) -> bool:
        with self.unit() as session:
            row = session.scalar(select(IssuedToken).where(IssuedToken.jti == jti))
            return (
                row is None
                or row.revoked_at is not None
                or row.access_revoked_at is not None
                or utc(row.access_expires_at) <= self.now()
            )

    def rotate_keys(self, *, actor: str) -> str:
        with self.unit() as session:
            kid = keys.rotate(session, self.now(), grace=self.config.key_publish_grace, actor=actor).kid
        self.key_cache.invalidate()
        return kid

    def jwks(self) -> dict:
        with self.unit() as session:
            return keys.jwks(session, self.now())
