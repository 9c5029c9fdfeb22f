"""A person registers on the provider's page: every problem told at once on its field (zh + en), nothing
written until all pass; then the new account is signed in and sent back where it came from."""
from identity_helpers import csrf_of
from sqlalchemy import func, select

from tongban.platform.identity.models import Account, Person
from tongban.tenants.isolation import TenantContext

CITIZEN_ID = "460100199003070015"  # the demo citizen 王小明's, registered (DEMO_ACCOUNTS.md)
NEW_ID = "460105198808080015"  # a real-format 秀英区 number (born before the district's code existed)
GOOD = {"name": "黎阿妹", "id_number": NEW_ID, "phone": "13907561234", "email": "", "username": "liamei",
        "password": "Coconut#2027", "confirm": "Coconut#2027", "agreed": "1"}


def _register(browser, next_path="/account", **changes):
    token = csrf_of(browser, "/register")
    return browser.post(f"/register?next={next_path}", data={"csrf_token": token, **{**GOOD, **changes}},
                        follow_redirects=False)


def _accounts(db) -> int:
    with db.unit_of_work(TenantContext.none()) as s:
        return s.scalar(select(func.count()).select_from(Account))


def test_a_new_person_registers_and_is_signed_in(browser, seeded, db):
    login = browser.get("/login?next=/account")
    assert 'href="/register?next=/account"' in login.text and "没有账号？注册" in login.text
    done = _register(browser)
    assert done.status_code == 303 and done.headers["location"] == "/account"
    account = browser.get("/account")
    assert account.status_code == 200 and "黎阿妹" in account.text
    with db.unit_of_work(TenantContext.none()) as s:
        person = s.scalar(select(Person).where(Person.id_number == NEW_ID))
        assert person.name == "黎阿妹" and person.assurance_level == 1  # self-asserted until verified
        assert s.scalar(select(Account.phone).where(Account.id == person.account_id)) == "13907561234"
    assert seeded.sign_in("liamei", "Coconut#2027").session_id


def test_every_problem_is_told_at_once_and_nothing_is_written(browser, seeded, db):
    before = _accounts(db)
    refused = _register(browser, name=" ", id_number="460105198808080016", phone="1390756", username="citizen",
                        password="short", confirm="other", agreed="")
    assert refused.status_code == 400
    for field, zh in (("name", "请填写姓名"), ("id_number", "居民身份证号码无效"), ("phone", "11 位手机号码"),
                      ("username", "该用户名已被使用"), ("password", "密码至少 8 位"), ("confirm", "两次输入的密码不一致"),
                      ("agreed", "请阅读并同意")):
        assert f'id="{field}-error"' in refused.text, field
        assert zh in refused.text, zh
    assert "Invalid resident ID number" in refused.text and "This username is taken" in refused.text
    assert 'value="1390756"' in refused.text and "short" not in refused.text  # typed values kept, passwords not
    assert _accounts(db) == before


def test_an_id_number_already_registered_says_to_sign_in(browser, seeded, db):
    assert _register(browser).status_code == 303
    browser.cookies.clear()
    again = _register(browser, username="liamei2")
    assert again.status_code == 400 and "该身份证号码已注册，请直接登录或找回密码" in again.text


def test_registrations_from_one_address_are_limited(browser, seeded, db):
    for n in range(10):
        assert _register(browser, username=f"bulk{n}", id_number=_valid_id(n)).status_code == 303, n
        browser.cookies.clear()
    blocked = _register(browser, username="bulk99", id_number=_valid_id(99))
    assert blocked.status_code == 429 and "注册过于频繁" in blocked.text


def _valid_id(n: int) -> str:
    from stdnum.cn import ric

    body = f"46010019900101{n:03d}"
    return body + ric.calc_check_digit(body + "0")


def test_tries_that_find_an_id_number_taken_are_counted_like_registrations(browser, seeded, db):
    """Sweeping ID numbers (or usernames) to learn who has an account stops after ten tries an hour from one
    address; typing mistakes that reveal nothing are not counted."""
    for n in range(12):  # mistakes of one's own: never counted
        assert _register(browser, username=f"typo{n}", confirm="Other#2027").status_code == 400
    for n in range(10):
        probe = _register(browser, username=f"probe{n}", id_number=CITIZEN_ID)
        assert probe.status_code == 400 and "该身份证号码已注册" in probe.text, n
    locked = _register(browser, username="probe99", id_number=CITIZEN_ID)
    assert locked.status_code == 429 and "注册过于频繁" in locked.text and "该身份证号码已注册" not in locked.text
    assert _register(browser).status_code == 429  # nor a real registration from that address, for the hour
    with db.unit_of_work(TenantContext.none()) as s:
        assert s.scalar(select(func.count()).select_from(Person).where(Person.id_number == NEW_ID)) == 0


def test_an_empty_id_number_asks_for_it(browser, seeded):
    refused = _register(browser, id_number=" ")
    assert refused.status_code == 400
    assert "请填写居民身份证号码" in refused.text and "Enter your resident ID number" in refused.text
    assert "居民身份证号码无效" not in refused.text
