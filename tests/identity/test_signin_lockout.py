"""Sign-in throttling: lockout after repeated failures, per username and per address, and its expiry;
never telling whether an account exists."""

import pytest
from identity_helpers import csrf_of, sign_in

from tongban.platform.identity.signin import SignInLocked, SignInRefused

WRONG = "Wrong#password1"


def test_five_failures_lock_the_account_for_fifteen_minutes(seeded, clock):
    for _ in range(4):
        with pytest.raises(SignInRefused):
            seeded.sign_in("citizen", WRONG, address="10.0.0.1")
    with pytest.raises(SignInLocked) as locked:
        seeded.sign_in("citizen", WRONG, address="10.0.0.1")
    assert locked.value.minutes == 15 and locked.value.code == "temporarily_locked"
    with pytest.raises(SignInLocked):
        seeded.sign_in("citizen", "Tongban@2026", address="10.0.0.2")  # the right password does not help
    clock.advance(minutes=14)
    with pytest.raises(SignInLocked) as still:
        seeded.sign_in("citizen", "Tongban@2026", address="10.0.0.2")
    assert still.value.minutes == 1
    clock.advance(minutes=1, seconds=1)
    assert seeded.sign_in("citizen", "Tongban@2026", address="10.0.0.2").session_id


def test_an_unknown_username_locks_exactly_like_a_real_one(seeded):
    outcomes = {}
    for username in ("citizen", "no.such.person"):
        seen = []
        for _ in range(6):
            try:
                seeded.sign_in(username, WRONG, address=f"10.0.1.{len(outcomes)}")
            except (SignInRefused, SignInLocked) as refusal:
                seen.append((type(refusal).__name__, refusal.zh, refusal.en))
        outcomes[username] = seen
    assert outcomes["citizen"] == outcomes["no.such.person"]
    assert outcomes["citizen"][-1][0] == "SignInLocked"


def test_unknown_users_still_cost_a_password_hash(seeded, monkeypatch):
    calls = []
    passwords = seeded.config.passwords
    original = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda *a: calls.append(1) or original(*a))
    with pytest.raises(SignInRefused):
        seeded.sign_in("nobody.at.all", WRONG)
    with pytest.raises(SignInRefused):
        seeded.sign_in("citizen", WRONG)
    assert len(calls) == 2


def test_many_usernames_from_one_address_lock_that_address(seeded, clock):
    seeded.config.throttle = type(seeded.config.throttle)(address_failures=3)
    for i in range(3):
        with pytest.raises((SignInRefused, SignInLocked)):
            seeded.sign_in(f"guess{i}", WRONG, address="198.51.100.7")
    with pytest.raises(SignInLocked):
        seeded.sign_in("citizen", "Tongban@2026", address="198.51.100.7")
    assert seeded.sign_in("citizen", "Tongban@2026", address="198.51.100.8").session_id
    clock.advance(minutes=16)
    assert seeded.sign_in("citizen", "Tongban@2026", address="198.51.100.7").session_id


def test_a_success_clears_the_username_counter(seeded):
    for _ in range(4):
        with pytest.raises(SignInRefused):
            seeded.sign_in("citizen", WRONG)
    seeded.sign_in("citizen", "Tongban@2026")
    for _ in range(4):
        with pytest.raises(SignInRefused):
            seeded.sign_in("citizen", WRONG)


def test_the_login_page_shows_the_lockout_in_chinese_and_english(browser):
    for _ in range(5):
        token = csrf_of(browser, "/login")
        page = browser.post("/login", data={"csrf_token": token, "username": "citizen", "password": WRONG})
    assert page.status_code == 429
    assert "尝试次数过多，请 15 分钟后再试" in page.text and "Too many attempts" in page.text
    assert sign_in(browser, "citizen").status_code == 429


def test_failures_and_lockouts_are_audited(seeded):
    from sqlalchemy import select

    from tongban.platform.identity.models import AuditEvent

    for _ in range(5):
        with pytest.raises((SignInRefused, SignInLocked)):
            seeded.sign_in("citizen", WRONG, address="203.0.113.9")
    with seeded.unit() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("sign_in_failed") == 5 and "sign_in_locked" in actions


def test_password_hash_is_upgraded_when_parameters_change(seeded):
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from tongban.platform.identity.models import Account

    with seeded.unit() as session:
        before = session.scalar(select(Account.password_hash).where(Account.username == "citizen"))
    assert "m=1024" in before
    seeded.config.passwords.hasher = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    seeded.sign_in("citizen", "Tongban@2026")
    with seeded.unit() as session:
        after = session.scalar(select(Account.password_hash).where(Account.username == "citizen"))
    assert after != before and "m=2048,t=2" in after
    assert seeded.sign_in("citizen", "Tongban@2026").session_id
