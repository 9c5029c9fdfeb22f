"""Password reset by an emailed link: signed, expiring, single-use; silent about unknown accounts."""

import re

import pytest
from identity_helpers import csrf_of, sign_in

from tongban.platform.identity.reset import ResetLinkInvalid
from tongban.platform.identity.signin import SignInRefused

LINK = re.compile(r"http://localhost/login/reset/(\S+)")
NEW = "Coconut#2027"


def _ask(browser, identifier):
    token = csrf_of(browser, "/login/reset")
    return browser.post("/login/reset", data={"csrf_token": token, "identifier": identifier})


def _link(mailer) -> str:
    assert mailer.outbox, "no email was sent"
    return LINK.search(mailer.outbox[-1].body).group(1)


def test_the_link_sets_a_new_password_once(browser, seeded, mailer):
    page = _ask(browser, "citizen@example.cn")
    assert page.status_code == 200 and "如果该账号存在" in page.text
    assert mailer.outbox[0].to == "citizen@example.cn" and "重置密码" in mailer.outbox[0].subject
    token = _link(mailer)
    form = browser.get(f"/login/reset/{token}")
    assert form.status_code == 200 and "citizen" in form.text
    csrf = csrf_of(browser, f"/login/reset/{token}")
    done = browser.post(f"/login/reset/{token}", data={"csrf_token": csrf, "password": NEW, "confirm": NEW})
    assert done.status_code == 200 and "密码已重置" in done.text
    assert seeded.sign_in("citizen", NEW).session_id
    with pytest.raises(SignInRefused):
        seeded.sign_in("citizen", "Tongban@2026")
    again = browser.post(
        f"/login/reset/{token}",
        data={"csrf_token": csrf, "password": "Other#pass99", "confirm": "Other#pass99"},
    )
    assert again.status_code == 400 and "重置链接无效、已使用或已过期" in again.text


def test_an_unknown_account_gets_the_same_page_and_no_email(browser, mailer):
    known, unknown = _ask(browser, "citizen"), _ask(browser, "nobody@example.cn")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert len(mailer.outbox) == 1


def test_the_link_expires_after_thirty_minutes(seeded, mailer, clock):
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    token = _link(mailer)
    clock.advance(minutes=31)
    with pytest.raises(ResetLinkInvalid):
        seeded.reset_password(token, NEW)


def test_a_forged_or_altered_link_is_refused(seeded, mailer):
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    token = _link(mailer)
    for bad in (token[:-2] + "xx", "made-up-token", token.split(".")[0] + ".AAAA"):
        with pytest.raises(ResetLinkInvalid):
            seeded.reset_password(bad, NEW)


def test_a_weak_or_mismatched_password_is_refused_with_the_link_kept(browser, seeded, mailer):
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    token = _link(mailer)
    csrf = csrf_of(browser, f"/login/reset/{token}")
    weak = browser.post(
        f"/login/reset/{token}", data={"csrf_token": csrf, "password": "12345678", "confirm": "12345678"}
    )
    assert weak.status_code == 400 and "至少两种" in weak.text
    mismatch = browser.post(
        f"/login/reset/{token}", data={"csrf_token": csrf, "password": NEW, "confirm": "x"}
    )
    assert mismatch.status_code == 400 and "不一致" in mismatch.text
    seeded.reset_password(token, NEW)


def test_a_reset_ends_sessions_and_other_links(browser, seeded, mailer):
    sign_in(browser, "citizen")
    assert browser.get("/account").status_code == 200
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    first = _link(mailer)
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    second = _link(mailer)
    seeded.reset_password(second, NEW)
    assert browser.get("/account", follow_redirects=False).status_code == 303
    with pytest.raises(ResetLinkInvalid):
        seeded.reset_password(first, "Another#pass1")


def test_a_reset_clears_a_lockout(seeded, mailer):
    from tongban.platform.identity.signin import SignInLocked

    for _ in range(5):
        with pytest.raises((SignInRefused, SignInLocked)):
            seeded.sign_in("citizen", "wrong-one-1")
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    seeded.reset_password(_link(mailer), NEW)
    assert seeded.sign_in("citizen", NEW).session_id
