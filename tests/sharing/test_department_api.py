"""Sharing services for departments: a purpose and a case of the reader's tenant whose applicant holds the
record; limited by license type, tenant and rate; every read logged and visible to the holder."""
import pytest
from approval_fixtures import staff
from sharing_support import ADMIN, USCC, conclude_registration, system

from tongban.platform.sharing import api
from tongban.platform.sharing.access import log_for_holder
from tongban.platform.sharing.clients import reader_for_client, reader_for_staff, register_client
from tongban.platform.sharing.errors import Forbidden, NotFound, RateLimited, SharingError

PURPOSE = "食品经营许可审查：核对营业执照"


def _reader(db, tenant="4601", may_read=("business_license", "base_data"), rate=60):
    with system(db) as s:
        client = register_client(s, client_id=f"dept-{tenant}", name=f"{tenant} 市场监管系统", tenant_code=tenant,
                                 department="市场监督管理局", may_read=list(may_read), rate_per_minute=rate, actor=ADMIN)
        return reader_for_client(s, client)


def test_a_department_reads_a_license_for_a_case_and_the_holder_sees_it(engine, db):
    case = conclude_registration(engine, db)
    reader = _reader(db)
    with system(db) as s:
        view = api.read_license(s, reader, case.certificate_number, purpose=PURPOSE, case_ref=case.number)
        found = api.find_licenses(s, reader, type_code="business_license", purpose=PURPOSE, case_ref=case.number)
        record = api.read_base_record(s, reader, "enterprise", USCC, purpose="核对企业基础信息", case_ref=case.number)
    assert view["holder_id"] == USCC and view["outcome"] == "valid" and view["signature_ok"]
    assert [f["number"] for f in found] == [case.certificate_number]
    assert record["name"] == "海南椰风科技有限公司" and record["legal_representative"] == "李海燕"
    with system(db) as s:
        log = log_for_holder(s, (USCC,))
    assert [e.kind for e in log] == ["base_data", "api", "api"]
    assert all(e.accessor == "dept-4601" and e.case_ref == case.number and e.accessor_tenant == "4601" for e in log)
    assert log[-1].purpose == PURPOSE and not log[-1].consent


def test_reads_without_purpose_case_tenant_or_type_are_refused(engine, db):
    case = conclude_registration(engine, db)
    reader, sanya = _reader(db), _reader(db, "4602")
    number = case.certificate_number
    with system(db) as s:
        with pytest.raises(SharingError) as no_purpose:
            api.read_license(s, reader, number, purpose=" ", case_ref=case.number)
        assert no_purpose.value.field == "purpose"
        with pytest.raises(SharingError) as no_case:
            api.read_license(s, reader, number, purpose=PURPOSE, case_ref="")
        assert no_case.value.field == "case_ref"
        with pytest.raises(NotFound):  # the case belongs to Haikou: Sanya cannot cite it
            api.read_license(s, sanya, number, purpose=PURPOSE, case_ref=case.number)
        with pytest.raises(NotFound):
            api.read_license(s, reader, number, purpose=PURPOSE, case_ref="4601-19990101-000001")
        with pytest.raises(NotFound):  # the case's applicant does not hold this record
            api.read_base_record(s, reader, "enterprise", "914601007777777777", purpose=PURPOSE, case_ref=case.number)
    narrow = _reader(db, "460105", may_read=("food_business_license",))
    with system(db) as s, pytest.raises(NotFound):
        api.read_license(s, narrow, number, purpose=PURPOSE, case_ref=case.number)  # 秀英区 is not Haikou itself
    with system(db) as s:
        assert log_for_holder(s, (USCC,)) == []


def test_type_limits_and_the_rate_limit(engine, db):
    case = conclude_registration(engine, db)
    types_only = _reader(db, may_read=("food_business_license",))
    with system(db) as s, pytest.raises(Forbidden):
        api.read_license(s, types_only, case.certificate_number, purpose=PURPOSE, case_ref=case.number)
    limited = _reader(db, rate=2)
    with system(db) as s:
        for _ in range(2):
            api.read_license(s, limited, case.certificate_number, purpose=PURPOSE, case_ref=case.number)
    with system(db) as s, pytest.raises(RateLimited) as refused:
        api.read_license(s, limited, case.certificate_number, purpose=PURPOSE, case_ref=case.number)
    assert refused.value.status == 429 and "每分钟最多 2 次" in refused.value.zh


def test_staff_read_only_where_they_may_view_cases(engine, db):
    case = conclude_registration(engine, db)
    with system(db) as s:
        reader = reader_for_staff(s, staff("approver", "4601", "approver"), "4601")
        view = api.read_license(s, reader, case.certificate_number, purpose=PURPOSE, case_ref=case.number)
        assert view["status"] == "valid" and log_for_holder(s, (USCC,))[0].accessor == "staff:approver"
        with pytest.raises(Forbidden):
            reader_for_staff(s, staff("sanya", "4602", "approver"), "4601")
