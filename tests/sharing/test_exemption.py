"""免收证照: an applicant's valid business license stands in for the upload, with consent, logged where the
holder sees it and shown to staff; an expired, revoked or someone else's license is refused with the reason.

The engine's intake will call ``check_license_materials`` and ``record_license_uses`` (see the report to the
lead); ``_apply`` below makes the same three calls in the same order.
"""
from datetime import timedelta

import pytest
from approval_fixtures import CLERK, HAIKOU, the_case
from sharing_support import (
    ENTERPRISE,
    FOOD_MATERIALS,
    USCC,
    enterprise_actor,
    enterprise_applicant,
    put_license,
    reg_form,
    system,
    yesterday,
)
from sqlalchemy import select

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import SubmissionInvalid
from tongban.platform.approval.intake import Application
from tongban.platform.approval.models import CaseMaterial
from tongban.platform.sharing.access import Accessor, log_for_holder
from tongban.platform.sharing.exemption import (
    check_license_materials,
    offers,
    record_license_uses,
    staff_view,
)
from tongban.platform.sharing.library import change_status, today

UPLOAD = {"app": [{"id": "u1", "name": "申请书.pdf", "size": 2048, "content_type": "application/pdf"}]}


def _apply(engine, db, licenses, *, consent=True, applicant=None):
    """Apply through the engine, whose intake checks the licenses and logs the consented access."""
    applicant = applicant or enterprise_applicant()
    try:
        created = engine.submit(HAIKOU, HAIKOU, enterprise_actor(applicant["subject"]),
                                Application("FOOD", reg_form(), "online", applicant, files=UPLOAD,
                                            licenses=licenses, license_consent=consent))
    except SubmissionInvalid as refused:
        return None, refused.errors
    return the_case(db, created["id"]), []


def _materials(db, case_id):
    with system(db) as s:
        return {m.material_id: m for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case_id))}


def test_a_valid_license_skips_the_upload_and_the_access_is_logged(engine, db, secret):
    number, _ = put_license(db, secret, "BL-4601-0001")
    with system(db) as s:
        offered = offers(s, enterprise_applicant(), FOOD_MATERIALS)
    assert offered == {"bl": {"type": "business_license", "number": number, "usable": True, "outcome": "valid",
                              "reason": None, "valid_until": None}}
    case, errors = _apply(engine, db, {"bl": "auto"})
    assert errors == []
    materials = _materials(db, case.id)
    assert materials["bl"].status == "license" and materials["bl"].license_ref == number and materials["bl"].files == []
    assert materials["app"].status == "provided"
    with system(db) as s:
        (entry,) = log_for_holder(s, (USCC,))
    assert entry.kind == "exemption" and entry.consent and entry.case_ref == case.number
    assert entry.license_number == number and entry.accessor == "ent-yefeng" and "食品经营许可" in entry.purpose


def test_staff_see_the_referenced_license_and_that_is_logged_too(engine, db, secret):
    number, _ = put_license(db, secret, "BL-4601-0002")
    case, _ = _apply(engine, db, {"bl": number})
    with system(db) as s:
        shown = staff_view(s, number, case=case, accessor=Accessor(CLERK.subject, CLERK.name, HAIKOU, "综合窗口"))
        log = log_for_holder(s, (USCC,))
    assert shown["verification"].ok and shown["holder_id"] == USCC and shown["holder_name"] == ENTERPRISE
    assert {f["name"]: f["value"] for f in shown["fields"]}["legal_representative"] == "李海燕"
    assert [e.kind for e in log] == ["staff_view", "exemption"]
    assert log[0].accessor_name == "clerk" and log[0].accessor_department == "综合窗口" and log[0].case_ref == case.number


def test_an_expired_license_is_refused_and_the_applicant_is_told_why(engine, db, secret):
    number, _ = put_license(db, secret, "BL-OLD-0001", valid_from=today() - timedelta(days=800), valid_until=yesterday())
    case, errors = _apply(engine, db, {"bl": number})
    assert case is None
    (error,) = errors
    assert error["path"] == "materials.bl" and error["code"] == "license_expired"
    assert yesterday().isoformat() in error["zh"] and "expired" in error["en"] and number in error["zh"]
    _case, auto = _apply(engine, db, {"bl": "auto"})  # looking it up for the applicant says the same
    assert auto[0]["code"] == "license_expired"
    with system(db) as s:
        assert log_for_holder(s, (USCC,)) == []  # nothing was read on the holder's behalf


def test_revoked_someone_elses_and_unconsented_licenses_are_refused(engine, db, secret):
    revoked, _ = put_license(db, secret, "BL-REV-0001")
    with system(db) as s:
        change_status(s, revoked, "revoke", reason="吊销营业执照", actor=Actor.system())
    other, _ = put_license(db, secret, "BL-OTHER-0001", holder_id="914601007777777777", subject="ent-other")
    assert _apply(engine, db, {"bl": revoked})[1][0]["code"] == "license_revoked"
    assert "吊销营业执照" in _apply(engine, db, {"bl": revoked})[1][0]["zh"]
    assert _apply(engine, db, {"bl": other})[1][0]["code"] == "license_not_found"
    assert _apply(engine, db, {"bl": "NO-SUCH-1"})[1][0]["code"] == "license_not_found"
    assert _apply(engine, db, {"bl": revoked}, consent=False)[1][0]["code"] == "consent_required"
    by_path = {e["path"]: e["code"] for e in _apply(engine, db, {"app": "auto"})[1]}
    assert by_path["materials.app"] == "not_license_material"


def test_without_a_license_the_upload_is_still_required(engine, db):
    with pytest.raises(SubmissionInvalid) as refused:
        engine.submit(HAIKOU, HAIKOU, enterprise_actor(), Application("FOOD", reg_form(), "online",
                                                                      enterprise_applicant(), files=UPLOAD))
    assert [e["path"] for e in refused.value.errors] == ["materials.bl"]
