"""In a real browser 390 px wide (a phone): the 查验入口 form and the verification page fit the screen, and a
number typed in lower case with spaces lands on its verification."""
import pytest
from sharing_support import put_license, seed


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.slow
def test_a_number_typed_on_a_phone_reaches_its_verification(live_server, phone, db, settings):
    seed(db)
    number, _ = put_license(db, settings.secret_key, "BUSINESSLICENSE-4601-20261127-000001")
    phone.goto(f"{live_server}/verify")
    assert _fits(phone)
    phone.get_by_role("button", name="查验 Verify").click()  # nothing typed: told at the field, in both languages
    assert "请填写证照编号" in phone.locator("#number-error").inner_text() and _fits(phone)
    phone.get_by_label("证照编号 License number").fill("  businesslicense-4601-20261127-000001 ")
    phone.get_by_role("button", name="查验 Verify").click()
    phone.wait_for_selector("#verdict")
    assert phone.locator("#verdict").get_attribute("data-outcome") == "valid"
    assert phone.locator("#number").inner_text() == number and _fits(phone)
