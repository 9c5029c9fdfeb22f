"""Tenant isolation at every top-level field: each field of the schema has a check here in which someone of
another tenant (or another person) asks for what belongs to 海口 or to the citizen — and gets the answer a
thing that does not exist gets. A field added to the schema without a check fails
``test_every_field_has_an_isolation_check``."""
import pytest
from graphql_support import TOWNSHIP, codes_of, data_of, post
from graphql_world import PURPOSE, SANYA_ITEM, build_world
from sqlalchemy import func, select

from tongban.platform.sharing.models import AccessLog
from tongban.tenants.isolation import TenantContext

NOT_FOUND = [{"code": "not_found"}]


@pytest.fixture
def world(api, identity, published, db, settings):
    return build_world(api, identity, db, settings)


def _q(api, w, who, query, variables=None):
    return post(api, query, variables, token=w.tokens[who] if who else None)


def _case_state(api, w):
    return data_of(_q(api, w, "haikou", '{ case(id: "%s") { state paused feeDue } }' % w.case_id))["case"]


def _reads(db) -> int:
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.scalar(select(func.count()).select_from(AccessLog))


# --- queries -----------------------------------------------------------------------------------------------
def q_tenant(api, w, db):
    assert data_of(_q(api, w, None, '{ tenant(code: "469999999") { code } }'))["tenant"] is None
    assert data_of(_q(api, w, None, '{ tenant(code: "4602") { code } }'))["tenant"]["code"] == "4602"


def q_tenants(api, w, db):
    assert data_of(_q(api, w, None, '{ tenants(parent: "469999999") { totalCount } }'))["tenants"]["totalCount"] == 0
    sanya = data_of(_q(api, w, None, '{ tenants(parent: "4602", first: 100) { nodes { path } } }'))["tenants"]["nodes"]
    assert sanya and all(n["path"].startswith("/46/4602/") for n in sanya)


def q_items(api, w, db):
    query = '{ items(tenant: "%s", first: 100) { nodes { code } } }'
    assert SANYA_ITEM not in {n["code"] for n in data_of(_q(api, w, None, query % TOWNSHIP))["items"]["nodes"]}
    assert SANYA_ITEM in {n["code"] for n in data_of(_q(api, w, None, query % "4602"))["items"]["nodes"]}


def q_item(api, w, db):
    query = '{ item(tenant: "%s", code: "%s") { code } }'
    assert data_of(_q(api, w, None, query % (TOWNSHIP, SANYA_ITEM)))["item"] is None
    assert data_of(_q(api, w, None, query % ("4602", SANYA_ITEM)))["item"]["code"] == SANYA_ITEM


def q_vocabulary(api, w, db):  # labels only: the same for every tenant, nothing tenant-owned to leak
    assert data_of(_q(api, w, None, "{ vocabulary { caseStates { value } } }"))["vocabulary"]["caseStates"]


def q_case(api, w, db):
    query = '{ case(id: "%s") { number } }'
    for who in ("sanya", "other"):
        assert data_of(_q(api, w, who, query % w.case_id))["case"] is None
    assert data_of(_q(api, w, "haikou", query % w.case_id))["case"]["number"] == w.number


def q_myCases(api, w, db):
    assert data_of(_q(api, w, "other", "{ myCases { totalCount } }"))["myCases"]["totalCount"] == 0
    assert data_of(_q(api, w, "citizen", "{ myCases { totalCount } }"))["myCases"]["totalCount"] == 1


def q_cases(api, w, db):
    refused = _q(api, w, "sanya", '{ cases(tenant: "%s") { totalCount } }' % TOWNSHIP).json()
    unknown = _q(api, w, "sanya", '{ cases(tenant: "469999999") { totalCount } }').json()
    assert codes_of(refused) == codes_of(unknown) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", '{ cases(tenant: "4602") { totalCount } }'))["cases"]["totalCount"] == 0


def q_tasks(api, w, db):
    assert codes_of(_q(api, w, "sanya", '{ tasks(tenant: "%s") { totalCount } }' % TOWNSHIP).json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "haikou", '{ tasks(tenant: "%s") { totalCount } }' % TOWNSHIP))["tasks"]["totalCount"] == 1


def q_caseProgress(api, w, db):
    query = 'query($n: String!, $c: String!) { caseProgress(number: $n, queryCode: $c) { number } }'
    wrong = "000000" if w.query_code != "000000" else "111111"
    assert data_of(_q(api, w, None, query, {"n": w.number, "c": wrong}))["caseProgress"] is None
    assert data_of(_q(api, w, None, query, {"n": w.number, "c": w.query_code}))["caseProgress"]["number"] == w.number


def q_verifyLicense(api, w, db):  # public, but personal data stays masked as on paper
    found = data_of(_q(api, w, None, '{ verifyLicense(number: "%s") { outcome holderIdMasked fields { name value } } }'
                       % w.license))["verifyLicense"]
    assert found["outcome"] == "VALID" and w.id_number not in found["holderIdMasked"]
    assert "长德路" not in str(found["fields"])


def q_myLicenses(api, w, db):
    query = "{ myLicenses { licenses { number } accessLog { purpose } } }"
    assert data_of(_q(api, w, "other", query))["myLicenses"] == {"licenses": [], "accessLog": []}
    assert [x["number"] for x in data_of(_q(api, w, "citizen", query))["myLicenses"]["licenses"]] == [w.license]


def _shared(api, w, who, field, args):
    query = 'query($case: String!) { %s(%s, purpose: "%s", caseRef: $case) { __typename } }' % (field, args, PURPOSE)
    return data_of(_q(api, w, who, query, {"case": w.number}))[field]


def q_sharedLicense(api, w, db):
    args = f'number: "{w.license}"'
    assert _shared(api, w, "dept_sanya", "sharedLicense", args) is None and _reads(db) == 0
    assert _shared(api, w, "dept_haikou", "sharedLicense", args) == {"__typename": "SharedLicense"}


def q_sharedLicenses(api, w, db):
    args = 'typeCode: "resident_id_card"'
    assert _shared(api, w, "dept_sanya", "sharedLicenses", args) == [] and _reads(db) == 0
    assert len(_shared(api, w, "dept_haikou", "sharedLicenses", args)) == 1


def q_sharedBaseRecord(api, w, db):
    from tongban.platform.sharing import basedata

    with db.unit_of_work(TenantContext.system("test")) as s:
        basedata.upsert_person(s, w.id_number, name="王小明", source="test")
    args = f'kind: PERSON, key: "{w.id_number}"'
    assert _shared(api, w, "dept_sanya", "sharedBaseRecord", args) is None and _reads(db) == 0
    assert _shared(api, w, "dept_haikou", "sharedBaseRecord", args) == {"__typename": "BaseRecord"}


def q_alerts(api, w, db):
    assert codes_of(_q(api, w, "sanya", '{ alerts(tenant: "4601") { totalCount } }').json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", '{ alerts(tenant: "4602") { totalCount } }'))["alerts"]["totalCount"] == 0
    assert data_of(_q(api, w, "haikou", '{ alerts(tenant: "4601") { totalCount } }'))["alerts"]["totalCount"] == 1


def q_alert(api, w, db):
    query = '{ alert(tenant: "%s", id: "%s") { id } }'
    assert data_of(_q(api, w, "sanya", query % ("4602", w.alert_id)))["alert"] is None
    assert codes_of(_q(api, w, "sanya", query % ("4601", w.alert_id)).json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "haikou", query % ("4601", w.alert_id)))["alert"]["id"] == w.alert_id


def q_statistics(api, w, db):
    from tongban.platform.supervision.tick import tick

    tick(db)  # the rollups catch up with the case
    query = '{ statistics(tenant: "%s") { totals { received } } }'
    assert codes_of(_q(api, w, "sanya", query % "4601").json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", query % "4602"))["statistics"]["totals"]["received"] == 0
    assert data_of(_q(api, w, "haikou", query % "4601"))["statistics"]["totals"]["received"] == 1


# --- mutations ---------------------------------------------------------------------------------------------
def _payload(api, w, who, field, input_):
    query = "mutation($input: %sInput!) { %s(input: $input) { errors { code } } }" % (_input_type(field), field)
    return data_of(_q(api, w, who, query, {"input": input_}))[field]


def _input_type(field):
    from tongban.graphql.schema import build_schema

    return str(build_schema()._schema.mutation_type.fields[field].args["input"].type).rstrip("!").removesuffix("Input")


def _refused_on_the_case(field, who, extra):
    def check(api, w, db):
        before = _case_state(api, w)
        task = {"taskId": w.task_id} if "taskId" in extra else {}
        payload = _payload(api, w, who, field, {"caseId": w.case_id, **{k: v for k, v in extra.items() if k != "taskId"},
                                               **task})
        assert payload["errors"] == NOT_FOUND and _case_state(api, w) == before
    return check


def _refused_on_the_alert(field, extra):
    def check(api, w, db):
        for tenant in ("4601", "4602"):
            payload = _payload(api, w, "sanya", field, {"alertId": w.alert_id, "tenant": tenant, **extra})
            assert payload["errors"] == [{"code": "not_found"}]
        state = data_of(_q(api, w, "haikou", '{ alert(tenant: "4601", id: "%s") { state } }' % w.alert_id))["alert"]
        assert state == {"state": "issued"}
    return check


def _refused_to_another_department(field, extra):
    """三亚's staff answering 长流镇's card: from the card's tenant (not theirs) or from their own (no such card)."""
    def check(api, w, db):
        for tenant in (TOWNSHIP, "4601", "4602"):
            payload = _payload(api, w, "sanya", field, {"alertId": w.alert_id, "tenant": tenant, **extra})
            assert payload["errors"] == [{"code": "not_found"}], (tenant, payload)
        state = data_of(_q(api, w, "haikou", '{ alert(tenant: "4601", id: "%s") { state } }' % w.alert_id))["alert"]
        assert state == {"state": "issued"}
        mine = _payload(api, w, "haikou", field, {"alertId": w.alert_id, "tenant": TOWNSHIP, **extra})
        assert mine["errors"] != [{"code": "not_found"}]  # 海口's own staff reach it (the state decides)
    return check


def m_submitApplication(api, w, db):
    from graphql_support import SUBMIT

    variables = {"input": {"tenant": TOWNSHIP, "itemCode": SANYA_ITEM, "formData": w.form}}
    payload = data_of(_q(api, w, "citizen", SUBMIT, variables))["submitApplication"]
    assert payload["case"] is None and payload["errors"], payload
    mine = data_of(_q(api, w, "citizen", "{ myCases { totalCount } }"))["myCases"]["totalCount"]
    assert mine == 1


def m_rateCase(api, w, db):
    assert _payload(api, w, "other", "rateCase", {"caseId": w.case_id, "level": 1, "reason": "差"})["errors"] == NOT_FOUND


def _asked(api, w) -> str:
    """The citizen's question to 海口: its id."""
    asked = _payload(api, w, "citizen", "askPetition", {"kind": "CONSULTATION", "question": "几点上班",
                                                          "tenant": "4601"})
    assert asked["errors"] == [], asked
    return data_of(_q(api, w, "citizen", '{ myPetitions(tenant: "4601") { id } }'))["myPetitions"][0]["id"]


def q_myPetitions(api, w, db):
    _asked(api, w)
    assert data_of(_q(api, w, "other", '{ myPetitions(tenant: "4601") { id } }'))["myPetitions"] == []
    assert data_of(_q(api, w, "citizen", '{ myPetitions(tenant: "4602") { id } }'))["myPetitions"] == []


def q_petitions(api, w, db):
    _asked(api, w)
    assert codes_of(_q(api, w, "sanya", '{ petitions(tenant: "4601") { id } }').json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", '{ petitions(tenant: "4602") { id } }'))["petitions"] == []


def m_askPetition(api, w, db):
    body = _q(api, w, "citizen", 'mutation { askPetition(input: {kind: COMPLAINT, question: "q", tenant: "469999999"}) '
                                 "{ errors { code } } }").json()
    assert codes_of(body) == ["NOT_FOUND"]


def m_answerPetition(api, w, db):
    petition_id = _asked(api, w)
    answered = _payload(api, w, "sanya", "answerPetition", {"petitionId": petition_id, "answer": "a", "tenant": "4602"})
    assert [e["code"] for e in answered["errors"]] == ["not_found"]
    answered = _payload(api, w, "sanya", "answerPetition", {"petitionId": petition_id, "answer": "a", "tenant": "4601"})
    assert answered["errors"] and answered["errors"][0]["code"] == "not_found"


def m_rateVisit(api, w, db):
    body = _q(api, w, "citizen", 'mutation { rateVisit(input: {visitKey: "Q-1", level: 5, tenant: "469999999"}) '
                                 "{ errors { code } } }").json()
    assert codes_of(body) == ["NOT_FOUND"]
    rated = _payload(api, w, "citizen", "rateVisit", {"visitKey": "Q-1", "level": 5, "tenant": "4602"})
    assert rated["errors"] == []


def _catalogue_refused(field, input_):
    def check(api, w, db):
        payload = _payload(api, w, "sanya", field, input_)
        assert payload["errors"] and payload["errors"][0]["code"] == "not_found", payload
    return check


def m_createItemDraft(api, w, db):
    payload = _payload(api, w, "sanya", "createItemDraft", {"elements": {"code": "HK-X"}, "tenant": "4601"})
    assert payload["errors"] and payload["errors"][0]["code"] == "not_found", payload


def m_validateDraft(api, w, db):
    query = 'mutation { validateDraft(itemCode: "PROMISED") { errors { code } } }'
    assert data_of(_q(api, w, "sanya", query))["validateDraft"]["errors"][0]["code"] == "not_found"


# --- appointments and 差评整改 --------------------------------------------------------------------------------
def _window(db, code: str) -> list[int]:
    """A window at ``code`` with slots on its next working day: their ids."""
    from tests_support import tenant_context

    from tongban.platform.calendar.store import build_calendar
    from tongban.platform.db import utcnow
    from tongban.platform.portal import appointment_windows as windows
    from tongban.platform.portal.models import AppointmentSlot

    with db.unit_of_work(tenant_context(db, code)) as s:
        settings = windows.WindowSettings(f"{code} 综合窗口", "", [], [["09:00", "10:00"]], 2, 1, True)
        windows.save(s, code, settings, window_id=None, expected_revision=None, actor="admin",
                     calendar=build_calendar(s), now=utcnow())
        return list(s.scalars(select(AppointmentSlot.id)))


def _booked(api, w, db) -> str:
    """The citizen's booking at 海口's window: its number."""
    slot = _window(db, "4601")[0]
    query = ('mutation { bookAppointment(input: {tenant: "4601", slotId: "%s", name: "王小明", phone: "13800000001"}) '
             "{ appointment { number } errors { code } } }" % slot)
    return data_of(_q(api, w, "citizen", query))["bookAppointment"]["appointment"]["number"]


def q_appointmentSlots(api, w, db):
    haikou, sanya = set(_window(db, "4601")), set(_window(db, "4602"))
    query = '{ appointmentSlots(tenant: "%s") { windows { slots { id } } } }'
    seen = {s["id"] for d in data_of(_q(api, w, None, query % "4602"))["appointmentSlots"] for x in d["windows"]
            for s in x["slots"]}
    assert seen == {str(i) for i in sanya} and not seen & {str(i) for i in haikou}
    assert codes_of(_q(api, w, None, query % "469999999").json()) == ["NOT_FOUND"]


def q_appointmentClosures(api, w, db):
    from datetime import timedelta

    from tests_support import tenant_context

    from tongban.platform.db import utcnow
    from tongban.platform.portal import appointment_closures
    from tongban.platform.portal.appointments import beijing_today

    day = beijing_today(utcnow()) + timedelta(days=3)
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        appointment_closures.close(s, "4602", day, "", "台风", actor="sanya.admin", now=utcnow())
    query = '{ appointmentClosures(tenant: "%s") { day window reason } }'
    assert data_of(_q(api, w, None, query % "4602"))["appointmentClosures"] == [
        {"day": day.isoformat(), "window": None, "reason": "台风"}]
    assert data_of(_q(api, w, None, query % "4601"))["appointmentClosures"] == []


def q_myAppointments(api, w, db):
    _booked(api, w, db)
    assert data_of(_q(api, w, "other", "{ myAppointments { totalCount } }"))["myAppointments"]["totalCount"] == 0
    assert data_of(_q(api, w, "citizen", "{ myAppointments { totalCount } }"))["myAppointments"]["totalCount"] == 1


def m_bookAppointment(api, w, db):
    slot = _window(db, "4601")[0]
    payload = _payload(api, w, "citizen", "bookAppointment", {"tenant": "4602", "slotId": str(slot), "name": "王小明",
                                                               "phone": "13800000001"})
    assert payload["errors"] == [{"code": "no_slot"}]  # 海口's slot, booked through 三亚: as if there were none
    assert data_of(_q(api, w, "citizen", "{ myAppointments { totalCount } }"))["myAppointments"]["totalCount"] == 0


def m_cancelAppointment(api, w, db):
    number = _booked(api, w, db)
    assert _payload(api, w, "other", "cancelAppointment", {"number": number})["errors"] == NOT_FOUND
    mine = data_of(_q(api, w, "citizen", "{ myAppointments { nodes { status } } }"))["myAppointments"]["nodes"]
    assert mine == [{"status": "BOOKED"}]


def _rated(api, w, db) -> str:
    """The citizen's case concluded and rated 不满意: the rating's id."""
    from sqlalchemy import update

    from tongban.platform.approval.models import Case

    with db.unit_of_work(TenantContext.system("test: the case is concluded")) as s:
        s.execute(update(Case).where(Case.id == int(w.case_id)).values(state="concluded", result="approved"))
    query = 'mutation { rateCase(input: {caseId: "%s", level: 1, reason: "差"}) { rating { id } } }' % w.case_id
    return data_of(_q(api, w, "citizen", query))["rateCase"]["rating"]["id"]


def _rating_states(api, w) -> tuple:
    found = data_of(_q(api, w, "haikou", '{ badRatings(tenant: "4601") { state rectification { state } } }'))
    return tuple((r["state"], r["rectification"]["state"]) for r in found["badRatings"])


def q_ratingsToRectify(api, w, db):
    _rated(api, w, db)
    query = '{ ratingsToRectify(tenant: "%s") { id } }'
    assert codes_of(_q(api, w, "sanya", query % TOWNSHIP).json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", query % "4602"))["ratingsToRectify"] == []
    assert len(data_of(_q(api, w, "haikou", query % TOWNSHIP))["ratingsToRectify"]) == 1


def q_badRatings(api, w, db):
    _rated(api, w, db)
    query = '{ badRatings(tenant: "%s") { id } }'
    assert codes_of(_q(api, w, "sanya", query % "4601").json()) == ["NOT_FOUND"]
    assert data_of(_q(api, w, "sanya", query % "4602"))["badRatings"] == []
    assert len(data_of(_q(api, w, "haikou", query % "4601"))["badRatings"]) == 1


def q_caseRating(api, w, db):
    rating = _rated(api, w, db)
    query = '{ caseRating(caseId: "%s") { id } }' % w.case_id
    assert data_of(_q(api, w, "other", query))["caseRating"] is None
    assert data_of(_q(api, w, "haikou", query))["caseRating"] is None  # staff see the case, not the rater's view
    assert data_of(_q(api, w, "citizen", query))["caseRating"] == {"id": rating}


def m_confirmRatingRectification(api, w, db):
    rating = _rated(api, w, db)
    payload = _payload(api, w, "other", "confirmRatingRectification", {"ratingId": rating, "satisfied": True})
    assert payload["errors"] == NOT_FOUND and _rating_states(api, w) == (("valid", "open"),)


def _refused_on_the_rating(field, extra, tenants=(TOWNSHIP, "4601", "4602")):
    """三亚's staff on 长流镇's bad rating, from its tenant (not theirs) or from their own (no such rating)."""
    def check(api, w, db):
        rating = _rated(api, w, db)
        for tenant in tenants:
            payload = _payload(api, w, "sanya", field, {"ratingId": rating, "tenant": tenant, **extra})
            assert payload["errors"] == NOT_FOUND, (tenant, payload)
        assert _rating_states(api, w) == (("valid", "open"),)
    return check


CASE_STAFF = {"acceptCase": {"taskId": 1}, "refuseCase": {"taskId": 1, "reason": "x"},
              "requestSupplement": {"taskId": 1, "missing": [{"name": "申请书"}]}, "approveCase": {"taskId": 1},
              "rejectCase": {"taskId": 1, "reason": "x"}, "forwardCase": {"taskId": 1, "department": "民政局"},
              "rollBackCase": {"taskId": 1, "comment": "x"}, "chargeFee": {"taskId": 1, "amount": "10"},
              "reportCaseUp": {"taskId": 1}, "deliverResult": {"method": "WINDOW"}}
CASE_APPLICANT = {"supplyCase": {}, "withdrawCase": {"reason": "x"}, "payFee": {"reference": "R-1"}}
ALERTS = {"confirmAlert": {}, "withdrawAlert": {"reason": "x"}, "cancelAlert": {"reason": "x"},
          "decideAlertAppeal": {"decision": "REJECT", "reason": "x"}, "orderCorrection": {"instructions": "整改"},
          "reviewRectification": {"accept": True}}

ISOLATION = {name.removeprefix("q_").removeprefix("m_"): check for name, check in dict(globals()).items()
             if name.startswith(("q_", "m_"))}
ISOLATION.update({field: _refused_on_the_case(field, "sanya", extra) for field, extra in CASE_STAFF.items()})
ISOLATION.update({field: _refused_on_the_case(field, "other", extra) for field, extra in CASE_APPLICANT.items()})
ISOLATION.update({field: _refused_on_the_alert(field, extra) for field, extra in ALERTS.items()})
ISOLATION.update({"appealAlert": _refused_to_another_department("appealAlert", {"reasons": "系统误判"}),
                  "rectifyAlert": _refused_to_another_department("rectifyAlert", {"report": "已整改"})})
ISOLATION.update({
    "reportRatingRectification": _refused_on_the_rating("reportRatingRectification", {"report": "已整改"}),
    "recordRatingCallback": _refused_on_the_rating("recordRatingCallback", {"note": "已回访"}),
    "appealRating": _refused_on_the_rating("appealRating", {"reason": "恶意评价"}),
    "decideRatingAppeal": _refused_on_the_rating("decideRatingAppeal", {"decision": "EXCLUDE"}, ("4601", "4602")),
})
ISOLATION.update({
    "editDraft": _catalogue_refused("editDraft", {"itemCode": "PROMISED", "part": "FORM", "value": {}}),
    "publishItem": _catalogue_refused("publishItem", {"itemCode": "PROMISED", "scope": {"codes": ["4601"]}}),
    "setItemsEnabled": _catalogue_refused("setItemsEnabled", {"itemCodes": ["PROMISED"], "enabled": False,
                                                              "tenant": "4601"}),
    "setItemOverrides": _catalogue_refused("setItemOverrides", {"itemCode": "PROMISED", "overrides": {"phone": "1"},
                                                                "tenant": "4601"}),
})


def _schema_fields():
    from tongban.graphql.schema import build_schema

    schema = build_schema()._schema
    return sorted({*schema.query_type.fields, *schema.mutation_type.fields})


def test_every_field_has_an_isolation_check():
    assert sorted(ISOLATION) == _schema_fields()


@pytest.mark.parametrize("field", _schema_fields())
def test_field_isolation(api, world, db, field):
    ISOLATION[field](api, world, db)
