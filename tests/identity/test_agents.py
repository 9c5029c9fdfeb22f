"""An agent switches between acting as self and acting for the enterprise; tokens carry the acting subject."""

import pytest
from identity_helpers import (
    authorize,
    claims_of,
    code_for,
    csrf_of,
    exchange,
    pkce,
    query_of,
    register,
    sign_in,
)

from tongban.platform.identity.accounts import InvalidInput, register_enterprise, validate_uscc

USCC = "91460100MA5T0YF0PN"


@pytest.fixture
def mobile(seeded):
    client_id, _ = register(
        seeded,
        name="掌上办",
        client_type="public",
        first_party=True,
        scope="openid profile cases:read cases:write",
    )
    return client_id


def _enterprise_sub(browser) -> str:
    import re

    page = browser.get("/account")
    return re.search(r'<option value="([0-9a-f]{32})"', page.text).group(1)


def _tokens(browser, client_id, **extra):
    verifier, challenge = pkce()
    answer = exchange(
        browser,
        code_for(browser, client_id, challenge, scope="openid profile cases:read", **extra),
        client_id=client_id,
        verifier=verifier,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_agent_acts_for_the_enterprise_after_switching_on_the_account_page(browser, seeded, mobile):
    sign_in(browser, "agent")
    as_self = claims_of(_tokens(browser, mobile)["id_token"])
    assert as_self["user_type"] == "person" and "uscc" not in as_self and as_self["name"] == "李海燕"
    page = browser.get("/account")
    assert "海南椰风科技有限公司" in page.text and USCC in page.text
    switched = browser.post(
        "/account",
        data={"csrf_token": csrf_of(browser, "/account"), "acting": _enterprise_sub(browser)},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    tokens = _tokens(browser, mobile)
    as_enterprise = claims_of(tokens["id_token"])
    assert as_enterprise["user_type"] == "enterprise" and as_enterprise["uscc"] == USCC
    assert as_enterprise["name"] == "海南椰风科技有限公司" and as_enterprise["agent_name"] == "李海燕"
    assert as_enterprise["sub"] == as_self["sub"]
    info = browser.get("/oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert info["uscc"] == USCC and info["user_type"] == "enterprise"
    principal = seeded.verify_access_token(tokens["access_token"], required_scopes=["cases:read"])
    assert principal.acting.uscc == USCC and principal.acting_subject == as_enterprise["enterprise_sub"]
    assert principal.user_type == "enterprise"


def test_the_acting_subject_survives_a_refresh_and_a_switch_back(browser, mobile):
    sign_in(browser, "agent")
    enterprise = _enterprise_sub(browser)
    tokens = _tokens(browser, mobile, acting_as=enterprise)
    assert claims_of(tokens["id_token"])["uscc"] == USCC
    refreshed = browser.post(
        "/oidc/token",
        data={"grant_type": "refresh_token", "client_id": mobile, "refresh_token": tokens["refresh_token"]},
    ).json()
    assert claims_of(refreshed["id_token"])["uscc"] == USCC
    assert claims_of(refreshed["access_token"])["uscc"] == USCC
    back = _tokens(browser, mobile, acting_as="self")
    assert claims_of(back["id_token"])["user_type"] == "person"


def test_tokens_handed_out_while_acting_for_the_enterprise_stop_working_when_she_switches(browser, seeded, mobile):
    """An app that got tokens while she acted for the enterprise must not go on acting for it once she switched back
    to herself (or the other way round): the access token is refused and the refresh token gives nothing."""
    from tongban.platform.identity.tokens import TokenRefused

    sign_in(browser, "agent")
    enterprise = _enterprise_sub(browser)
    for_enterprise = _tokens(browser, mobile, acting_as=enterprise)
    assert seeded.verify_access_token(for_enterprise["access_token"]).acting.uscc == USCC
    switched = browser.post("/account", data={"csrf_token": csrf_of(browser, "/account"), "acting": "self"},
                            follow_redirects=False)
    assert switched.status_code == 303
    with pytest.raises(TokenRefused):
        seeded.verify_access_token(for_enterprise["access_token"])
    refused = browser.post(
        "/oidc/token",
        data={"grant_type": "refresh_token", "client_id": mobile, "refresh_token": for_enterprise["refresh_token"]},
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    as_herself = _tokens(browser, mobile)  # signing in again is immediate and carries who she is now
    assert seeded.verify_access_token(as_herself["access_token"]).acting is None
    again = browser.post("/account", data={"csrf_token": csrf_of(browser, "/account"), "acting": "self"},
                         follow_redirects=False)
    assert again.status_code == 303  # no switch (already herself): what she holds stays valid
    assert seeded.verify_access_token(as_herself["access_token"]).acting is None


def test_someone_who_is_not_an_agent_cannot_act_for_the_enterprise(browser, mobile):
    sign_in(browser, "agent")
    enterprise = _enterprise_sub(browser)
    browser.cookies.clear()
    sign_in(browser, "citizen")
    _, challenge = pkce()
    answer = authorize(browser, mobile, challenge=challenge, acting_as=enterprise)
    assert answer.status_code == 302 and query_of(answer)["error"] == "invalid_request"
    refused = browser.post(
        "/account", data={"csrf_token": csrf_of(browser, "/login/reset"), "acting": enterprise}
    )
    assert refused.status_code == 400 and "您不是该企业的经办人" in refused.text


def test_enterprise_and_person_records_are_validated(seeded):
    from tongban.platform.identity.accounts import Contact, register_person

    with pytest.raises(InvalidInput) as bad_uscc:
        validate_uscc("91460100MA5T0YF0PX")
    assert bad_uscc.value.zh == "统一社会信用代码无效"
    with seeded.unit() as session:
        with pytest.raises(InvalidInput, match="已登记"):
            register_enterprise(session, name="重复公司", uscc_code=USCC, legal_representative="张三")
        for kwargs, message in [
            ({"id_number": "460100199003070019"}, "居民身份证号码无效"),
            ({"contact": Contact(phone="12345")}, "手机号码格式不正确"),
            ({"contact": Contact(email="not-an-email")}, "电子邮箱格式不正确"),
            ({"password": "short1"}, "密码至少 8 位"),
            ({"username": "citizen"}, "该用户名已被使用"),
        ]:
            values = {
                "username": "newperson",
                "password": "Tongban@2026",
                "name": "赵六",
                "id_number": "460100199501010015",
                **kwargs,
            }
            with pytest.raises(InvalidInput, match=message):
                register_person(session, seeded.config.passwords, **values)
