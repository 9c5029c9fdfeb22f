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
