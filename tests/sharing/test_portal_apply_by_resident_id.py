"""A citizen's e-license held by her resident ID (issued to the ID number, not to her account) is offered on
the apply page: the portal's sign-in carries the ``resident_id`` claim and the applicant is looked up by it."""
import copy
import re

import pytest
from approval_fixtures import publish
from catalogue_fixtures import content
from portal_support import HAIKOU, sign_in
from sharing_support import put_license, seed, seed_identity_fast
from starlette.testclient import TestClient

CITIZEN_ID = "460100199003070015"  # the demo citizen 王小明
TITLE_MATERIALS = [
    {"id": "app", "name": "抵押登记申请书", "form": "original", "count": 1, "formats": ["pdf"], "max_size_mb": 10,
     "required": True},
    {"id": "title", "name": "不动产权证书", "form": "copy", "count": 1, "formats": ["pdf", "jpg"], "max_size_mb": 5,
     "required": True, "satisfied_by_license_type": "real_estate_certificate"},
]


@pytest.fixture
def citizen(app, db, settings):
    seed(db)
    item = content("MORTGAGE", "不动产抵押登记", audience=["individual"])
    item["materials"] = copy.deepcopy(TITLE_MATERIALS)
    publish(db, "MORTGAGE", item)
    seed_identity_fast(app, db, settings)
    with TestClient(app, base_url=HAIKOU) as http:
        assert sign_in(http, HAIKOU, "citizen", next_path="/items/MORTGAGE/apply").status_code == 200
        yield http


def _offer(page) -> tuple[str, str] | None:
    match = re.search(r'id="f-material-title-license" data-outcome="(\w+)">(.*?)</div>', page.text, re.S)
    return match and (match.group(1), match.group(2))


def test_a_license_issued_to_the_citizens_id_number_is_offered(citizen, db, settings):
    number, _ = put_license(db, settings.secret_key, "RE-4601-ID-0001", type_code="real_estate_certificate",
                            holder_kind="person", holder_id=CITIZEN_ID, holder_name="王小明", subject=None,
                            content_={"owner": "王小明", "location": "海口市美兰区海甸岛一路 1 号"})
    outcome, offer = _offer(citizen.get("/items/MORTGAGE/apply"))
    assert outcome == "valid", offer
    assert f'<strong class="license-number">{number}</strong>' in offer and 'name="lic.title"' in offer


def test_someone_elses_id_number_is_not_offered(citizen, db, settings):
    put_license(db, settings.secret_key, "RE-4601-ID-0002", type_code="real_estate_certificate",
                holder_kind="person", holder_id="460100198506060016", holder_name="陈别人", subject=None,
                content_={"owner": "陈别人", "location": "海口市龙华区"})
    found = _offer(citizen.get("/items/MORTGAGE/apply"))
    assert found is None or "RE-4601-ID-0002" not in found[1]


def test_an_id_number_typed_at_registration_opens_no_ones_licenses(app, db, settings):
    """Someone registers with another person's ID number (that person has no account yet). Until the account is
    verified (实名核验), the ID opens nothing: no offer on the apply page, no license in 我的证照 (which says
    why), and naming the license on an application is refused as not theirs."""
    from portal_support import CSRF_IDENTITY
    from stdnum.cn import ric

    body = "46010019850606002"
    victim = body + ric.calc_check_digit(body + "0")
    seed(db)
    item = content("MORTGAGE", "不动产抵押登记", audience=["individual"])
    item["materials"] = copy.deepcopy(TITLE_MATERIALS)
    publish(db, "MORTGAGE", item)
    seed_identity_fast(app, db, settings)
    number, _ = put_license(db, settings.secret_key, "RE-4601-ID-0003", type_code="real_estate_certificate",
                            holder_kind="person", holder_id=victim, holder_name="陈本人", subject=None,
                            content_={"owner": "陈本人", "location": "海口市龙华区"})
    with TestClient(app, base_url=HAIKOU) as http:
        form = http.get("http://localhost/register")  # on the provider's own host
        token = CSRF_IDENTITY.search(form.text).group(1)
        registered = http.post("http://localhost/register?next=/account", follow_redirects=False, data={
            "csrf_token": token, "name": "陈本人", "id_number": victim, "phone": "13907561299", "email": "",
            "username": "pretender", "password": "Coconut#2027", "confirm": "Coconut#2027", "agreed": "1"})
        assert registered.status_code == 303
        page = http.get("/auth/login", params={"next": "/items/MORTGAGE/apply"})
        assert str(page.url).endswith("/items/MORTGAGE/apply"), page.url
        found = _offer(page)
        assert found is None or number not in found[1]
        wallet = http.get("/wallet")
        assert wallet.status_code == 200 and number not in wallet.text
        assert "尚未完成实名核验" in wallet.text
        assert "real-name check is not done yet" in http.get("/wallet?lang=en").text
