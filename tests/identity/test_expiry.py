"""Purging expired sign-in data: provider and web-room sessions, codes and token records past expiry are
removed, everything still usable stays — including a used code whose family still lives (a replay of it
must still revoke the family). Twice, or by two workers at once, removes each row once."""
from datetime import timedelta

import pytest
from housekeeping_support import NOW, run_together
from sqlalchemy import select

from tongban.platform.identity.expiry import Purged, purge_expired
from tongban.platform.identity.models import (
    Account,
    AuthorizationCode,
    IssuedToken,
    ProviderSession,
    RelyingPartySession,
)
from tongban.tenants.isolation import TenantContext

BEFORE, AFTER = NOW - timedelta(seconds=1), NOW + timedelta(hours=1)


@pytest.fixture
def rows(seeded, db):
    with db.unit_of_work(TenantContext.system("test")) as s:
        account = s.scalar(select(Account).where(Account.username == "citizen")).id
        for sid, expires in (("s-expired", BEFORE), ("s-alive", AFTER)):
            s.add(ProviderSession(id=sid, account_id=account, stage="complete", expires_at=expires))
        for rid, expires in (("rp-expired", BEFORE), ("rp-alive", AFTER)):
            s.add(RelyingPartySession(id_hash=rid, client_id="portal", subject="x", claims={}, sealed_tokens="",
                                      access_expires_at=BEFORE, expires_at=expires))
        tokens = {  # jti: (family, access expires, refresh expires or None, refresh already rotated)
            "t-all-expired": ("fam-dead", BEFORE, BEFORE, False),
            "t-refresh-alive": ("fam-alive", BEFORE, AFTER, False),
            "t-no-refresh-expired": ("fam-cc", BEFORE, None, False),
            "t-access-alive": ("fam-cc2", AFTER, None, False),
            "t-rotated-kept-for-replay": ("fam-alive", BEFORE, AFTER, True),
        }
        for jti, (family, access, refresh, rotated) in tokens.items():
            s.add(IssuedToken(jti=jti, family=family, client_id="portal", account_id=account,
                              access_expires_at=access, refresh_hash=refresh and f"h-{jti}",
                              refresh_expires_at=refresh, refresh_used_at=BEFORE if rotated else None))
        codes = {  # code hash: (expires, used)
            "c-unused-expired": (BEFORE, False),
            "fam-alive": (BEFORE, True),  # used; its family still has a live refresh token
            "fam-dead": (BEFORE, True),  # used; its family's last token expires in this run
            "c-not-yet": (AFTER, False),
        }
        for code_hash, (expires, used) in codes.items():
            s.add(AuthorizationCode(code_hash=code_hash, client_id="portal", account_id=account, redirect_uri="x",
                                    auth_time=BEFORE, expires_at=expires, used_at=BEFORE if used else None))
    return db


def _left(db) -> dict[str, set[str]]:
    with db.unit_of_work(TenantContext.system("test")) as s:
        return {"sessions": set(s.scalars(select(ProviderSession.id))),
                "rp": set(s.scalars(select(RelyingPartySession.id_hash))),
                "tokens": set(s.scalars(select(IssuedToken.jti))),
                "codes": set(s.scalars(select(AuthorizationCode.code_hash)))}


def _purge(db) -> Purged:
    with db.unit_of_work(TenantContext.system("test purge")) as s:
        return purge_expired(s, NOW)


EXPECTED_LEFT = {"sessions": {"s-alive"}, "rp": {"rp-alive"},
                 "tokens": {"t-refresh-alive", "t-access-alive", "t-rotated-kept-for-replay"},
                 "codes": {"fam-alive", "c-not-yet"}}


def test_exactly_the_expired_rows_go(rows):
    assert _purge(rows) == Purged(sessions=1, rp_sessions=1, tokens=2, codes=2)
    assert _left(rows) == EXPECTED_LEFT
    assert _purge(rows) == Purged(0, 0, 0, 0), "a second run finds nothing more"
    assert _left(rows) == EXPECTED_LEFT


def test_two_workers_at_once_remove_each_row_once(rows):
    results = run_together(lambda: _purge(rows))
    assert sum(r.tokens for r in results) == 2 and sum(r.codes for r in results) == 2
    assert sum(r.sessions + r.rp_sessions for r in results) == 2
    assert _left(rows) == EXPECTED_LEFT


def test_a_replayed_code_still_revokes_its_live_family_after_the_purge(seeded, db, browser, clock):
    from identity_helpers import portal_secret

    from tongban.platform.identity.common import digest

    code, family = "a-code-used-once", digest("a-code-used-once")
    now = clock()
    with db.unit_of_work(TenantContext.system("test")) as s:
        account = s.scalar(select(Account).where(Account.username == "citizen")).id
        s.add(AuthorizationCode(code_hash=family, client_id="portal", account_id=account, redirect_uri="x",
                                auth_time=now, expires_at=now - timedelta(minutes=1), used_at=now))
        s.add(IssuedToken(jti="t-of-the-code", family=family, client_id="portal", account_id=account,
                          access_expires_at=now - timedelta(minutes=1), refresh_hash="h-live",
                          refresh_expires_at=now + timedelta(days=29)))
    with db.unit_of_work(TenantContext.system("test purge")) as s:
        assert purge_expired(s, now).codes == 0
    replay = browser.post("/oidc/token", data={"grant_type": "authorization_code", "code": code,
                                               "redirect_uri": "x"}, auth=("portal", portal_secret(seeded)))
    assert replay.json()["error"] == "invalid_grant"
    with db.unit_of_work(TenantContext.system("test")) as s:
        assert s.scalar(select(IssuedToken.revoked_at).where(IssuedToken.jti == "t-of-the-code")) is not None


def test_the_periodic_task_runs_the_purge(rows, monkeypatch):
    from tongban.platform import tasks

    monkeypatch.setattr("tongban.platform.db.utcnow", lambda: NOW)
    tasks.purge_expired_sign_ins()
    assert _left(rows) == EXPECTED_LEFT
