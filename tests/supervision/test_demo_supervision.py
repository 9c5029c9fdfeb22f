"""`tongban seed --demo` leaves the supervision console with real alerts: a supervisor opening /supervision on a
fresh demo sees warnings and cards in several tenants, a red card in the township 长流镇 among them."""
from collections import Counter

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient
from supervision_console_support import TOWNSHIP, ensure_supervision_models
from workbench_support import FakeClock, identity_service, sign_in

from tongban.platform.approval.models import Case
from tongban.platform.seed import seed
from tongban.tenants.isolation import TenantContext

SITE = "http://localhost"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def demo(app, db, settings, clock):
    ensure_supervision_models()
    identity_service(app, settings, clock)
    seed(db, demo=True)
    seed(db, demo=True)  # a second run adds nothing
    return db


def test_fresh_demo_console_lists_a_township_red_card(app, demo, clock):
    from tongban.platform.supervision.models import Alert

    with demo.unit_of_work(TenantContext.system("test")) as session:
        alerts = list(session.scalars(select(Alert)))
        open_in_township = session.scalars(select(Case.number).where(
            Case.tenant_id == TOWNSHIP, Case.received_tenant_id == TOWNSHIP, Case.state == "in_progress")).all()
    assert len(open_in_township) == 1  # idempotent: the second seed added no case
    by_tenant = Counter(a.tenant_id for a in alerts)
    assert len(by_tenant) >= 3 and {a.severity for a in alerts} == {"warning", "yellow", "red"}
    with TestClient(app, base_url=SITE) as web:
        page = sign_in(web, "province.supervisor", clock, site=SITE, path="/supervision/")
        assert page.status_code == 200 and "红牌" in page.text and "黄牌" in page.text
        township = web.get(f"{SITE}/supervision/?tenant={TOWNSHIP}&level=township&severity=red")
        assert open_in_township[0] in township.text and "长流镇" in township.text


def test_the_demo_leaves_one_bad_rating_for_haikous_market_regulation_to_rectify(demo):
    from tongban.platform.approval.demo import _people
    from tongban.platform.supervision.ratings import service as ratings

    with demo.unit_of_work(TenantContext.none()) as session:
        approver = _people(session)["haikou.approver"]  # as the workbench knows her
    (listed,) = ratings.department_rectifications(demo, approver, "4601")  # one, though the seed ran twice
    assert listed["bad"] and listed["rectification"]["state"] == "open" and listed["department"] == "market_regulation"
