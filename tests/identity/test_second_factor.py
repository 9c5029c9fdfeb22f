"""TOTP: required for staff and administrators; enrolment by otpauth URI, verification, refusal, no reuse."""

import re

import pyotp
import pytest
from identity_helpers import STAFF_SECRETS, csrf_of, sign_in

from tongban.platform.identity.sessions import Stage
from tongban.platform.identity.totp import SecondFactorRefused


@pytest.fixture
def new_staff(seeded):
    from tongban.platform.identity.accounts import register_staff

    with seeded.unit() as session:
        register_staff(
            session,
            seeded.config.passwords,
            username="xiuying.clerk",
            password="Tongban@2026",
            name="秀英窗口",
            home_tenant_code="460105",
            department="秀英区政务服务中心",
        )
    return "xiuying.clerk"


def test_staff_must_enrol_before_anything_else(browser, new_staff, clock):
    answer = sign_in(browser, new_staff)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login/totp/enrol")
    assert browser.get("/account", follow_redirects=False).headers["location"].startswith("/login")
    page = browser.get(answer.headers["location"])
    uri = re.search(r'href="(otpauth://[^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/") and "xiuying.clerk" in uri and "<svg" in page.text
    secret = pyotp.parse_uri(uri).secret
    token = csrf_of(browser, answer.headers["location"])
    refused = browser.post(answer.headers["location"], data={"csrf_token": token, "code": "000000"})
    assert refused.status_code == 400 and "动态验证码不正确" in refused.text
    done = browser.post(
        answer.headers["location"],
        data={"csrf_token": token, "code": pyotp.TOTP(secret).at(clock())},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/account"
    account = browser.get("/account")
    assert account.status_code == 200 and "已启用" in account.text


def test_staff_sign_in_asks_for_the_code_and_refuses_a_wrong_one(browser, seeded, clock):
    answer = sign_in(browser, "haikou.approver")  # no clock: the helper stops at the code page
    assert answer.headers["location"].startswith("/login/totp")
    token = csrf_of(browser, answer.headers["location"])
    wrong = browser.post(answer.headers["location"], data={"csrf_token": token, "code": "123456"})
    assert wrong.status_code == 400 and "Verification code is wrong".lower() in wrong.text.lower()
    right = pyotp.TOTP(STAFF_SECRETS["haikou.approver"]).at(clock())
    ok = browser.post(
        answer.headers["location"], data={"csrf_token": token, "code": right}, follow_redirects=False
    )
    assert ok.status_code == 303 and browser.get("/account").status_code == 200


def test_a_code_works_once_and_the_previous_step_is_accepted(seeded, clock):
    secret = STAFF_SECRETS["sanya.clerk"]
    step = seeded.sign_in("sanya.clerk", "Tongban@2026")
    assert step.stage == Stage.SECOND_FACTOR
    previous = pyotp.TOTP(secret).at(clock().timestamp() - 30)
    seeded.second_factor(step.session_id, previous)
    again = seeded.sign_in("sanya.clerk", "Tongban@2026")
    with pytest.raises(SecondFactorRefused):
        seeded.second_factor(again.session_id, previous)  # replay within its window
    with pytest.raises(SecondFactorRefused):
        seeded.second_factor(again.session_id, pyotp.TOTP(secret).at(clock().timestamp() - 90))  # too old
    seeded.second_factor(again.session_id, pyotp.TOTP(secret).at(clock()))


def test_repeated_wrong_codes_lock_sign_in(seeded):
    from tongban.platform.identity.signin import SignInLocked

    step = seeded.sign_in("haikou.clerk", "Tongban@2026")
    refusals = []
    for _ in range(5):
        with pytest.raises((SecondFactorRefused, SignInLocked)) as refused:
            seeded.second_factor(step.session_id, "000000")
        refusals.append(type(refused.value))
    assert refusals == [SecondFactorRefused] * 4 + [SignInLocked]
    with pytest.raises(SignInLocked):
        seeded.sign_in("haikou.clerk", "Tongban@2026")


def test_a_half_signed_in_session_gets_no_code(browser, seeded):
    from identity_helpers import authorize, pkce, register

    client_id, _ = register(seeded, name="掌上办", client_type="public", first_party=True)
    sign_in(browser, "haikou.clerk")  # password only
    _, challenge = pkce()
    answer = authorize(browser, client_id, challenge=challenge)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?")


def test_citizens_sign_in_with_a_password_alone(browser):
    answer = sign_in(browser, "citizen")
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
